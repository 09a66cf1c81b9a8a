"""Precise screenshots: with the optional debugger permission the full page comes from the
DevTools protocol (captureBeyondViewport) in tiles of at most 16384 px, without scrolling."""

import pytest

from tests.conftest import PASSWORD

from .conftest import OPERATOR
from .evidence import close_to, full_page_tiles, stitched, stored_capture

pytestmark = pytest.mark.e2e


def test_precise_mode_captures_a_very_tall_page_in_tiles(launch, server, fixture_server, e2e_app):
    # The copy's manifest holds "debugger", as if the operator had allowed it; the browser
    # keeps its English UI (the second language).
    browser = launch(dpr=1, extra_permissions=["debugger"], english=True)
    browser.sign_in(server.url, OPERATOR, PASSWORD)
    options = browser.open_options()
    assert options.locator("label[for='username']").inner_text() == "Username"
    options.check("#precise")
    assert browser.call("() => chrome.storage.local.get('settings')")["settings"][
        "preciseScreenshots"
    ]
    options.close()

    page = browser.open(fixture_server.url("tall.html"))
    browser.click_action(page)
    page.evaluate("() => scrollTo(0, 5000)")
    capture_id = browser.capture(page)
    assert browser.receipt(capture_id), browser.queue()
    assert page.evaluate("scrollY") == 5000

    stored = stored_capture(e2e_app, capture_id)
    tiles = full_page_tiles(stored)
    assert [tile.height for tile in tiles] == [16384, 20000 - 16384]
    assert all(tile.width == 1280 for tile in tiles)
    whole = stitched(tiles)
    for index in (0, 3, 16, 17, 19):
        expected = (20 + 11 * index, 230 - 9 * index, 60 + 8 * index)
        assert close_to(whole.getpixel((640, index * 1000 + 500)), expected), index
    assert all(artifact["verified"] for artifact in stored["artifacts"].values())
    browser.close()
