"""The popup: one click captures and shows the receipt; the queue shows what the server refused
or has not answered, with "retry now" and "discard"."""

import pytest
from playwright.sync_api import expect

from .browser import wait_until
from .evidence import count_captures, stored_capture

pytestmark = pytest.mark.e2e


def open_popup(browser, page):
    popup = browser.open(browser.url(f"popup/popup.html?tab={browser.tab_id(page)}"))
    popup.wait_for_selector("body[data-ready='1']")
    return popup


def queued(browser, capture_id):
    return next((r for r in browser.queue() if r["capture_id"] == capture_id), None)


def test_one_click_captures_and_shows_the_receipt(
    browser, server, open_page, fixture_server, e2e_app
):
    page = open_page(fixture_server.url("posts.html"))
    popup = open_popup(browser, page)
    try:
        assert popup.locator("#who").inner_text() == "Pengawas Satu"
        assert popup.locator("#capture").inner_text() == "Tangkap"
        popup.select_option("#category", "netralitas_asn")
        popup.fill("#note", "Kepala dinas mengajak memilih")
        popup.click("#capture")
        popup.wait_for_selector("#result:not([hidden])", timeout=40000)
        capture_id = popup.locator("#receipt-id").inner_text()
        receipt = browser.receipt(capture_id)
        assert receipt and receipt["capture_id"] == capture_id
        assert popup.locator("#receipt-digest").inner_text() == receipt["manifest_sha256"]
        assert popup.locator("#receipt-link").get_attribute("href") == receipt["evidence_url"]
        assert receipt["evidence_url"] == f"{server.url}/evidence/{capture_id}"
        newest = popup.locator("#history-list li").first
        expect(newest).to_have_attribute("data-capture-id", capture_id)
    finally:
        popup.close()
    stored = stored_capture(e2e_app, capture_id)
    assert stored["capture"]["category"] == "netralitas_asn"
    assert stored["capture"]["note"] == "Kepala dinas mengajak memilih"
    assert stored["capture"]["manifest_sha256"] == receipt["manifest_sha256"]
    # The category chosen becomes the next default.
    popup = open_popup(browser, page)
    assert popup.locator("#category").input_value() == "netralitas_asn"
    popup.close()


def test_refused_capture_stays_visible_until_discarded(
    browser, server, open_page, fixture_server, e2e_app
):
    page = open_page(fixture_server.url("posts.html"))
    server.switchboard.mode = "refuse"
    capture_id = browser.capture(page)
    record = queued(browser, capture_id)
    assert record["status"] == "failed" and record["last_error"]["status"] == 422
    # Not retried by itself: no alarm is due for a refused capture.
    assert browser.call("() => self.sipansos.processQueue()") == []

    server.switchboard.mode = None
    popup = open_popup(browser, page)
    try:
        item = popup.locator(f"#queue-list li[data-capture-id='{capture_id}']")
        assert "Ditolak server" in item.inner_text()
        assert "manifes tidak valid" in item.inner_text()
        item.locator("button[data-action='discard']").click()
        assert item.locator("button[data-action='discard']").inner_text() == "Yakin buang?"
        item.locator("button[data-action='discard']").click()
        item.wait_for(state="detached")
    finally:
        popup.close()
    assert queued(browser, capture_id) is None
    assert count_captures(e2e_app, [capture_id]) == 0


def test_lost_answer_and_server_errors_are_retried_with_the_same_capture_id(
    browser, server, open_page, fixture_server, e2e_app
):
    page = open_page(fixture_server.url("posts.html"))
    # The server stores the capture but its answer is lost on the way (a proxy's 502).
    server.switchboard.mode = "lose_response"
    capture_id = browser.capture(page)
    record = queued(browser, capture_id)
    assert record["status"] == "queued" and record["attempts"] == 1
    assert record["last_error"]["status"] == 502
    assert count_captures(e2e_app, [capture_id]) == 1
    alarm = browser.call("() => self.sipansos.retryAlarm()")
    assert alarm and alarm["scheduledTime"] >= record["next_attempt_at"] - 1000

    # Then the server is down for a moment: still queued, the backoff grows.
    server.switchboard.mode = "unavailable"
    browser.call("() => self.sipansos.processQueue({force: true})")
    record = queued(browser, capture_id)
    assert record["attempts"] == 2 and record["last_error"]["status"] == 503

    server.switchboard.mode = None
    popup = open_popup(browser, page)
    try:
        item = popup.locator(f"#queue-list li[data-capture-id='{capture_id}']")
        assert "Menunggu dikirim" in item.inner_text()
        item.locator("button[data-action='retry']").click()
        popup.wait_for_selector("#result:not([hidden])", timeout=30000)
        assert popup.locator("#receipt-id").inner_text() == capture_id
    finally:
        popup.close()
    # The server recognised the retry: the same receipt (200), one capture.
    entry = wait_until(
        lambda: next((e for e in browser.history() if e["capture_id"] == capture_id), None)
    )
    assert entry["status"] == 200
    assert count_captures(e2e_app, [capture_id]) == 1
    assert queued(browser, capture_id) is None
    assert server.switchboard.uploads[-3:] == [("lost", 201), 503, 200]
