"""The evidence list (Bukti): thumbnails, filters, grouping of versions."""

import io
import uuid
from datetime import UTC, datetime

from PIL import Image
from sqlalchemy import select, update

from sipansos.extensions import db
from sipansos.models import Capture, User
from tests.capture_helpers import png_bytes, post_fields
from tests.evidence.conftest import ROW_LINK, listed


def user_id(app, username):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def set_received_at(app, capture_id, when):
    with app.app_context():
        db.session.execute(
            update(Capture)
            .where(Capture.capture_uuid == uuid.UUID(capture_id))
            .values(received_at=when)
        )
        db.session.commit()


def test_list_shows_the_capture_with_a_thumbnail_from_the_viewport(
    client, login_as, api_secret, store_capture
):
    login_as("operator")
    files = {
        "screenshot-full-0.png": ("screenshot_full", "image/png", png_bytes(400, 900)),
        "viewport.png": (
            "screenshot_viewport",
            "image/png",
            png_bytes(640, 400, color=(20, 40, 200)),
        ),
    }
    manifest, _files = store_capture(api_secret("siti"), files)
    response = client.get("/evidence")
    html = response.get_data(as_text=True)
    assert listed(client) == [manifest["capture_id"]]
    for shown in ("Postingan dukungan", "Budi Santoso", "budi.s", "Facebook", "@siti", "WIB"):
        assert shown in html
    assert manifest["url"] in html

    thumb_url = f"/evidence/{manifest['capture_id']}/thumbnail"
    assert thumb_url in html
    thumb = client.get(thumb_url)
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert "max-age" in thumb.headers["Cache-Control"]
    image = Image.open(io.BytesIO(thumb.data))
    image.load()
    assert image.format == "JPEG" and image.size == (320, 200)
    red, green, blue = image.convert("RGB").getpixel((10, 10))
    assert blue > 150 and red < 80  # made from the blue viewport, not the red page
    again = client.get(thumb_url, headers={"If-None-Match": thumb.headers["ETag"]})
    assert again.status_code == 304


def test_thumbnail_falls_back_to_a_placeholder(client, login_as, api_secret, store_capture):
    login_as("operator")
    html_only = {
        "dom.html": ("dom_html", "text/html", b"<!DOCTYPE html><html><body>x</body></html>")
    }
    manifest, _ = store_capture(api_secret("siti"), html_only)
    thumb = client.get(f"/evidence/{manifest['capture_id']}/thumbnail")
    assert thumb.status_code == 200 and thumb.mimetype == "image/png"
    assert Image.open(io.BytesIO(thumb.data)).format == "PNG"
    assert client.get("/evidence/00000000-0000-0000-0000-000000000000/thumbnail").status_code == 404


def _three_captures(app, api_secret, store_capture):
    first = api_secret("siti")
    second = api_secret("joko")
    a, _ = store_capture(first)
    b, _ = store_capture(
        second,
        url="https://www.instagram.com/p/XyZ/",
        platform="instagram",
        title=None,
        post=post_fields(
            author_name="Siti Aminah",
            author_handle="siti.a",
            text="Kampanye di sekolah dasar",
            permalink=None,
        ),
    )
    c, _ = store_capture(
        first,
        url="https://www.tiktok.com/@camat/video/9",
        platform="tiktok",
        title="Video camat",
        post=post_fields(
            author_name="Pak Camat", author_handle="camat", text="50%_diskon", permalink=None
        ),
    )
    # A: 21 Nov 00:30 WIB (still 20 Nov in UTC); B: 19 Nov 19:00 WIB; C: now.
    set_received_at(app, a["capture_id"], datetime(2026, 11, 20, 17, 30, tzinfo=UTC))
    set_received_at(app, b["capture_id"], datetime(2026, 11, 19, 12, 0, tzinfo=UTC))
    return a["capture_id"], b["capture_id"], c["capture_id"]


def test_filters_include_and_exclude(app, client, login_as, api_secret, store_capture):
    login_as("operator")
    a, b, c = _three_captures(app, api_secret, store_capture)
    assert listed(client) == [c, a, b]  # newest first
    assert listed(client, "platform=instagram") == [b]
    assert listed(client, "platform=tiktok") == [c]
    assert listed(client, f"operator={user_id(app, 'joko')}") == [b]
    assert listed(client, f"operator={user_id(app, 'siti')}") == [c, a]
    # Search: post text, author name and handle, URL, title; case-insensitive.
    assert listed(client, "q=KAMPANYE") == [b]
    assert listed(client, "q=budi") == [a]
    assert listed(client, "q=siti.a") == [b]
    assert listed(client, "q=instagram.com/p/xyz") == [b]
    assert listed(client, "q=video+camat") == [c]
    # LIKE wildcards are searched for literally.
    assert listed(client, "q=50%25_d") == [c]
    assert listed(client, "q=5%25k") == []
    # Dates are Jakarta calendar days.
    assert listed(client, "date_from=2026-11-21") == [c, a]
    assert listed(client, "date_to=2026-11-20") == [b]
    assert listed(client, "date_from=2026-11-19&date_to=2026-11-19") == [b]
    assert listed(client, "date_from=2026-11-20&date_to=2026-11-20") == []
    assert listed(client, "platform=facebook&q=ayo&date_to=2026-11-21") == [a]
    empty = client.get("/evidence?q=nothing-like-this").get_data(as_text=True)
    assert "Tidak ada bukti yang cocok" in empty
    # A malformed filter is ignored and named, never a server error.
    response = client.get("/evidence?date_from=21-11-2026&operator=abc")
    assert (
        response.status_code == 200 and len(ROW_LINK.findall(response.get_data(as_text=True))) == 3
    )
    assert listed(client, "page=9") == []


def test_captures_of_the_same_post_are_one_row_with_versions(
    app, client, login_as, api_secret, store_capture
):
    login_as("operator")
    secret = api_secret("siti")
    older, _ = store_capture(secret)
    set_received_at(app, older["capture_id"], datetime(2026, 11, 20, 1, 0, tzinfo=UTC))
    # Same post, reached through a share link with tracking parameters.
    newer, _ = store_capture(
        secret, url="https://www.facebook.com/someone/posts/123?fbclid=abc", title="Diedit"
    )
    other, _ = store_capture(
        secret, url="https://www.facebook.com/other/posts/9", post=post_fields(permalink=None)
    )
    assert listed(client) == [other["capture_id"], newer["capture_id"]]
    html = client.get("/evidence").get_data(as_text=True)
    assert f'href="/evidence/{newer["capture_id"]}#versions"' in html
    assert "2 versi" in html

    detail = client.get(f"/evidence/{newer['capture_id']}").get_data(as_text=True)
    assert 'id="versions"' in detail
    assert f'href="/evidence/{older["capture_id"]}"' in detail
    older_detail = client.get(f"/evidence/{older['capture_id']}").get_data(as_text=True)
    assert f'href="/evidence/{newer["capture_id"]}"' in older_detail
