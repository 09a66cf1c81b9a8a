"""Full-page captures: scroll-and-stitch screenshots, MHTML and DOM, as the server stored them."""

import base64
import re

import pytest

from .evidence import close_to, full_page_tiles, image, stitched, stored_capture

pytestmark = pytest.mark.e2e

RED = (255, 0, 0)
GREEN = (0, 255, 0)
MAX_TILE = 16384
REPLAY_URL = "http://sipansos-replay.test/"


def page_size(page):
    return page.evaluate(
        "() => ({height: document.scrollingElement.scrollHeight, dpr: devicePixelRatio,"
        " scrollY: scrollY, width: document.documentElement.clientWidth})"
    )


def assert_common_artifacts(stored):
    artifacts = stored["artifacts"]
    kinds = sorted({a["kind"] for a in artifacts.values()})
    assert kinds == ["dom_html", "page_mhtml", "screenshot_full", "screenshot_viewport"] or (
        "post_screenshot" in kinds
    )
    assert all(a["verified"] for a in artifacts.values()), "the store's verify failed"
    assert artifacts["page.mhtml"]["data"].startswith(b"From: <Saved by Blink>")
    assert b"Content-Type: multipart/related" in artifacts["page.mhtml"]["data"][:2000]
    assert artifacts["dom.html"]["data"].startswith(b"<!DOCTYPE html>")


def test_long_page_is_stitched_into_tiles_covering_the_whole_page(
    browser, server, open_page, fixture_server, e2e_app
):
    page = open_page(fixture_server.url("long.html"))
    page.evaluate("() => scrollTo(0, 1234)")
    capture_id = browser.capture(page, category="kampanye", note="Halaman panjang")
    assert browser.receipt(capture_id), browser.queue()

    size = page_size(page)
    # The page is left as the operator had it: same position, sticky header sticky again.
    assert size["scrollY"] == 1234
    assert page.evaluate("getComputedStyle(document.querySelector('header')).position") == "sticky"
    assert page.evaluate("document.querySelector('header').getAttribute('style')") is None
    assert (
        page.evaluate("getComputedStyle(document.querySelector('#chat')).visibility") == "visible"
    )

    stored = stored_capture(e2e_app, capture_id)
    assert_common_artifacts(stored)
    assert stored["capture"]["category"] == "kampanye"
    assert stored["capture"]["note"] == "Halaman panjang"
    tiles = full_page_tiles(stored)
    expected_height = size["height"] * size["dpr"]
    assert size["height"] == 9000 and size["dpr"] == 2
    assert len(tiles) == 2, [t.size for t in tiles]
    assert all(tile.height <= MAX_TILE for tile in tiles)
    assert abs(sum(tile.height for tile in tiles) - expected_height) <= 3
    assert all(tile.width == round(size["width"] * size["dpr"]) for tile in tiles)

    whole = stitched(tiles)
    column = [whole.getpixel((whole.width - 300, y)) for y in range(whole.height)]
    red_rows = [y for y, color in enumerate(column) if color == RED]
    # The sticky header shows once, at the top (60 CSS px), not on every screen.
    assert red_rows and red_rows[0] == 0 and len(red_rows) == 120, len(red_rows)
    green = [y for y in range(0, whole.height, 4) if whole.getpixel((whole.width - 60, y)) == GREEN]
    assert green and max(green) < 713 * 2, "the fixed button repeats below the first screen"
    # Each band is where the page has it (header 60 px, bands 745 px each).
    for index in (0, 5, 11):
        expected = (30 + 15 * index, 200 - 12 * index, 90 + 10 * index)
        y = (60 + 745 * index + 600) * 2
        assert close_to(whole.getpixel((whole.width // 2, y)), expected), index

    viewport = image(stored["artifacts"]["screenshot-viewport.png"]["data"])
    assert viewport.size == (1280 * 2, 713 * 2)
    client = stored["capture"]["client_info"]
    assert client["viewport"] == {"width": 1280, "height": 713}
    assert client["page"]["height"] == 9000
    assert client["extension_version"] == "0.1.0"
    assert client["browser"]["name"] in ("Chromium", "Google Chrome")


def test_lazy_feed_is_captured_with_its_late_images(
    browser, server, open_page, fixture_server, e2e_app
):
    page = open_page(fixture_server.url("feed.html"))
    capture_id = browser.capture(page)
    assert browser.receipt(capture_id), browser.queue()

    size = page_size(page)
    stored = stored_capture(e2e_app, capture_id)
    assert_common_artifacts(stored)
    dom = stored["artifacts"]["dom.html"]["data"].decode()
    # The feed grew while it was scrolled, and every image the observer sets was set.
    assert dom.count("<article") == 19
    observed = re.findall(r"<img [^>]*data-src=\"[^\"]+\"[^>]*>", dom)
    unset = [tag for tag in observed if ' src="/img/' not in tag]
    assert len(observed) == 9 and not unset, unset

    tiles = full_page_tiles(stored)
    assert abs(sum(t.height for t in tiles) - size["height"] * size["dpr"]) <= 3
    whole = stitched(tiles)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('article img')].map(img => {
            const r = img.getBoundingClientRect();
            return {n: +img.closest('article').dataset.postId, x: r.left + r.width / 2,
                    y: r.top + scrollY + r.height / 2};
        })"""
    )
    for box in boxes:
        n = box["n"]
        expected = ((n * 37) % 200 + 40, 0x40, (n * 53) % 200 + 40)
        pixel = whole.getpixel((round(box["x"] * 2), round(box["y"] * 2)))
        assert close_to(pixel, expected), (n, pixel, expected)


def test_shadow_dom_canvas_and_form_values_are_kept_in_the_dom(
    browser, server, open_page, fixture_server, e2e_app
):
    page = open_page(fixture_server.url("shadow.html"))
    page.fill("#name", "Budi Santoso")
    page.check("#agree")
    page.select_option("#choice", "b")
    page.fill("#comment", "Komentar <b>tebal</b> & lain-lain")
    page.fill("#secret", "rahasia-sekali")
    capture_id = browser.capture(page)
    assert browser.receipt(capture_id), browser.queue()

    stored = stored_capture(e2e_app, capture_id)
    assert_common_artifacts(stored)
    dom = stored["artifacts"]["dom.html"]["data"].decode()
    assert '<template shadowrootmode="open">' in dom
    assert "Teks di dalam shadow root terbuka" in dom
    assert "<b>Bayangan bersarang</b>" in dom
    assert '<template shadowrootmode="closed">' in dom
    assert "Teks di dalam shadow root tertutup" in dom
    assert "rgb(1, 2, 3)" in dom  # the constructed stylesheet
    assert 'value="Budi Santoso"' in dom
    assert re.search(r'<input id="agree"[^>]* checked=""', dom)
    assert re.search(r'<option value="b" selected="">', dom)
    assert "Komentar &lt;b&gt;tebal&lt;/b&gt; &amp; lain-lain</textarea>" in dom
    assert "rahasia-sekali" not in dom
    canvas = re.search(
        r'<img id="chart"[^>]* data-sipansos-canvas="" src="data:image/png;base64,([^"]+)"', dom
    )
    assert canvas, dom[dom.find("chart") - 100 : dom.find("chart") + 300]
    drawn = image(base64.b64decode(canvas.group(1)))
    assert drawn.size == (200, 100) and drawn.getpixel((100, 50)) == (12, 34, 56)

    # The saved DOM, opened again, rebuilds the shadow roots (declarative shadow DOM).
    replay = browser.context.new_page()
    try:

        def serve_dom_only(route):
            if route.request.url == REPLAY_URL:
                route.fulfill(body=dom, content_type="text/html; charset=utf-8")
            else:
                route.abort()

        replay.route("**/*", serve_dom_only)
        replay.goto(REPLAY_URL)
        text = replay.evaluate("document.querySelector('#open-host').shadowRoot.textContent")
        assert "Teks di dalam shadow root terbuka" in text
        assert replay.evaluate("document.querySelector('#chart').naturalWidth") == 200
    finally:
        replay.close()
