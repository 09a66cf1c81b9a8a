"""The case dossier PDF: what a reader outside SIPANSOS must find in it, and its download."""

import contextlib
import hashlib
import io
import re
import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import AuditEvent, CaseState, LegalBasis, User, ViolationCategory
from sipansos.services import case_records, checklists, evidence_queries, terlapor
from sipansos.services.dossier import IMAGE_WIDTH, MAX_ASPECT, _downscale, picture
from sipansos.services.pdf import StaticOnly
from sipansos.services.reference import load_default_reference_data
from sipansos.storage import DigestMismatch, ObjectNotFound
from tests.capture_helpers import mhtml_bytes, png_bytes
from tests.cases.flow import walk

CASE_LETTER = "123/PP.01/K.BB-06/11/2026"  # the Penerusan letter number tests/cases/flow.py uses

LETTER = "045/PP.01.02/K.SS-13/11/2026"
STEP_DONE_NOTE = "NIP dan status PNS dikonfirmasi BKPSDM"


def first_capture_files():
    """A tall full-page screenshot (cropped in the PDF), a viewport and a post screenshot."""
    return {
        "screenshot-full-0.png": ("screenshot_full", "image/png", png_bytes(120, 500)),
        "viewport.png": ("screenshot_viewport", "image/png", png_bytes(120, 75)),
        "post.png": ("post_screenshot", "image/png", png_bytes(90, 60, color=(30, 90, 200))),
        "page.mhtml": ("page_mhtml", "multipart/related", mhtml_bytes()),
        "dom.html": ("dom_html", "text/html", b"<!DOCTYPE html><html><body>Hi</body></html>"),
    }


@pytest.fixture
def forwarded_case(app, login_as, api_secret, store_capture):
    """A case with two captures, a terlapor and a legal basis, whose Penerusan letter went to
    BKN (Menunggu Tindak Lanjut), with its first checklist step done.

    Returns what the dossier must show: ids, number, artifact hashes, checklist titles, names
    of the recipients and copies (tembusan).
    """
    # Signed in before the uploads, as the evidence tests do (see tests/evidence/test_detail.py).
    login_as("koordinator", "koordinator")
    secret = api_secret("siti")
    first, first_files = store_capture(secret, first_capture_files())
    second, second_files = store_capture(
        secret, url="https://x.com/budi/status/2", platform="x", title="Cuitan dukungan"
    )
    with app.app_context():
        load_default_reference_data()
        koordinator = db.session.scalar(select(User).where(User.username == "koordinator"))
        category = db.session.scalar(
            select(ViolationCategory).where(ViolationCategory.code == "netralitas_asn")
        )
        case = case_records.create_case(
            koordinator,
            title="Kepala sekolah mengunggah dukungan",
            category=category,
            known_date=date(2026, 11, 2),
        )
        for manifest in (first, second):
            capture = evidence_queries.get_capture(uuid.UUID(manifest["capture_id"]))
            case_records.add_evidence(case, koordinator, capture)
        person = terlapor.create_terlapor(
            koordinator,
            name="Drs. Ahmad Fauzi",
            nip="198001012005011001",
            employment_status="pns",
            position="Kepala Sekolah",
            agency="SMP Negeri 1 Muara Beliti",
        )
        case_records.add_terlapor(case, koordinator, person)
        basis = db.session.scalars(select(LegalBasis).order_by(LegalBasis.id)).first()
        case_records.set_legal_bases(case, koordinator, [basis])
        walk(case, koordinator, CaseState.MENUNGGU_TINDAK_LANJUT.value)
        checklists.complete_item(
            case.checklist[0],
            koordinator,
            done_on=date(2026, 11, 12),
            note=STEP_DONE_NOTE,
            letter_number=LETTER,
            letter_date=date(2026, 11, 12),
        )
        hashes = [a["sha256"] for m in (first, second) for a in m["artifacts"]]
        assert len(hashes) == len(first_files) + len(second_files)
        return {
            "id": case.id,
            "number": case.number,
            "hashes": hashes,
            "titles": [item.title for item in case.checklist],
            "recipients": [r.name for r in case.recipients],
        }


def compact(text):
    """Text without whitespace: hashes and numbers may wrap inside narrow table cells."""
    return re.sub(r"\s+", "", text)


def test_dossier_holds_the_case_its_evidence_and_checklist(app, client, forwarded_case):
    case_id = forwarded_case["id"]
    response = client.get(f"/cases/{case_id}/dossier.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f"sipansos-berkas-perkara-{case_id}.pdf" in response.headers["Content-Disposition"]
    pdf = response.data
    assert int(response.headers["Content-Length"]) == len(pdf)

    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert 2 <= pages < 30
    texts = [page.extract_text() for page in reader.pages]
    text = "\n".join(texts)
    flat = compact(text)
    assert forwarded_case["number"] and compact(forwarded_case["number"]) in flat
    for digest in forwarded_case["hashes"]:
        assert digest in flat
    for title in forwarded_case["titles"]:
        assert compact(title) in flat
    assert len(forwarded_case["recipients"]) >= 2  # BKN and the copies of the PNS route
    for name in forwarded_case["recipients"]:
        assert compact(name) in flat
    assert compact(LETTER) in flat and compact(CASE_LETTER) in flat
    assert compact(STEP_DONE_NOTE) in flat
    assert "Drs. Ahmad Fauzi" in text and "198001012005011001" in text
    assert "Menunggu Tindak Lanjut" in text
    assert "Tembusan" in text and "Kronologi" in text and "Jejak audit" in text
    assert "bagian atas halaman saja" in text  # the tall full-page screenshot was cut
    assert "WIB" in text
    assert f"Halaman 1 dari {pages}" in texts[0]
    assert f"Halaman {pages} dari {pages}" in texts[-1]
    assert compact(f"Berkas Perkara {forwarded_case['number']}") in compact(texts[-1])  # header
    for page_text in (texts[0], texts[-1]):  # when and by whom, in every page's footer
        assert "Dicetak dari SIPANSOS" in page_text and "(@koordinator)" in page_text

    # The font shipped in static/fonts, embedded (subset) in the PDF.
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("+Dossier-Sans") for name in fonts), fonts
    assert any(name.endswith("+Dossier-Sans-Bold") for name in fonts), fonts

    # Page screenshots of both captures and the post screenshot, downscaled JPEGs. WeasyPrint
    # shares one resource dictionary between pages, so the same images are listed on each.
    images = {image.data: image for page in reader.pages for image in page.images}.values()
    assert len(images) == 3
    for image in images:
        assert image.image.width <= IMAGE_WIDTH
        assert image.image.height <= IMAGE_WIDTH * MAX_ASPECT

    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "case_dossier_exported")
        )
        assert (event.actor_username, event.target_type, event.target_id) == (
            "koordinator",
            "cases",
            str(case_id),
        )
        assert event.details["pages"] == pages
        assert event.details["sha256"] == hashlib.sha256(pdf).hexdigest()
        assert len(event.details["captures"]) == 2
        # The audit trail: every event on the case and on its captures, chain hash included.
        trail = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.target_type.in_(["cases", "captures"]), AuditEvent.seq < event.seq
            )
        ).all()
        assert {e.action for e in trail} >= {"capture_received", "case_created", "case_forward"}
        for row in trail:
            assert row.hash in flat and row.action in flat


def test_dossier_of_a_missing_case_is_404(client, login_as):
    login_as("operator", "operator")
    assert client.get("/cases/999/dossier.pdf").status_code == 404


def test_case_page_offers_the_dossier(app, client, login_as):
    login_as("operator", "operator")
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == "operator"))
        case = case_records.create_case(actor, title="Tanpa bukti")
        case_id = case.id
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/cases/{case_id}/dossier.pdf"' in html
    # A draft without evidence still has a dossier (cover, chronology, audit trail).
    reader = PdfReader(io.BytesIO(client.get(f"/cases/{case_id}/dossier.pdf").data))
    assert "Draf" in reader.pages[0].extract_text()


def test_big_screenshots_are_downscaled_and_cut_before_embedding():
    buffer = io.BytesIO(png_bytes(2400, 9000))
    data, cropped = _downscale(buffer)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.width == IMAGE_WIDTH
        assert image.height == int(IMAGE_WIDTH * MAX_ASPECT)
    assert cropped


class _Store:
    """An evidence store whose objects fail as ``error`` says (or hold ``data``)."""

    def __init__(self, error=None, data=b""):
        self.error, self.data = error, data

    def open(self, sha256):
        if self.error is not None:
            raise self.error
        return contextlib.closing(_Reader(self.data))


class _Reader(io.BytesIO):
    def __iter__(self):
        return iter([self.getvalue()])


@pytest.mark.parametrize(
    ("store", "problem"),
    [
        (_Store(DigestMismatch("altered")), "TIDAK cocok dengan SHA-256"),
        (_Store(ObjectNotFound("gone")), "tidak ditemukan"),
        (_Store(data=b"not an image"), "tidak dapat dibaca"),
    ],
)
def test_a_screenshot_that_cannot_be_shown_says_why(store, problem):
    artifact = SimpleNamespace(sha256="a" * 64, name="screenshot-full-0.png")
    shown = picture(store, artifact)
    assert shown.data_uri is None and problem in shown.problem


def test_the_renderer_reads_only_the_apps_static_files(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "ok.css").write_text("p {}")
    (tmp_path / "secret.txt").write_text("rahasia")
    fetcher = StaticOnly(tmp_path / "static")
    found = fetcher.fetch((tmp_path / "static" / "ok.css").as_uri())
    with contextlib.closing(found):
        assert found.read() == b"p {}"
    outside = (
        (tmp_path / "secret.txt").as_uri(),
        (tmp_path / "static").as_uri() + "/../secret.txt",
        "http://127.0.0.1/x.png",
    )
    for url in outside:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
