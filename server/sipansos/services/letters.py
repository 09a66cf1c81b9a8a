"""Letters (Surat) for a case: Penerusan, Rekomendasi and Form A, from admin-edited templates.

A template's texts are Jinja templates run in a sandbox over plain values only (strings,
lists and dicts of strings — ``letter_context``), never over the models: an admin can word a
letter but cannot reach anything else. Unknown placeholders are errors, found when the
template is saved (``check_template``) rather than printed into a letter.

The rendered body is plain text with three conventions: a blank line separates paragraphs,
a line starting with ``# `` is a heading, and lines starting with ``- `` or ``1. `` are list
items. The same parts become a DOCX (``letter_docx``) and a PDF (``templates/exports/
letter.html``); both are stored as case documents under their SHA-256 and recorded with what
was filled in, so editing the template later changes only letters generated after.
"""

import io
import re
from dataclasses import dataclass, field

from flask import current_app, render_template
from flask_babel import force_locale, format_date, format_datetime
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from sqlalchemy import select

from ..evidence.forms import PLATFORM_LABELS
from ..extensions import db
from ..models import CaseDocument, CaseLetter, LetterTemplate, SubjectStatus
from ..models.case import CASE_SOURCES
from ..models.letter import LETTER_KINDS
from ..storage import get_store
from . import deadlines, letter_docx
from .case_states import CLOSED_STATES, KOORDINATOR_UP, CaseError, log_event, require_role
from .checklists import MAX_DOCUMENT_BYTES
from .pdf import render_pdf

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DEFAULT_OFFICE = "Bawaslu Kabupaten/Kota"
# The fields of a template that are Jinja templates, in the order the edit page shows them.
TEMPLATED_FIELDS = (
    "letterhead",
    "subject",
    "body",
    "closing",
    "signer_title",
    "signer_name",
)
# What a template can use; shown on the template's edit page.
PLACEHOLDERS = {
    "kantor": "Nama kantor (SIPANSOS_OFFICE_NAME), mis. Bawaslu Kabupaten Musi Rawas",
    "nomor_surat": "Nomor surat",
    "tanggal_surat": "Tanggal surat, mis. 10 November 2026",
    "perkara.nomor": "Nomor registrasi perkara",
    "perkara.judul": "Judul perkara",
    "perkara.ringkasan": "Ringkasan perkara",
    "perkara.kategori": "Kategori pelanggaran",
    "perkara.sumber": "Temuan atau Laporan",
    "perkara.status": "Status perkara",
    "perkara.tanggal_diketahui": "Tanggal diketahui",
    "perkara.tanggal_registrasi": "Tanggal registrasi",
    "perkara.tanggal_pleno": "Tanggal pleno",
    "perkara.hasil_pleno": "Hasil pleno",
    "perkara.kajian": "Catatan kajian",
    "terlapor": "Daftar terlapor; tiap t: t.nama, t.nip, t.pangkat, t.jabatan, t.instansi, "
    "t.status, t.ppk",
    "terlapor_nama": "Nama semua terlapor, dipisah koma",
    "penerima": "Daftar penerima surat",
    "penerima_teks": "Penerima surat, dipisah “dan”",
    "tembusan": "Daftar tembusan",
    "dasar_hukum": "Daftar dasar hukum (peraturan dan pasal)",
    "bukti": "Daftar bukti; tiap b: b.nomor, b.judul, b.url, b.platform, b.akun, "
    "b.waktu_tangkap, b.sha256 (manifest bertanda tangan)",
    "lampiran": "Daftar lampiran",
    "pelapor": "Daftar pelapor; tiap p: p.nama, p.alamat",
    "saksi": "Daftar saksi; tiap s: s.nama, s.alamat",
    "pengawas.nama": "Nama pengguna yang membuat surat",
}

KIND_LABELS = {
    "penerusan": "Penerusan",
    "rekomendasi": "Rekomendasi",
    "form_a": "Form A (Laporan Hasil Pengawasan)",
}
# The letter a decided case's route calls for (DOMAIN.md: Rekomendasi for administrative
# cases to KPU, Penerusan for violations of other laws, Gakkumdu included).
_CHANNEL_KINDS = {"rekomendasi": "rekomendasi", "penerusan": "penerusan", "gakkumdu": "penerusan"}

_ENV = SandboxedEnvironment(
    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=False
)
_LIST_ITEM = re.compile(r"^(?:(-)|(\d{1,3}[.)]))\s+(.*)$")


class LetterTemplateError(CaseError):
    """A template text does not compile or names an unknown placeholder."""

    def __init__(self, message, *, field, line=None, detail=None):
        super().__init__(message)
        self.field = field
        self.line = line
        self.detail = detail


@dataclass
class Block:
    """A heading, a paragraph (its lines) or a list (``(marker, text)`` items) of a body."""

    kind: str
    lines: list = field(default_factory=list)


@dataclass
class LetterParts:
    """Everything a letter shows, rendered: the same parts make the DOCX and the PDF."""

    is_report: bool
    letterhead: list
    place_date: str
    number: str
    classification: str
    subject: str
    recipients: list
    blocks: list
    closing: list
    signer_title: list
    signer_name: str
    copies: list
    attachments: list


def _day(value):
    return format_date(value, "d MMMM yyyy") if value else "—"


def _moment(value):
    return format_datetime(value, "d MMMM yyyy HH:mm z") if value else "—"


def letter_context(case, *, actor, number, letter_date, attachments, recipients, copies):
    """The plain values a template sees for ``case`` (call inside ``force_locale("id")``)."""
    return {
        "kantor": current_app.config.get("OFFICE_NAME") or DEFAULT_OFFICE,
        "nomor_surat": number or "",
        "tanggal_surat": _day(letter_date),
        "perkara": {
            "nomor": case.number or "(belum diregistrasi)",
            "judul": case.title,
            "ringkasan": case.summary or "",
            "kategori": case.category.name if case.category else "",
            "sumber": CASE_SOURCES.get(case.source, case.source),
            "status": case.state_label,
            "tanggal_diketahui": _day(case.known_date),
            "tanggal_registrasi": _day(case.registered_date),
            "tanggal_pleno": _day(case.decision_date) if case.decision_date else "",
            "hasil_pleno": case.pleno_result or "",
            "kajian": case.kajian_notes or "",
        },
        "terlapor": [
            {
                "nama": person.name,
                "nip": person.nip or "",
                "pangkat": person.rank_grade or "",
                "jabatan": person.position or "",
                "instansi": person.agency or "",
                "status": SubjectStatus(person.employment_status).label,
                "ppk": person.responsible_ppk or "",
            }
            for person in case.terlapor
        ],
        "terlapor_nama": ", ".join(person.name for person in case.terlapor),
        "penerima": recipients,
        "penerima_teks": " dan ".join(recipients),
        "tembusan": list(copies),
        "dasar_hukum": [basis.citation for basis in case.legal_bases],
        "bukti": [
            {
                "nomor": str(number),
                "judul": link.capture.title or "",
                "url": link.capture.url,
                "platform": PLATFORM_LABELS.get(link.capture.platform, link.capture.platform),
                "akun": link.capture.post_author_handle or link.capture.post_author_name or "",
                "waktu_tangkap": _moment(link.capture.received_at),
                "sha256": link.capture.manifest_sha256,
            }
            for number, link in enumerate(case.evidence, start=1)
        ],
        "lampiran": list(attachments),
        "pelapor": _parties(case, "pelapor"),
        "saksi": _parties(case, "saksi"),
        "pengawas": {"nama": actor.full_name},
    }


def _parties(case, role):
    return [
        {"nama": party.name, "alamat": party.address or ""}
        for party in case.parties
        if party.role == role
    ]


def sample_context():
    """Values of every placeholder, to try a template with before it is saved."""
    person = {k: "…" for k in ("nama", "nip", "pangkat", "jabatan", "instansi", "status", "ppk")}
    post = {k: "…" for k in ("nomor", "judul", "url", "platform", "akun", "waktu_tangkap")}
    party = {"nama": "…", "alamat": "…"}
    perkara = {key.split(".", 1)[1]: "…" for key in PLACEHOLDERS if key.startswith("perkara.")}
    return {
        "kantor": "…",
        "nomor_surat": "…",
        "tanggal_surat": "…",
        "perkara": perkara,
        "terlapor": [person],
        "terlapor_nama": "…",
        "penerima": ["…"],
        "penerima_teks": "…",
        "tembusan": ["…"],
        "dasar_hukum": ["…"],
        "bukti": [post | {"sha256": "…"}],
        "lampiran": ["…"],
        "pelapor": [party],
        "saksi": [party],
        "pengawas": {"nama": "…"},
    }


def _render(field_name, source, context):
    try:
        return _ENV.from_string(source or "").render(context)
    except TemplateSyntaxError as exc:
        raise LetterTemplateError(
            f"{field_name}: {exc.message} (line {exc.lineno})",
            field=field_name,
            line=exc.lineno,
            detail=exc.message,
        ) from exc
    except UndefinedError as exc:
        raise LetterTemplateError(
            f"{field_name}: {exc.message}", field=field_name, detail=exc.message
        ) from exc
    except SecurityError as exc:
        raise LetterTemplateError(
            f"{field_name}: not allowed: {exc}", field=field_name, detail=str(exc)
        ) from exc


def check_template(fields):
    """Raise ``LetterTemplateError`` if one of the templated ``fields`` would not render."""
    context = sample_context()
    for name in TEMPLATED_FIELDS:
        if name in fields:
            _render(name, fields[name], context)


def parse_blocks(text):
    """The body's headings, paragraphs and lists (see the module docstring)."""
    blocks = []
    current = None
    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            current = None
            continue
        if line.startswith("# "):
            blocks.append(Block("heading", [line[2:].strip()]))
            current = None
            continue
        item = _LIST_ITEM.match(line.strip())
        if item:
            marker = "•" if item.group(1) else item.group(2)
            if current is None or current.kind != "list":
                current = Block("list")
                blocks.append(current)
            current.lines.append((marker, item.group(3)))
            continue
        if current is None or current.kind != "paragraph":
            current = Block("paragraph")
            blocks.append(current)
        current.lines.append(line.strip())
    return blocks


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def render_parts(template, context, *, place_date):
    """The template filled in with ``context``: the parts of the letter."""
    text = {name: _render(name, getattr(template, name), context) for name in TEMPLATED_FIELDS}
    return LetterParts(
        is_report=template.is_report,
        letterhead=_lines(text["letterhead"]),
        place_date=place_date,
        number=context["nomor_surat"],
        classification=(template.classification or "").strip(),
        subject=" ".join(_lines(text["subject"])),
        recipients=context["penerima"],
        blocks=parse_blocks(text["body"]),
        closing=_lines(text["closing"]),
        signer_title=_lines(text["signer_title"]),
        signer_name=" ".join(_lines(text["signer_name"])),
        copies=context["tembusan"],
        attachments=context["lampiran"],
    )


def default_attachments(case):
    """What a letter lists as attached unless the user changes it: kajian, evidence, minutes."""
    items = ["Hasil kajian dugaan pelanggaran"]
    items += [
        f"Bukti {number}: tangkapan {link.capture.url}"
        for number, link in enumerate(case.evidence, start=1)
    ]
    items += [
        document.filename for item in case.checklist for document in item.documents if item.done
    ]
    return items


def _store_document(case, actor, data, *, filename, media_type):
    stored = get_store().put(
        io.BytesIO(data), content_type=media_type, max_bytes=MAX_DOCUMENT_BYTES
    )
    return CaseDocument(
        case=case,
        sha256=stored.sha256,
        filename=filename,
        media_type=media_type,
        size=stored.size,
        uploaded_by=actor,
    )


def active_templates():
    """The templates a letter can be made from, by kind and name."""
    return db.session.scalars(
        select(LetterTemplate)
        .where(LetterTemplate.active.is_(True))
        .order_by(LetterTemplate.kind, LetterTemplate.name, LetterTemplate.id)
    ).all()


def suggested_template(case, templates):
    """The template to offer first: the route's letter once decided, Form A before."""
    kind = _CHANNEL_KINDS.get(case.route.channel) if case.route and case.decision else "form_a"
    return next((t for t in templates if t.kind == kind), templates[0] if templates else None)


def letter_parties(case, kind):
    """The names a new letter goes to (``"recipient"``) or copies (``"copy"``): the case's,
    which the route chosen at the decision gave."""
    return [r.name for r in case.recipients if r.kind == kind]


def _clean(lines, limit=300):
    return [line.strip()[:limit] for line in lines if line and line.strip()]


def generate_letter(case, template, actor, *, number=None, letter_date=None, attachments=None,
                    recipients=None, copies=None):  # fmt: skip
    """Fill ``template`` in for ``case``, store the DOCX and the PDF, and record the letter.

    ``attachments``, ``recipients`` and ``copies`` (lines) default to ``default_attachments``
    and ``letter_parties``. A letter (not a report) needs a recipient.
    """
    require_role(actor, KOORDINATOR_UP, "generate letters")
    if case.state in CLOSED_STATES:
        raise CaseError(f"the case is “{case.state_label}”; no more letters are made for it")
    if template.kind not in LETTER_KINDS or not template.active:
        raise CaseError(f"the template “{template.name}” is no longer in use")
    recipients = _clean(letter_parties(case, "recipient") if recipients is None else recipients)
    copies = _clean(letter_parties(case, "copy") if copies is None else copies)
    if template.is_report:
        recipients, copies = [], []
    elif not recipients:
        raise CaseError("the letter needs a recipient: decide the case with a route first")
    number = (number or "").strip() or None
    letter_date = letter_date or deadlines.today()
    attachments = _clean(default_attachments(case) if attachments is None else attachments, 2000)
    with force_locale("id"):  # an Indonesian letter whatever the user's interface language
        context = letter_context(
            case,
            actor=actor,
            number=number,
            letter_date=letter_date,
            attachments=attachments,
            recipients=recipients,
            copies=copies,
        )
        place = (template.place or "").strip()
        place_date = f"{place}, {context['tanggal_surat']}" if place else context["tanggal_surat"]
        parts = render_parts(template, context, place_date=place_date)
        html = render_template("exports/letter.html", parts=parts)
    docx = letter_docx.build(parts)
    pdf, _pages = render_pdf(html)
    with pdf:
        pdf_bytes = pdf.read()
    stem = f"surat-{template.kind.replace('_', '-')}-perkara-{case.id}-{len(case.letters) + 1}"
    letter = CaseLetter(
        template=template,
        kind=template.kind,
        template_name=template.name,
        number=number,
        letter_date=letter_date,
        subject=parts.subject,
        recipients=parts.recipients,
        copies=parts.copies,
        attachments=attachments,
        docx=_store_document(case, actor, docx, filename=f"{stem}.docx", media_type=DOCX_TYPE),
        pdf=_store_document(
            case, actor, pdf_bytes, filename=f"{stem}.pdf", media_type="application/pdf"
        ),
        generated_by=actor,
    )
    case.letters.append(letter)
    db.session.flush()
    log_event(
        case,
        actor,
        "letter_generated",
        {
            "letter_id": letter.id,
            "kind": KIND_LABELS.get(letter.kind, letter.kind),
            "template": template.code,
            "letter_number": number,
            "letter_date": letter_date,
            "subject": parts.subject[:300],
            "recipients": recipients,
            "copies": copies,
            "docx_sha256": letter.docx.sha256,
            "pdf_sha256": letter.pdf.sha256,
        },
        audit_action="case_letter_generated",
    )
    db.session.commit()
    return letter
