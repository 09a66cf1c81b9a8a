"""Letters (Penerusan, Rekomendasi, Form A) made from admin-edited templates: what they say,
how they are stored and downloaded, and how template edits apply."""

import hashlib
import io
import re
import uuid
from datetime import date

import boto3
import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import AuditEvent, CaseLetter, CaseState, LetterTemplate, User
from sipansos.models.case import Case
from sipansos.services import case_records, evidence_queries, letters, terlapor
from sipansos.services.case_states import CaseError, PermissionDenied
from sipansos.services.letters import LetterTemplateError, parse_blocks
from sipansos.services.reference import load_default_letter_templates, load_default_reference_data
from sipansos.storage import object_key
from tests.cases.flow import walk
from tests.conftest import csrf_token, login, post_form

LETTER_NUMBER = "077/PP.01.02/K.SS-13/11/2026"
BKN = "Badan Kepegawaian Negara (BKN) — Deputi Pengawasan dan Pengendalian"
ASN_COPIES = [
    "Bupati selaku Pejabat Pembina Kepegawaian (PPK)",
    "Sekretaris Daerah",
    "Kepala BKPSDM",
    "Bawaslu Provinsi",
]
POST_URL = "https://facebook.com/ahmad.fauzi/posts/42"


def docx_text(data):
    """Every paragraph and table cell of a DOCX, one per line (as Word shows it)."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def compact(text):
    return re.sub(r"\s+", "", text)


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def template(code):
    return db.session.scalar(select(LetterTemplate).where(LetterTemplate.code == code))


@pytest.fixture
def decided_case(app, login_as, api_secret, store_capture):
    """A PNS case with a capture, decided and sent down the PNS → BKN route (Diteruskan ke
    Instansi Berwenang), the koordinator signed in. Returns its id and capture manifest."""
    login_as("koordinator", "koordinator")
    manifest, _files = store_capture(api_secret("siti"), url=POST_URL, platform="facebook")
    with app.app_context():
        load_default_reference_data()
        load_default_letter_templates()  # the tables are emptied after every test
        koordinator = user("koordinator")
        case = case_records.create_case(
            koordinator, title="Kepala sekolah mengunggah dukungan", known_date=date(2026, 11, 2)
        )
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
        walk(case, koordinator, CaseState.DITERUSKAN_INSTANSI.value)
        return {"id": case.id, "number": case.number, "manifest": manifest}


def _make_letter(client, case_id, **fields):
    page = client.get(f"/cases/{case_id}/letters/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    data = {
        "template": re.search(r'<option selected value="(\d+)"', html).group(1),
        "letter_date": "2026-11-10",
        "number": LETTER_NUMBER,
        "recipients": BKN,
        "copies": "\n".join(ASN_COPIES),
        "attachments": "Hasil kajian\nBerita acara klarifikasi",
        "csrf_token": csrf_token(client, f"/cases/{case_id}/letters/new"),
    }
    data.update(fields)
    return client.post(f"/cases/{case_id}/letters/new", data=data)


def _download(client, case_id, document):
    response = client.get(f"/cases/{case_id}/documents/{document.id}")
    assert response.status_code == 200
    return response.data


def test_penerusan_to_bkn_is_filled_in_stored_and_downloaded(app, client, decided_case):
    case_id = decided_case["id"]
    form = client.get(f"/cases/{case_id}/letters/new").get_data(as_text=True)
    # Prefilled from the PNS route: the Penerusan template, BKN and the four copies.
    selected = re.search(r'<option selected value="\d+">([^<]+)</option>', form).group(1)
    assert selected.startswith("Penerusan")
    assert BKN in form and all(name in form for name in ASN_COPIES)
    assert POST_URL in form  # the evidence is listed among the attachments

    response = _make_letter(client, case_id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case_id}#letters")

    with app.app_context():
        letter = db.session.scalar(select(CaseLetter).where(CaseLetter.case_id == case_id))
        assert (letter.kind, letter.number, letter.letter_date) == (
            "penerusan",
            LETTER_NUMBER,
            date(2026, 11, 10),
        )
        assert letter.recipients == [BKN] and letter.copies == ASN_COPIES
        assert letter.docx.filename.endswith(".docx") and letter.pdf.filename.endswith(".pdf")
        docx_doc, pdf_doc = letter.docx, letter.pdf
        docx_bytes = _download(client, case_id, docx_doc)
        pdf_bytes = _download(client, case_id, pdf_doc)
        assert hashlib.sha256(docx_bytes).hexdigest() == docx_doc.sha256
        assert hashlib.sha256(pdf_bytes).hexdigest() == pdf_doc.sha256

        generated = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "case_letter_generated")
        )
        assert generated.target_id == str(case_id)
        assert generated.details["docx_sha256"] == docx_doc.sha256
        assert generated.details["pdf_sha256"] == pdf_doc.sha256
        downloads = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "case_document_downloaded")
        ).all()
        assert [d.details["sha256"] for d in downloads] == [docx_doc.sha256, pdf_doc.sha256]
        assert {d.actor_username for d in downloads} == {"koordinator"}

    # The DOCX opens with python-docx and holds the filled-in fields.
    text = docx_text(docx_bytes)
    for expected in (
        LETTER_NUMBER,
        "10 November 2026",
        "Penerusan Dugaan Pelanggaran",
        "Yth.",
        BKN,
        "Tembusan:",
        *ASN_COPIES,
        decided_case["number"],
        "Drs. Ahmad Fauzi",
        "NIP 198001012005011001",
        "SMP Negeri 1 Muara Beliti",
        POST_URL,
        "2 November 2026",  # the date the violation became known
        "Berita acara klarifikasi",
        "2 berkas",  # Lampiran
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text

    # The PDF says the same.
    flat = compact(pdf_text(pdf_bytes))
    for expected in (LETTER_NUMBER, BKN, *ASN_COPIES, decided_case["number"], POST_URL):
        assert compact(expected) in flat, expected

    # The case page lists the letter; the timeline says it was made.
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/cases/{case_id}/documents/{docx_doc.id}"' in page
    assert f'href="/cases/{case_id}/documents/{pdf_doc.id}"' in page
    assert docx_doc.sha256 in page and "Surat dibuat" in page
    # The forward step's form is prefilled with the letter's number.
    assert f'value="{LETTER_NUMBER}"' in page


def test_done_when_forwarded_to_bkn_with_letter_dossier_and_package(app, client, decided_case):
    """A koordinator makes the Penerusan, sends it (forward), then downloads the letter with
    its copies, the dossier PDF and the WACZ package."""
    case_id = decided_case["id"]
    assert _make_letter(client, case_id).status_code == 302
    forward = post_form(
        client,
        f"/cases/{case_id}/actions/forward",
        {
            "forward-letter_number": LETTER_NUMBER,
            "forward-letter_date": "2026-11-10",
            "forward-recipients": BKN,
            "forward-copies": "\n".join(ASN_COPIES),
        },
    )
    assert forward.status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.state == CaseState.MENUNGGU_TINDAK_LANJUT.value
        assert case.letter_number == LETTER_NUMBER
        letter = case.letters[0]
        assert "Tembusan:" in docx_text(_download(client, case_id, letter.docx))
        letter_hashes = [letter.docx.sha256, letter.pdf.sha256]
    dossier = client.get(f"/cases/{case_id}/dossier.pdf")
    assert dossier.status_code == 200 and dossier.mimetype == "application/pdf"
    dossier_text = compact(pdf_text(dossier.data))
    assert compact(LETTER_NUMBER) in dossier_text
    # The dossier lists the letter made, with the hash of each stored file.
    assert "Surat yang dibuat" in pdf_text(dossier.data)
    assert all(sha in dossier_text for sha in letter_hashes)
    package = client.get(f"/cases/{case_id}/export.wacz")
    assert package.status_code == 200 and package.data[:2] == b"PK"


@pytest.fixture
def admin_client(app, make_user):
    """A second browser, signed in as an admin."""
    make_user("admin1", role="admin")
    browser = app.test_client()
    assert login(browser, "admin1").status_code == 302
    return browser


def _template_form(app, template_id, **changes):
    """The edit form of a template as the page fills it in, with ``changes``."""
    with app.app_context():
        row = db.session.get(LetterTemplate, template_id)
        data = {
            name: getattr(row, name) or ""
            for name in ("name", "letterhead", "place", "classification", "subject", "body",
                         "closing", "signer_title", "signer_name", "note")
        }  # fmt: skip
    return data | {"active": "y"} | changes


def _save_template(app, browser, template_id, **changes):
    path = f"/admin/reference/letter-templates/{template_id}"
    data = _template_form(app, template_id, **changes)
    return browser.post(path, data=data | {"csrf_token": csrf_token(browser, path)})


def test_template_edits_apply_to_later_letters_only(app, client, admin_client, decided_case):
    case_id = decided_case["id"]
    assert _make_letter(client, case_id).status_code == 302
    with app.app_context():
        first = db.session.scalar(select(CaseLetter).where(CaseLetter.case_id == case_id))
        first_id, first_docx = first.id, first.docx
        first_bytes = _download(client, case_id, first_docx)
        penerusan = template("penerusan")
        template_id, body = penerusan.id, penerusan.body

    edit_page = admin_client.get(f"/admin/reference/letter-templates/{template_id}")
    assert edit_page.status_code == 200 and "perkara.nomor" in edit_page.get_data(as_text=True)
    added = "\n\nSurat ini juga kami sampaikan kepada {{ tembusan|length }} pihak."
    saved = _save_template(
        app, admin_client, template_id, body=body + added, name="Penerusan (revisi 2026)"
    )
    assert saved.status_code == 302

    assert _make_letter(client, case_id, template=str(template_id)).status_code == 302
    with app.app_context():
        (second,) = db.session.scalars(
            select(CaseLetter).where(CaseLetter.case_id == case_id, CaseLetter.id != first_id)
        ).all()
        assert second.template_name == "Penerusan (revisi 2026)"
        text = docx_text(_download(client, case_id, second.docx))
        assert "juga kami sampaikan kepada 4 pihak" in text
        # The first letter is unchanged, byte for byte.
        first_docx = db.session.get(CaseLetter, first_id).docx
        assert _download(client, case_id, first_docx) == first_bytes
        assert "juga kami sampaikan" not in docx_text(first_bytes)
        event = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "reference_updated",
                AuditEvent.target_type == "letter_templates",
            )
        )
        assert event.actor_username == "admin1" and "body" in event.details


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("Nomor {{ perkara.nomer }}", "nomer"),  # a misspelt placeholder
        ("{% for t in terlapor %}{{ t.nama }}", "endfor"),  # an unclosed loop
        ("{{ perkara.__class__.__mro__ }}", "__class__"),  # out of the sandbox
    ],
)
def test_a_template_that_would_not_fill_in_is_refused(app, admin_client, body, reason):
    with app.app_context():
        load_default_letter_templates()
        row = template("rekomendasi")
        template_id, before = row.id, row.body
    response = _save_template(app, admin_client, template_id, body=body)
    assert response.status_code == 200  # the form again, with the reason
    html = response.get_data(as_text=True)
    assert "body" in html and reason in html
    with app.app_context():
        assert db.session.get(LetterTemplate, template_id).body == before


def test_the_sandbox_reaches_only_plain_values():
    with pytest.raises(LetterTemplateError) as refused:
        letters.check_template({"subject": "{{ ''.__class__.__subclasses__() }}"})
    assert refused.value.field == "subject"
    letters.check_template({"body": "{% for b in bukti %}- {{ b.url }}\n{% endfor %}"})


def test_admin_adds_a_template_and_koordinator_uses_it(app, client, admin_client, decided_case):
    path = "/admin/reference/letter-templates/new"
    response = admin_client.post(
        path,
        data={
            "kind": "penerusan",
            "name": "Penerusan singkat",
            "subject": "Penerusan perkara {{ perkara.nomor }}",
            "body": "# Pokok perkara\n{{ perkara.judul }}\n\n- terlapor: {{ terlapor_nama }}",
            "csrf_token": csrf_token(admin_client, path),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        added = db.session.scalar(
            select(LetterTemplate).where(LetterTemplate.name == "Penerusan singkat")
        )
        assert (added.kind, added.active, added.code) == ("penerusan", True, "penerusan_singkat")
        added_id = added.id
    case_id = decided_case["id"]
    assert _make_letter(client, case_id, template=str(added_id)).status_code == 302
    with app.app_context():
        letter = db.session.scalar(select(CaseLetter).where(CaseLetter.case_id == case_id))
        assert letter.subject == f"Penerusan perkara {decided_case['number']}"
        text = docx_text(_download(client, case_id, letter.docx))
        assert "Pokok perkara" in text and "Drs. Ahmad Fauzi" in text


def test_form_a_reports_a_draft_without_addressee(app, client, login_as, api_secret,
                                                 store_capture):  # fmt: skip
    login_as("koordinator", "koordinator")
    manifest, _files = store_capture(api_secret("siti"), url=POST_URL, platform="facebook")
    with app.app_context():
        load_default_reference_data()
        load_default_letter_templates()
        koordinator = user("koordinator")
        case = case_records.create_case(koordinator, title="Unggahan dukungan kepala desa")
        capture = evidence_queries.get_capture(uuid.UUID(manifest["capture_id"]))
        case_records.add_evidence(case, koordinator, capture)
        letter = letters.generate_letter(case, template("form_a"), koordinator)
        assert letter.recipients == [] and letter.copies == []
        digest = capture.manifest_sha256
        text = docx_text(_download(client, case.id, letter.docx))
    assert "LAPORAN HASIL PENGAWASAN PEMILIHAN" in text
    assert "Yth." not in text and "Tembusan" not in text
    assert "Koordinator" in text or "koordinator" in text  # the supervisor who made it
    assert digest in text and POST_URL in text
    assert "IV. Informasi Dugaan Pelanggaran" in text


def test_who_and_when_letters_can_be_made(app, decided_case, make_user):
    with app.app_context():
        case = db.session.get(Case, decided_case["id"])
        operator = db.session.get(User, make_user("operator9", role="operator"))
        with pytest.raises(PermissionDenied):
            letters.generate_letter(case, template("penerusan"), operator)
        koordinator = user("koordinator")
        with pytest.raises(CaseError, match="needs a recipient"):
            letters.generate_letter(case, template("penerusan"), koordinator, recipients=[])
        unused = template("rekomendasi")
        unused.active = False
        db.session.commit()
        with pytest.raises(CaseError, match="no longer in use"):
            letters.generate_letter(case, unused, koordinator)
        walk(case, koordinator, CaseState.SELESAI.value)
        with pytest.raises(CaseError, match="no more letters"):
            letters.generate_letter(case, template("penerusan"), koordinator)
        db.session.rollback()
        assert db.session.scalars(select(CaseLetter)).all() == []


def test_an_operator_sees_letters_but_cannot_make_one(app, client, decided_case, make_user):
    assert _make_letter(client, decided_case["id"]).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    make_user("operator9", role="operator")
    login(client, "operator9")
    page = client.get(f"/cases/{decided_case['id']}").get_data(as_text=True)
    assert "Surat dibuat" in page and ">DOCX<" in page and ">PDF<" in page
    assert f"/cases/{decided_case['id']}/letters/new" not in page
    assert client.get(f"/cases/{decided_case['id']}/letters/new").status_code == 403


def test_body_markup_paragraphs_headings_and_lists():
    blocks = parse_blocks("# I. Data\nBaris satu\nbaris dua\n\n- satu\n- dua\n1. tiga\n\nPenutup")
    assert [(b.kind, b.lines) for b in blocks] == [
        ("heading", ["I. Data"]),
        ("paragraph", ["Baris satu", "baris dua"]),
        ("list", [("•", "satu"), ("•", "dua"), ("1.", "tiga")]),
        ("paragraph", ["Penutup"]),
    ]


def test_verify_rereads_the_stored_letters(app, client, decided_case, s3_settings):
    """`flask verify` checks case documents as it checks capture artifacts: a letter's PDF
    overwritten in the bucket by someone holding the S3 keys is named."""
    case_id = decided_case["id"]
    # A number of its own: letters are deterministic, and the bucket is shared by both
    # database legs, so the same letter would find the object this test spoils.
    number = f"{uuid.uuid4().hex[:8]}/PP.01.02/2026"
    assert _make_letter(client, case_id, number=number).status_code == 302
    intact = app.test_cli_runner().invoke(args=["verify"])
    assert intact.exit_code == 0, intact.output
    assert "2 case documents" in intact.output

    with app.app_context():
        letter = db.session.scalar(select(CaseLetter).where(CaseLetter.case_id == case_id))
        pdf = letter.pdf
        sha, filename, case_number = pdf.sha256, pdf.filename, letter.case.number
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_settings["S3_ENDPOINT"],
        aws_access_key_id=s3_settings["S3_ACCESS_KEY"],
        aws_secret_access_key=s3_settings["S3_SECRET_KEY"],
        region_name="us-east-1",
    )
    s3.put_object(Bucket=app.config["S3_BUCKET"], Key=object_key(sha), Body=b"%PDF-1.7 forged")
    result = app.test_cli_runner().invoke(args=["verify"])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("case ")]
    assert problems == [
        f"case {case_number}: document '{filename}' ({sha}) altered in the evidence store "
        "(its bytes no longer hash to its name)"
    ]
