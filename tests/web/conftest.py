"""Fixtures of the web tests: the examples plus two test documents ingested once per session,
an in-process client, and (for tests marked `browser`) uvicorn in a thread with headless
Chromium driven by Playwright."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
SCREENSHOTS = ROOT / "screenshots"
TOKEN = "test-token-for-curation"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    """A test whose store is ingested with spaCy needs the model: say so with the marker,
    whichever fixture brought the store in."""
    for item in items:
        if {"web_db", "fresh_site"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


def make_corpus(folder: Path) -> Path:
    """The examples and the web test documents, copied into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in [*EXAMPLES.glob("*.txt"), *DATA.glob("*.txt")]:
        shutil.copy(source, folder / source.name)
    return folder


def ingest_folder(folder: Path, db: Path) -> Path:
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    with Store.open(db) as store:
        report = ingest([folder], store)
    assert not report.failed, report.failed
    return db


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    """A store of the examples and the web test documents. Read it; to change it, use
    `writable_db`."""
    base = tmp_path_factory.mktemp("web")
    return ingest_folder(make_corpus(base / "corpus"), base / "web.db")


@pytest.fixture
def writable_db(web_db, tmp_path) -> Path:
    copy = tmp_path / "web.db"
    shutil.copy(web_db, copy)
    return copy


def make_client(db: Path, *, auth: bool = True):
    from starlette.testclient import TestClient

    from kartoteka.web import WebConfig, create_app

    app = create_app(
        WebConfig(
            str(db),
            token=TOKEN if auth else None,
            auth=auth,
            allowed_hosts=("testserver",),
            author="tester",
        )
    )
    return TestClient(app)


@pytest.fixture(scope="session")
def read_db(web_db, tmp_path_factory) -> Path:
    """A copy the read-only clients and servers open (the app writes its search index)."""
    copy = tmp_path_factory.mktemp("read") / "web.db"
    shutil.copy(web_db, copy)
    return copy


@pytest.fixture(scope="session")
def client(read_db):
    """A client that has not signed in."""
    with make_client(read_db) as c:
        yield c


@pytest.fixture
def curator(writable_db):
    """A signed-in client on a private store, and that store's path."""
    with make_client(writable_db) as c:
        c.get("/login", params={"token": TOKEN})
        yield c


@pytest.fixture
def store_of():
    """Open a store read-only-ish for checking what a test did."""
    from kartoteka.store import Store

    opened = []

    def open_(path):
        store = Store.open(path)
        opened.append(store)
        return store

    yield open_
    for s in opened:
        s.close()


# browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no {CHROMIUM}: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def start_server(db: Path):
    from kartoteka.web import Server, WebConfig, create_app

    app = create_app(WebConfig(str(db), token=TOKEN, author="tester"))
    return Server(app).start()


@pytest.fixture(scope="session")
def live(read_db):
    """The app served by uvicorn on a free loopback port; its base URL."""
    server = start_server(read_db)
    yield server.url
    server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    # what the browser logs as an error (a failed request, a refused script, a WebGL failure)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.console_errors = console
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def token() -> str:
    return TOKEN


@pytest.fixture
def client_for():
    """`client_for(db, auth=True)`: a fresh in-process client on a store."""
    made = []

    def make(db, *, auth: bool = True):
        c = make_client(db, auth=auth)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


class Site:
    """A private corpus folder, its store and a server on it (for tests that write)."""

    def __init__(self, folder: Path, db: Path):
        self.folder, self.db, self.token = folder, db, TOKEN
        self.server = start_server(db)
        self.url = self.server.url

    def reingest_changed(self, name: str, extra: str) -> None:
        """Change one source file and ingest the folder again, as a user would."""
        with open(self.folder / name, "a", encoding="utf-8") as f:
            f.write(extra)
        ingest_folder(self.folder, self.db)


@pytest.fixture
def fresh_site(tmp_path):
    folder = make_corpus(tmp_path / "corpus")
    site = Site(folder, ingest_folder(folder, tmp_path / "site.db"))
    yield site
    site.server.stop()
