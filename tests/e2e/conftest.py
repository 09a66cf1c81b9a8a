"""Fixtures of the end-to-end tests: the real server on a real port (SQLite + SeaweedFS), the
fixture pages over HTTP and HTTPS, and Chromium with the unpacked extension."""

import socket
from urllib.parse import urlsplit

import pytest
from flask_migrate import upgrade

from tests.conftest import PASSWORD, build_app

from .browser import ExtensionBrowser, extension_copy
from .servers import (
    PLATFORM_FIXTURES,
    FixtureServer,
    LiveServer,
    platform_fixtures,
    self_signed_cert,
)

OPERATOR = "pengawas1"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def e2e_app(make_database, s3_settings):
    """The app on SQLite and the session's SeaweedFS, migrated, with one operator account."""
    from sipansos.services import accounts

    app = build_app(make_database("sqlite"), s3_settings, LOGIN_RATE_LIMIT="1000 per minute")
    with app.app_context():
        upgrade()
        accounts.create_user(
            None,
            username=OPERATOR,
            full_name="Pengawas Satu",
            role="operator",
            password=PASSWORD,
            must_change_password=False,
        )
    yield app
    with app.app_context():
        from sipansos.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(e2e_app):
    server = LiveServer(e2e_app, free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(live_server):
    """The live server, running and well-behaved at the start and the end of each test."""
    live_server.start()
    live_server.switchboard.mode = None
    yield live_server
    live_server.switchboard.mode = None
    live_server.start()


@pytest.fixture(scope="session")
def fixture_server():
    server = FixtureServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def platform_server(tmp_path_factory):
    """HTTPS for the platform fixtures at their real host names (None when there are none)."""
    pages = {
        urlsplit(url).hostname: PLATFORM_FIXTURES / f"{name}.html"
        for name, url, _expected in platform_fixtures()
    }
    if not pages:
        yield None
        return
    cert = self_signed_cert(tmp_path_factory.mktemp("tls"), pages)
    server = FixtureServer(platform_pages=pages, cert=cert)
    yield server
    server.close()


@pytest.fixture(scope="session")
def launch(playwright, tmp_path_factory, platform_server):
    """``launch(profile=None, dpr=2, extra_permissions=(), english=False)``: a Chromium with the
    extension (Indonesian UI unless ``english``); a profile may be launched again after closing."""
    launched = []
    extensions = {}

    def start(profile=None, *, dpr=2, extra_permissions=(), english=False):
        profile = profile or tmp_path_factory.mktemp("profile")
        # An unpacked extension's id comes from its folder: a relaunched profile needs the same.
        extension = extensions.get(str(profile))
        if extension is None:
            extension = tmp_path_factory.mktemp("extension") / "sipansos"
            extension_copy(extension, extra_permissions=extra_permissions, english=english)
            extensions[str(profile)] = extension
        browser = ExtensionBrowser(
            playwright,
            profile,
            extension,
            dpr=dpr,
            platform_port=platform_server.port if platform_server else None,
        )
        launched.append(browser)
        return browser

    yield start
    for browser in launched:
        try:
            browser.close()
        except Exception:  # noqa: S110 - already closed by its test
            pass


@pytest.fixture(scope="session")
def browser(launch, live_server):
    """The shared browser (device pixel ratio 2), signed in as the operator."""
    browser = launch()
    live_server.start()
    browser.sign_in(live_server.url, OPERATOR, PASSWORD)
    return browser


@pytest.fixture
def open_page(browser):
    """``open_page(url)`` in the shared browser, with activeTab granted; closed after the test."""
    pages = []

    def open_(url, *, grant=True):
        page = browser.open(url)
        if grant:
            browser.click_action(page)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()
