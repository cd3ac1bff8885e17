"""The documents: the list, and one document's text with its annotations."""

from __future__ import annotations

from starlette.requests import Request

from kartoteka.query.documents import document_data, document_list
from kartoteka.query.passages import page_map
from kartoteka.web.common import int_param, store_of, twin
from kartoteka.web.render import document_marks, tokens


def _list(request: Request) -> dict:
    limit = int_param(request, "limit", 500, lo=1, hi=5000)
    offset = int_param(request, "offset", 0, hi=10**9)
    return document_list(store_of(request), limit=limit, offset=offset)


def _document(request: Request) -> dict:
    doc = document_data(store_of(request), request.path_params["doc_id"])
    # a paged source's page breaks: [[offset, page number], ...], or None
    pages = page_map(store_of(request), doc["id"])
    doc["pages"] = pages.to_json() if pages else None
    show = request.query_params.get("removals") in ("1", "true", "yes", "on")
    if request.url.path.endswith(".json"):
        return doc
    # the page also gets the text cut into tokens; the JSON twin keeps plain offsets
    return {
        **doc,
        "show_removals": show,
        "tokens": tokens(doc["text"], document_marks(doc, show_removals=show)),
    }


routes = [
    *twin("/documents", _list, "documents.html"),
    *twin("/document/{doc_id:int}", _document, "document.html"),
]
