"""The dashboard chart in headless Chromium: the vendored uPlot draws the captures per platform
per day under the app's Content Security Policy, with nothing refused."""

import hashlib
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD

from .conftest import OPERATOR

pytestmark = pytest.mark.e2e


def store_captures(app):
    from sipansos.extensions import db
    from sipansos.models import Capture, User
    from sipansos.models.types import utcnow

    with app.app_context():
        operator = db.session.scalar(select(User).where(User.username == OPERATOR))
        for index, platform in enumerate(["facebook", "facebook", "tiktok", "x"]):
            digest = hashlib.sha256(f"chart-{index}-{uuid.uuid4()}".encode()).hexdigest()
            db.session.add(
                Capture(
                    capture_uuid=uuid.uuid4(),
                    source="extension",
                    request_sha256=digest,
                    url=f"https://example.org/chart/{index}",
                    post_key=digest,
                    platform=platform,
                    received_at=utcnow() - timedelta(days=index),
                    uploader=operator,
                    client_info={},
                    manifest_sha256=digest,
                    signature="0" * 128,
                    signing_key_id="test",
                )
            )
        db.session.commit()


def test_dashboard_chart_draws_under_the_csp(playwright, e2e_app, server, tmp_path):
    screenshot_dir = tmp_path
    store_captures(e2e_app)
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS)
    )
    try:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        problems = []
        page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{server.url}/login")
        page.fill("input[name=username]", OPERATOR)
        page.fill("input[name=password]", PASSWORD)
        page.click("main input[type=submit]")
        page.wait_for_url(f"{server.url}/")
        chart = page.locator("#captures-chart[data-drawn=true]")
        chart.wait_for()
        assert chart.locator("canvas").count() == 1
        box = chart.locator("canvas").bounding_box()
        assert box["width"] > 500 and box["height"] > 200
        legend = chart.locator(".u-legend").inner_text()
        for label in ("Facebook", "TikTok", "X (Twitter)"):
            assert label in legend
        # uPlot's own stylesheet (same origin) applies.
        assert chart.locator(".u-legend").evaluate("e => getComputedStyle(e).fontSize") == "14px"
        page.screenshot(path=str(screenshot_dir / "dashboard.png"), full_page=True)
        assert not [p for p in problems if "Content Security Policy" in p or "uPlot" in p], problems
        assert not problems, problems
    finally:
        browser.close()
