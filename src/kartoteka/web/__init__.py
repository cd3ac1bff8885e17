"""The web app: `kartoteka serve` (pages over the store, each with a JSON twin).

>>> from kartoteka.web import WebConfig, create_app   # doctest: +SKIP
>>> app = create_app(WebConfig("kartoteka.db"))        # doctest: +SKIP
"""

from kartoteka.web.app import WebConfig, WebError, create_app, prepare_store
from kartoteka.web.server import Server, serve_address

__all__ = ["WebConfig", "WebError", "create_app", "prepare_store", "Server", "serve_address"]
