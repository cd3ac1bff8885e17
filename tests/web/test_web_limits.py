"""No one in (issue 12, failures 6 and 7): `--no-auth` on literal loopback addresses only,
and request bodies refused while they stream in, before the server holds them.

The body tests talk to uvicorn over a real socket, byte by byte as an attacker would: a body
that is refused only once it has been read whole would have taken the server's memory
already (a 512 MB anonymous POST took it from 134 MB to 1.1 GB before its 413).
"""

from __future__ import annotations

import select
import socket
import sqlite3

import pytest
from click.testing import CliRunner

TOKEN = "test-token-for-curation"  # the token of the test servers (conftest.TOKEN)

# -- --no-auth ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "[::1]", "localhost", "LocalHost"]
)
def test_loopback_addresses_are_loopback(host):
    from kartoteka.web.security import is_loopback

    assert is_loopback(host)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1.nip.io",  # a DNS name anyone can point anywhere
        "127.example.org",
        "127.",
        "localhost.example.org",
        "0.0.0.0",
        "::",
        "10.0.0.1",
        "128.0.0.1",
        "::ffff:127.0.0.1",
        "0177.0.0.1",
        "2130706433",
        "",
    ],
)
def test_anything_else_is_not(host):
    from kartoteka.web.security import is_loopback

    assert not is_loopback(host)


def test_no_auth_on_a_name_that_starts_with_127_is_refused(read_db):
    from kartoteka.cli.web import serve_command

    result = CliRunner().invoke(
        serve_command, ["--db", str(read_db), "--host", "127.0.0.1.nip.io", "--no-auth"]
    )
    assert result.exit_code != 0 and "loopback" in result.output


# -- request bodies ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory, web_db):
    import shutil

    from kartoteka.web import Server, WebConfig, create_app

    db = tmp_path_factory.mktemp("limits") / "web.db"
    shutil.copy(web_db, db)
    eid = sqlite3.connect(db).execute("SELECT id FROM entities LIMIT 1").fetchone()[0]
    running = Server(create_app(WebConfig(str(db), token=TOKEN, author="tester"))).start()
    running.entity = eid
    yield running
    running.stop()


def _connect(server) -> socket.socket:
    sock = socket.create_connection((server.host, server.port), timeout=10)
    return sock


def _response(sock: socket.socket) -> str:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.decode("latin-1")


def _answered(sock: socket.socket, wait: float) -> bool:
    return bool(select.select([sock], [], [], wait)[0])


def _stream(sock: socket.socket, head: str, chunk: bytes, total: int, *, chunked: bool) -> int:
    """Send the head, then the body a chunk at a time until the server answers; return how
    many body bytes went out before it did."""
    sock.sendall(head.encode())
    sent = 0
    while sent < total:
        if _answered(sock, 0.02):
            return sent
        piece = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" if chunked else chunk
        try:
            sock.sendall(piece)
        except OSError:  # the server closed the connection after answering
            return sent
        sent += len(chunk)
    return sent


MB = 1024 * 1024


def test_a_512_mb_body_is_refused_from_its_length_before_it_is_read(server):
    with _connect(server) as sock:
        head = (
            f"POST /entity/{server.entity}/rename HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {512 * MB}\r\n\r\n"
        )
        sent = _stream(sock, head, b"x" * 65536, 512 * MB, chunked=False)
        assert sent <= 2 * MB, f"the server read {sent // MB} MB before answering"
        assert _response(sock).startswith("HTTP/1.1 413")


def test_an_anonymous_streamed_body_is_refused_before_it_is_read(server):
    # chunked: no length to check, so the token is checked first, before any byte is read
    with _connect(server) as sock:
        head = (
            f"POST /entity/{server.entity}/rename HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n"
            f"Transfer-Encoding: chunked\r\n\r\n"
        )
        sent = _stream(sock, head, b"x" * 65536, 512 * MB, chunked=True)
        assert sent <= 2 * MB, f"the server read {sent // MB} MB before answering"
        assert _response(sock).startswith("HTTP/1.1 403")


def test_a_streamed_body_with_the_token_is_cut_off_at_the_limit(server):
    # a signed-in client is trusted with the write, not with the server's memory
    with _connect(server) as sock:
        head = (
            f"POST /entity/{server.entity}/rename HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {TOKEN}\r\nAccept: application/json\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n"
            f"Transfer-Encoding: chunked\r\n\r\n"
        )
        sent = _stream(sock, head, b"x" * 65536, 512 * MB, chunked=True)
        assert sent <= 2 * MB, f"the server read {sent // MB} MB before answering"
        assert _response(sock).startswith("HTTP/1.1 413")


def test_the_login_form_is_limited_too(server):
    with _connect(server) as sock:
        head = (
            "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        sent = _stream(sock, head, b"token=" + b"x" * 65536, 512 * MB, chunked=True)
        assert sent <= 2 * MB
        assert _response(sock).startswith("HTTP/1.1 413")


def test_a_small_form_still_goes_through(client_for, writable_db):
    c = client_for(writable_db)
    eid = sqlite3.connect(writable_db).execute("SELECT id FROM entities LIMIT 1").fetchone()[0]
    r = c.post(
        f"/entity/{eid}/rename",
        json={"name": "Still Renamed"},
        headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"},
    )
    assert r.status_code == 200 and r.json()["ok"]
    too_big = c.post(
        f"/entity/{eid}/rename",
        json={"name": "x" * 100_000},
        headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"},
    )
    assert too_big.status_code == 413 and "64 KB" in too_big.json()["error"]
