"""Unggah Bukti: files that did not come through the extension, stored like every capture."""

import hashlib
import io
import re
from datetime import UTC, datetime

from PIL import Image
from sqlalchemy import func, select

from sipansos.extensions import db
from sipansos.models import AuditEvent, Capture
from sipansos.storage import get_store
from tests.conftest import post_form
from tests.evidence.conftest import capture_row

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def jpeg_bytes(color=(10, 120, 60)):
    out = io.BytesIO()
    Image.new("RGB", (120, 90), color).save(out, format="JPEG")
    return out.getvalue()


def upload(client, files, **fields):
    data = {
        "url": "https://chat.whatsapp.com/grup-desa",
        "platform": "whatsapp",
        "author_name": "Kepala Desa Sukamaju",
        "author_handle": "+62 812-0000-0000",
        "post_text": "Warga wajib pilih paslon 1",
        "category": "netralitas_kades",
        "note": "Tangkapan layar dari ponsel pelapor",
        **fields,
        "files": [(io.BytesIO(content), name) for name, content in files],
    }
    return post_form(client, "/evidence/upload", data, token_page="/evidence/upload")


def capture_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Capture.id)))


def test_upload_page_offers_the_form(client, login_as):
    login_as("operator")
    html = client.get("/evidence/upload").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="files"' in html and "multiple" in html
    assert '<option value="whatsapp">WhatsApp</option>' in html


def test_manual_upload_of_a_jpeg_and_a_pdf(app, client, login_as):
    operator_id = login_as("operator")
    photo = jpeg_bytes()
    response = upload(
        client,
        [("foto layar.jpg", photo), ("chat.pdf", PDF)],
        captured_at="2026-11-21T09:30",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    capture_id = re.fullmatch(r"/evidence/([0-9a-f-]{36})", response.headers["Location"]).group(1)

    capture = capture_row(app, capture_id)
    assert capture.source == "manual" and capture.uploader_id == operator_id
    assert capture.platform == "whatsapp" and capture.post_text == "Warga wajib pilih paslon 1"
    assert capture.post_author_name == "Kepala Desa Sukamaju"
    assert capture.client_captured_at == datetime(2026, 11, 21, 2, 30, tzinfo=UTC)  # 09:30 WIB
    assert [(a.name, a.kind, a.media_type, a.size, a.sha256) for a in capture.artifacts] == [
        ("01-foto_layar.jpg", "extra", "image/jpeg", len(photo), hashlib.sha256(photo).hexdigest()),
        ("02-chat.pdf", "extra", "application/pdf", len(PDF), hashlib.sha256(PDF).hexdigest()),
    ]
    with app.app_context():
        for artifact in capture.artifacts:
            with get_store().open(artifact.sha256) as reader:
                assert hashlib.sha256(reader.read()).hexdigest() == artifact.sha256
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()))
        assert event.action == "capture_received" and event.details["source"] == "manual"

    page = client.get(f"/evidence/{capture_id}").get_data(as_text=True)
    assert capture.manifest_sha256 in page  # the flash shows the receipt digest
    assert "Unggahan manual" in page and "artifacts/01-foto_layar.jpg/view" in page
    assert client.get(f"/evidence/{capture_id}/artifacts/02-chat.pdf").data == PDF
    # The uploaded photo becomes the thumbnail.
    thumb = client.get(f"/evidence/{capture_id}/thumbnail")
    assert thumb.mimetype == "image/jpeg"
    # The receipt verifies like an extension capture.
    verified = post_form(
        client, f"/evidence/{capture_id}/verify", token_page=f"/evidence/{capture_id}"
    )
    assert "integrity-ok" in verified.get_data(as_text=True)


def test_capture_time_defaults_to_now(app, client, login_as):
    login_as("operator")
    before = datetime.now(UTC)
    response = upload(client, [("chat.pdf", PDF)])
    capture = capture_row(app, response.headers["Location"].rsplit("/", 1)[1])
    assert before <= capture.client_captured_at <= datetime.now(UTC)
    assert capture.title is None and capture.post_author_url is None


def test_a_disallowed_file_is_refused_and_nothing_is_stored(app, client, login_as):
    login_as("operator")
    photo = jpeg_bytes(color=(1, 2, 3))
    executable = (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 4
    )
    before = capture_count(app)
    response = upload(client, [("foto.jpg", photo), ("setup.exe", executable)])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "“setup.exe” ditolak" in html
    assert capture_count(app) == before
    with app.app_context():
        assert not get_store().exists(hashlib.sha256(photo).hexdigest())


def test_random_bytes_and_empty_files_are_refused(app, client, login_as):
    login_as("operator")
    before = capture_count(app)
    noise = bytes((i * 131 + 7) % 256 for i in range(4096))
    assert "ditolak" in upload(client, [("data.bin", noise)]).get_data(as_text=True)
    assert "kosong" in upload(client, [("kosong.jpg", b"")]).get_data(as_text=True)
    assert capture_count(app) == before


def test_files_and_url_are_required(app, client, login_as):
    login_as("operator")
    before = capture_count(app)
    html = upload(client, [], url="").get_data(as_text=True)
    assert "Pilih setidaknya satu berkas" in html
    assert html.count('class="error"') >= 2
    html = upload(client, [("chat.pdf", PDF)], url="javascript:alert(1)").get_data(as_text=True)
    assert 'aria-invalid="true"' in html
    assert capture_count(app) == before
