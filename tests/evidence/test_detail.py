"""One capture: metadata, receipt, downloads, image views, replay and the integrity check."""

import hashlib
import re
import uuid
from html import unescape as html_unescape

import pytest
from sqlalchemy import update

from sipansos.extensions import db
from sipansos.models import Capture
from tests.capture_helpers import mhtml_bytes, png_bytes
from tests.conftest import post_form
from tests.evidence.conftest import capture_row

SCRIPTED_PAGE = (
    "<html><head><script>alert('x')</script></head>"
    '<body onload="steal()"><p>Ayo pilih nomor 2!</p><script src="https://evil.example/a.js">'
    "</script></body></html>"
)


@pytest.fixture
def stored(login_as, api_secret, store_capture):
    """A capture with two full-page tiles, a viewport, a post screenshot, MHTML and DOM HTML."""
    login_as("operator")
    files = {
        "screenshot-full-0.png": ("screenshot_full", "image/png", png_bytes(100, 300)),
        "screenshot-full-1.png": ("screenshot_full", "image/png", png_bytes(100, 120)),
        "viewport.png": ("screenshot_viewport", "image/png", png_bytes(100, 60)),
        "post.png": ("post_screenshot", "image/png", png_bytes(50, 40)),
        "page.mhtml": ("page_mhtml", "multipart/related", mhtml_bytes(SCRIPTED_PAGE)),
        "dom.html": ("dom_html", "text/html", ("<!DOCTYPE html>" + SCRIPTED_PAGE).encode()),
    }
    return store_capture(api_secret("siti"), files)


def test_detail_shows_metadata_receipt_and_hashes(app, client, stored):
    manifest, files = stored
    capture = capture_row(app, manifest["capture_id"])
    response = client.get(f"/evidence/{manifest['capture_id']}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for shown in (
        "Postingan dukungan",
        manifest["url"],
        "Budi Santoso",
        "budi.s",
        "https://www.facebook.com/budi.s",
        "Ayo pilih nomor 2!",
        "Kepala sekolah mengunggah dukungan",
        "netralitas_asn",
        "Chromium 156",
        "0.1.0",
        "1280 × 800 px",
        "Siti (@siti)",
        "20 Nov 2026 08:00:00 WIB",  # post time, in WIB
        capture.manifest_sha256,
        capture.signature,
        capture.signing_key_id,
    ):
        assert shown in html, shown
    for name, data in files.items():
        assert hashlib.sha256(data).hexdigest() in html
        assert f"/evidence/{manifest['capture_id']}/artifacts/{name}" in html
    # The URL is text; the original opens only through an explicit external link.
    link = re.search(r'<a href="https://www.facebook.com/someone/posts/123"[^>]*>', html).group(0)
    assert 'rel="noopener noreferrer external"' in link and 'target="_blank"' in link
    # Full-page tiles in order, then the other screenshots, all through the image view.
    tiles = re.findall(r'artifacts/(screenshot-full-\d\.png)/view" alt', html)
    assert tiles == ["screenshot-full-0.png", "screenshot-full-1.png"]
    assert "artifacts/viewport.png/view" in html and "artifacts/post.png/view" in html
    assert "artifacts/page.mhtml/view" not in html
    assert client.get("/evidence/00000000-0000-0000-0000-000000000000").status_code == 404


def test_detail_page_frames_the_replay_in_a_sandbox(app, client, stored):
    manifest, _ = stored
    response = client.get(f"/evidence/{manifest['capture_id']}")
    html = response.get_data(as_text=True)
    frame = re.search(r"<iframe[^>]*>", html).group(0)
    assert f'src="/evidence/{manifest["capture_id"]}/replay"' in frame
    assert re.search(r"\ssandbox[\s>]", frame) and "allow-" not in frame
    csp = response.headers["Content-Security-Policy"]
    assert "frame-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"

    app.config["REPLAY_ORIGIN"] = "https://replay.sipansos.example/"
    try:
        response = client.get(f"/evidence/{manifest['capture_id']}")
    finally:
        app.config["REPLAY_ORIGIN"] = None
    html = response.get_data(as_text=True)
    assert (
        f'src="https://replay.sipansos.example/evidence/{manifest["capture_id"]}/replay?t=' in html
    )
    assert (
        "frame-src 'self' https://replay.sipansos.example;"
        in (response.headers["Content-Security-Policy"])
    )


def test_separate_replay_origin_gets_a_signed_short_lived_link(app, client, stored):
    manifest, _ = stored
    app.config["REPLAY_ORIGIN"] = "https://replay.sipansos.example"
    try:
        html = client.get(f"/evidence/{manifest['capture_id']}").get_data(as_text=True)
    finally:
        app.config["REPLAY_ORIGIN"] = None
    src = html_unescape(re.search(r'<iframe[^>]*src="([^"]+)"', html).group(1))
    path = src.removeprefix("https://replay.sipansos.example")
    token = path.split("?t=", 1)[1]

    # The replay origin has no session cookie: the link alone opens it, framed only by us.
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "sandbox" in csp and csp.endswith("frame-ancestors http://localhost")
    assert "Ayo pilih nomor 2!" in response.get_data(as_text=True)

    assert anonymous.get(f"{path[:-3]}xyz").status_code == 403  # tampered token
    other = "00000000-0000-4000-8000-000000000000"
    assert anonymous.get(f"/evidence/{other}/replay?t={token}").status_code == 403
    assert anonymous.get(path.split("?")[0]).status_code == 302  # no link, no session: sign in


def test_download_returns_the_original_bytes_as_an_attachment(client, stored):
    manifest, files = stored
    for name, data in files.items():
        response = client.get(f"/evidence/{manifest['capture_id']}/artifacts/{name}")
        assert response.status_code == 200, name
        assert response.data == data, name
        assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
    page = client.get(f"/evidence/{manifest['capture_id']}/artifacts/page.mhtml")
    assert page.mimetype == "application/octet-stream"  # never rendered as a page
    html = client.get(f"/evidence/{manifest['capture_id']}/artifacts/dom.html")
    assert html.mimetype == "application/octet-stream"
    png = client.get(f"/evidence/{manifest['capture_id']}/artifacts/viewport.png")
    assert png.mimetype == "image/png"
    assert client.get(f"/evidence/{manifest['capture_id']}/artifacts/nope.png").status_code == 404


def test_image_view_is_locked_down_and_images_only(client, stored):
    manifest, files = stored
    response = client.get(f"/evidence/{manifest['capture_id']}/artifacts/viewport.png/view")
    assert response.status_code == 200 and response.data == files["viewport.png"]
    assert response.mimetype == "image/png"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    cached = client.get(
        f"/evidence/{manifest['capture_id']}/artifacts/viewport.png/view",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert cached.status_code == 304
    for name in ("page.mhtml", "dom.html", "nope.png"):
        view = client.get(f"/evidence/{manifest['capture_id']}/artifacts/{name}/view")
        assert view.status_code == 404, name


def test_replay_is_sandboxed_frameable_by_us_and_has_no_script(client, stored):
    manifest, _ = stored
    response = client.get(f"/evidence/{manifest['capture_id']}/replay")
    assert response.status_code == 200
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    body = response.get_data(as_text=True)
    assert "Ayo pilih nomor 2!" in body
    assert "<script" not in body.lower() and "onload" not in body.lower()
    assert "evil.example" not in body


def test_replay_falls_back_to_the_dom_html(client, login_as, api_secret, store_capture):
    login_as("operator")
    page = ("<!DOCTYPE html>" + SCRIPTED_PAGE).encode()
    manifest, _ = store_capture(api_secret("siti"), {"dom.html": ("dom_html", "text/html", page)})
    response = client.get(f"/evidence/{manifest['capture_id']}/replay")
    assert response.status_code == 200 and "sandbox" in response.headers["Content-Security-Policy"]
    body = response.get_data(as_text=True)
    assert "Ayo pilih nomor 2!" in body and "<script" not in body.lower()


def test_no_replay_without_a_page_snapshot(client, login_as, api_secret, store_capture):
    login_as("operator")
    only_png = {"viewport.png": ("screenshot_viewport", "image/png", png_bytes())}
    manifest, _ = store_capture(api_secret("siti"), only_png)
    assert "<iframe" not in client.get(f"/evidence/{manifest['capture_id']}").get_data(as_text=True)
    assert client.get(f"/evidence/{manifest['capture_id']}/replay").status_code == 404


def test_integrity_button_reports_intact_then_a_changed_record(app, client, stored):
    manifest, _ = stored
    path = f"/evidence/{manifest['capture_id']}"
    response = post_form(client, f"{path}/verify", token_page=path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Integritas terverifikasi" in html and "integrity-ok" in html

    with app.app_context():
        db.session.execute(
            update(Capture)
            .where(Capture.capture_uuid == uuid.UUID(manifest["capture_id"]))
            .values(note="Catatan diubah diam-diam")
        )
        db.session.commit()
    html = post_form(client, f"{path}/verify", token_page=path).get_data(as_text=True)
    assert "integrity-failed" in html and "field &#39;note&#39;" in html
