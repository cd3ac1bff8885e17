"""Who may write, and forms that another site cannot submit.

Reading needs nothing. Writing (curation) needs the token printed when the server starts:
- a browser opens the printed `/login?token=...` address once and gets an HttpOnly,
  SameSite=Strict cookie; every form then also carries a CSRF field derived from the token,
  which a page of another site cannot read;
- a script sends `Authorization: Bearer TOKEN` (a custom header: browsers do not send it
  across sites without asking), or the same cookie and CSRF field.
With `auth=False` (allowed on a loopback address only) no token is needed, but forms still
carry the CSRF field and a cross-site Origin is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass, field

from starlette.requests import Request

COOKIE = "kartoteka_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
_LOOPBACK_V4 = ipaddress.ip_network("127.0.0.0/8")


def is_loopback(host: str) -> bool:
    """Is `host` a literal loopback address (127.0.0.0/8, ::1) or `localhost`?

    Only literals: "127.0.0.1.nip.io" starts like one but is a DNS name that anyone can
    point anywhere, and so is any other name."""
    if host.lower() == "localhost":
        return True
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if address.version == 4:
        return address in _LOOPBACK_V4
    return address == ipaddress.IPv6Address("::1")


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Guard:
    """The write token (None when auth is off) and the CSRF value forms carry."""

    token: str | None
    csrf: str = field(default="")

    @classmethod
    def create(cls, token: str | None, *, auth: bool = True) -> Guard:
        if not auth:
            return cls(None, secrets.token_urlsafe(24))
        token = token or new_token()
        csrf = hmac.new(token.encode(), b"kartoteka csrf", hashlib.sha256).hexdigest()
        return cls(token, csrf)

    @property
    def auth(self) -> bool:
        return self.token is not None

    def signed_in(self, request: Request) -> bool:
        """May this request write (ignoring CSRF)? True for everyone when auth is off."""
        if not self.auth:
            return True
        if self._bearer_ok(request):
            return True
        cookie = request.cookies.get(COOKIE, "")
        return bool(cookie) and self.token is not None and _same(cookie, self.token)

    def _bearer_ok(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        return (
            self.token is not None
            and scheme.lower() == "bearer"
            and _same(value.strip(), self.token)
        )

    def check_token(self, value: str) -> bool:
        return self.token is not None and _same(value or "", self.token)

    def refusal_before_body(self, request: Request) -> str | None:
        """Why this write request is refused on its headers alone (another site's origin, no
        token, no session), or None. Asked before the body is read, so that a client
        without the token cannot make the server read, let alone hold, anything."""
        if self._bearer_ok(request):
            return None  # a script with the token: the header itself defeats CSRF
        origin = request.headers.get("origin")
        # "null" too: a sandboxed frame of another site sends it
        if origin and origin.rstrip("/") != _own_origin(request):
            return "cross-site request refused"
        if not self.signed_in(request):
            return "writing needs the token printed by `kartoteka serve`; open /login"
        return None

    def write_refusal(self, request: Request, form: dict) -> str | None:
        """Why this write request is refused, or None if it may go ahead."""
        refusal = self.refusal_before_body(request)
        if refusal or self._bearer_ok(request):
            return refusal
        sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER, "")
        if not (sent and _same(str(sent), self.csrf)):
            return "the form is missing its CSRF field; reload the page and try again"
        return None


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"


def _same(sent: str, secret: str) -> bool:
    """A constant-time comparison that takes any text: `hmac.compare_digest` refuses a str
    with non-ASCII characters (a TypeError, so a 500), so both sides go as UTF-8 bytes."""
    return hmac.compare_digest(sent.encode("utf-8", "surrogatepass"), secret.encode("utf-8"))
