"""Capturing one post: "Tangkap postingan ini" (context menu) and the popup's element picker."""

import pytest

from .browser import wait_until
from .evidence import close_to, image, stored_capture

pytestmark = pytest.mark.e2e

POST_COLORS = {"p1": (200, 60, 60), "p2": (60, 160, 90), "p3": (70, 90, 200)}
POST_SIZE = (500, 420)  # CSS px
DPR = 2


def assert_post_screenshot(stored, post):
    shot = image(stored["artifacts"]["post-screenshot.png"]["data"])
    assert abs(shot.width - POST_SIZE[0] * DPR) <= 2 and abs(shot.height - POST_SIZE[1] * DPR) <= 2
    assert close_to(shot.getpixel((shot.width // 2, shot.height - 20)), POST_COLORS[post])
    assert stored["artifacts"]["post-screenshot.png"]["kind"] == "post_screenshot"


def test_context_menu_captures_the_right_clicked_post(
    browser, server, open_page, fixture_server, e2e_app
):
    page = open_page(fixture_server.url("posts.html"))
    # Chromium does not say which element was right-clicked: the page script, injected only
    # now, finds it under the pointer.
    page.click("#p2 p", button="right")
    capture_id = browser.context_menu(page)
    assert browser.receipt(capture_id), browser.queue()
    stored = stored_capture(e2e_app, capture_id)
    assert_post_screenshot(stored, "p2")
    assert stored["capture"]["platform"] == "web"
    assert all(a["verified"] for a in stored["artifacts"].values())

    # Now the page script is there and remembers the contextmenu target itself.
    page.mouse.move(5, 5)
    page.click("#p3 p", button="right")
    page.mouse.move(5, 5)
    scrolled = page.evaluate("scrollY")
    capture_id = browser.context_menu(page)
    assert browser.receipt(capture_id), browser.queue()
    assert_post_screenshot(stored_capture(e2e_app, capture_id), "p3")
    # The page is back where the operator left it.
    assert page.evaluate("scrollY") == scrolled


def test_popup_picker_captures_the_clicked_post(
    browser, server, open_page, fixture_server, e2e_app
):
    page = open_page(fixture_server.url("posts.html"))
    tab_id = browser.tab_id(page)
    before = {entry["capture_id"] for entry in browser.history()}
    popup = browser.open(browser.url(f"popup/popup.html?tab={tab_id}"))
    popup.wait_for_selector("body[data-ready='1']")
    popup.select_option("#category", "hoaks")
    popup.fill("#note", "Dipilih dengan penunjuk")
    popup.click("#pick")
    page.bring_to_front()
    page.wait_for_selector("[data-sipansos-ui]", state="attached")
    box = page.locator("#p1").bounding_box()
    page.mouse.move(box["x"] + 50, box["y"] + 200)
    page.mouse.click(box["x"] + 60, box["y"] + 210)

    def new_receipt():
        fresh = [e for e in browser.history() if e["capture_id"] not in before]
        return fresh[0] if fresh else None

    entry = wait_until(new_receipt, timeout=40, interval=0.5, message="the picked post's receipt")
    stored = stored_capture(e2e_app, entry["capture_id"])
    assert_post_screenshot(stored, "p1")
    assert stored["capture"]["category"] == "hoaks"
    assert stored["capture"]["note"] == "Dipilih dengan penunjuk"
    # The picker's overlay is gone and did not end up in the DOM artifact.
    assert page.locator("[data-sipansos-ui]").count() == 0
    assert b"data-sipansos-ui" not in stored["artifacts"]["dom.html"]["data"]
    if not popup.is_closed():
        popup.close()
