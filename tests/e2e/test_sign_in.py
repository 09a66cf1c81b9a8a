"""Signing in and out through the options page, against the real server; a token revoked on the
server sends captures to "needs sign-in" until the operator signs in again."""

import datetime
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.conftest import PASSWORD

from .browser import wait_until
from .conftest import OPERATOR
from .evidence import count_captures

pytestmark = pytest.mark.e2e


def tokens_of(app, username):
    from sipansos.extensions import db
    from sipansos.models import ApiToken, User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        rows = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
        return [(t.name, t.prefix, t.revoked_at) for t in rows]


def revoke_all(app, username):
    from sipansos.extensions import db
    from sipansos.models import ApiToken, User
    from sipansos.services import tokens

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)):
            tokens.revoke_token(user, token)


def new_token(app, username, name):
    from sipansos.extensions import db
    from sipansos.models import User
    from sipansos.services import tokens

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return tokens.create_token(user, name)[1]


@pytest.fixture(scope="module")
def own_browser(launch):
    browser = launch(dpr=1)
    yield browser
    browser.close()


def test_sign_in_and_out_through_the_options_page(own_browser, server, e2e_app, fixture_server):
    from sipansos.services import accounts

    browser = own_browser
    with e2e_app.app_context():
        accounts.create_user(
            None,
            username="baru1",
            full_name="Pengawas Baru",
            role="operator",
            password=PASSWORD,
            must_change_password=True,
        )
    options = browser.open_options()
    assert options.locator("#signin-section").is_visible()

    options.fill("#server-url", server.url + "/")
    options.fill("#username", OPERATOR)
    options.fill("#password", "salah sekali")
    options.click("#signin")
    error = options.locator("#error")
    error.wait_for(state="visible")
    assert "Nama pengguna atau kata sandi salah" in error.inner_text()

    # A temporary password must first be changed on the web.
    options.fill("#username", "baru1")
    options.fill("#password", PASSWORD)
    options.click("#signin")
    expect(error).to_contain_text("kata sandi sementara")

    options.fill("#username", OPERATOR)
    options.fill("#password", PASSWORD)
    options.click("#signin")
    options.wait_for_selector("#account-section:not([hidden])")
    assert options.locator("#account-name").inner_text() == "Pengawas Satu"
    assert options.locator("#account-role").inner_text() == "Operator"
    assert options.locator("#signin-section").is_hidden()
    assert options.locator("#password").input_value() == ""
    today = datetime.date.today().isoformat()
    issued = [t for t in tokens_of(e2e_app, OPERATOR) if t[2] is None and t[0].endswith(today)]
    assert any(re.fullmatch(rf"Chromium {today}", name) for name, _p, _r in issued), issued

    # The token stays with the extension: pages and content scripts never see it.
    auth = browser.call("() => chrome.storage.local.get('auth')")["auth"]
    assert auth["token"].startswith("sps_") and auth["server_url"] == server.url
    # The server revokes the token (e.g. an admin did): the next upload is refused with 401,
    # the capture waits for a new sign-in.
    revoke_all(e2e_app, OPERATOR)
    page = browser.open(fixture_server.url("posts.html"))
    browser.click_action(page)
    capture_id = browser.capture(page)
    record = next(r for r in browser.queue() if r["capture_id"] == capture_id)
    assert record["status"] == "needs_signin" and record["last_error"]["status"] == 401
    # Content scripts (which run in the page's process) cannot read the stored token.
    seen_by_content_script = browser.call(
        """async (tabId) => (await chrome.scripting.executeScript({
            target: {tabId},
            func: () => chrome.storage.local.get("auth").then(JSON.stringify, String),
        }))[0].result""",
        browser.tab_id(page),
    )
    assert seen_by_content_script.startswith("Error"), seen_by_content_script
    options.reload()
    options.wait_for_selector("body[data-ready='1']")
    assert options.locator("#account-invalid").is_visible()

    # Signing in with a token pasted from the web interface sends the waiting capture.
    options.click("#token-details summary")
    options.fill("#token", new_token(e2e_app, OPERATOR, "Disalin dari web"))
    options.click("#signin-token")
    options.wait_for_selector("#account-invalid[hidden]", state="attached")
    assert options.locator("#account-token").inner_text().startswith("Disalin dari web")
    wait_until(lambda: browser.receipt(capture_id), timeout=30, message="the waiting capture")
    assert count_captures(e2e_app, [capture_id]) == 1

    # Signing out revokes the token on the server and forgets it here.
    options.click("#signout")
    options.wait_for_selector("#signin-section:not([hidden])")
    assert "Anda telah keluar" in options.locator("#message").inner_text()
    assert all(
        revoked is not None
        for _n, _p, revoked in tokens_of(e2e_app, OPERATOR)
        if _n == "Disalin dari web"
    )
    assert browser.call("() => chrome.storage.local.get('auth')") == {}
    options.close()
    page.close()
