"""Post metadata from the platform fixtures, served at their real URLs (HTTPS, mapped to a local
server), as the server stored it: the page's main post from "Tangkap", a second post from
"Tangkap postingan ini" on it."""

import datetime

import pytest

from .evidence import image, stored_capture
from .servers import platform_fixtures

pytestmark = pytest.mark.e2e

FIXTURES = platform_fixtures()
POST_COLUMNS = {
    "author_name": "post_author_name",
    "author_handle": "post_author_handle",
    "author_url": "post_author_url",
    "post_id": "post_id",
    "posted_at": "post_posted_at",
    "text": "post_text",
    "permalink": "post_permalink",
}


def assert_post(stored, expected):
    capture = stored["capture"]
    assert capture["platform"] == expected["platform"]
    for field, column in POST_COLUMNS.items():
        want = expected.get(field)
        got = capture[column]
        if field == "posted_at" and want is not None:
            want = datetime.datetime.fromisoformat(want.replace("Z", "+00:00"))
        assert got == want, (field, got, want)


@pytest.mark.skipif(not FIXTURES, reason="no platform fixtures in tests/e2e/fixtures/platforms")
@pytest.mark.parametrize(("name", "url", "expected"), FIXTURES, ids=[f[0] for f in FIXTURES])
def test_platform_post_metadata(name, url, expected, browser, server, open_page, e2e_app):
    page = open_page(url)
    assert page.url == url
    capture_id = browser.capture(page)
    assert browser.receipt(capture_id), browser.queue()
    stored = stored_capture(e2e_app, capture_id)
    assert stored["capture"]["url"] == url
    assert_post(stored, expected["main"])

    second = expected.get("second")
    if not second:
        return
    # Some fixtures show a dialog over the feed, as the sites do when a post is opened; the
    # right-click goes to the element itself (the page script, injected by the first capture,
    # remembers the contextmenu target).
    page.dispatch_event(second["selector"], "contextmenu")
    capture_id = browser.context_menu(page)
    assert browser.receipt(capture_id), browser.queue()
    stored = stored_capture(e2e_app, capture_id)
    assert_post(stored, second["expected"])
    box = page.locator(second["selector"]).bounding_box()
    shot = image(stored["artifacts"]["post-screenshot.png"]["data"])
    # The crop is the post's box (the part of it on screen when it is taller than the window).
    assert abs(shot.width - box["width"] * 2) <= 4
    assert shot.height <= box["height"] * 2 + 4
