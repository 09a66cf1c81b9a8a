"""Nothing is lost: captures made while the server is down wait in IndexedDB through a stopped
service worker and a browser restart, then arrive exactly once with their own capture ids."""

import time

import pytest

from tests.conftest import PASSWORD

from .browser import wait_until
from .conftest import OPERATOR
from .evidence import count_captures, full_page_tiles, stored_capture

pytestmark = pytest.mark.e2e


def test_captures_made_offline_arrive_exactly_once_after_restart(
    launch, server, fixture_server, e2e_app, tmp_path
):
    profile = tmp_path / "profile"
    # A fractional device pixel ratio, as on many Windows laptops.
    browser = launch(profile, dpr=1.5)
    browser.sign_in(server.url, OPERATOR, PASSWORD)
    rows_before = count_captures(e2e_app)

    server.stop()
    captured = []
    for name in ("posts.html", "shadow.html"):
        page = browser.open(fixture_server.url(name))
        browser.click_action(page)
        started = time.monotonic()
        captured.append(browser.capture(page, category="hoaks", note=f"luring {name}"))
        # A short page takes a few screens, also at a fractional pixel ratio.
        assert time.monotonic() - started < 10
        page.close()
    queue = {record["capture_id"]: record for record in browser.queue()}
    assert set(queue) == set(captured)
    for record in queue.values():
        assert record["status"] == "queued"
        assert record["last_error"]["code"] == "unreachable"
        assert record["next_attempt_at"] > record["created_at"]
    assert browser.call("() => self.sipansos.retryAlarm()")["name"] == "sipansos-retry"

    # The browser stops the idle worker; a new one finds the same queue.
    browser.stop_workers()
    worker = browser.wake_worker()
    assert {r["capture_id"] for r in worker.evaluate("() => self.sipansos.listQueue()")} == set(
        captured
    )

    # The browser is closed; the server comes back; the browser starts again.
    browser.close()
    server.start()
    browser = launch(profile, dpr=1.5)
    # On start-up (runtime.onStartup) the queue goes out without waiting for the alarm.
    wait_until(lambda: not browser.queue(), timeout=40, interval=0.5, message="an empty queue")
    receipts = {entry["capture_id"]: entry["receipt"] for entry in browser.history()}
    assert set(captured) <= set(receipts)
    assert count_captures(e2e_app, captured) == 2
    assert count_captures(e2e_app) == rows_before + 2
    assert browser.call("() => self.sipansos.retryAlarm()") is None

    for capture_id in captured:
        stored = stored_capture(e2e_app, capture_id)
        assert stored["capture"]["category"] == "hoaks"
        assert all(artifact["verified"] for artifact in stored["artifacts"].values())
        height = stored["capture"]["client_info"]["page"]["height"]
        tiles = full_page_tiles(stored)
        assert abs(sum(tile.height for tile in tiles) - height * 1.5) <= 3
    browser.close()
