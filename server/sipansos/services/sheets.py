"""Spreadsheet exports (Rekapitulasi) of the case list and the evidence list, XLSX and CSV.

The rows are every row matching the list's filters (not only the pages the list can reach),
read in keyset batches. Headers and labels are Indonesian: the sheets are the office's
recapitulation for reports, whatever language the exporting user's screen is in.

CSV uses ``;`` between fields and UTF-8 with a byte-order mark: Excel in the id-ID locale uses
``;`` as its list separator (``,`` is the decimal separator) and only reads UTF-8 when the BOM
is there, so a double-click opens the file in columns with names like "Sukamaju" intact.

Text cells that start with ``= + - @`` (or a tab/CR) get a leading ``'``: captured post text is
written by whoever posted it, and a spreadsheet must not run it as a formula.
"""

import csv
import dataclasses
import io
import tempfile
from collections import Counter
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from ..evidence.forms import PLATFORM_LABELS
from ..extensions import db
from ..models import Case, CaseChecklistItem, CaseEvidence
from ..models.case import CASE_SOURCES, STATE_LABELS, CaseState
from ..models.reference import SUBJECT_STATUS_LABELS, SubjectStatus
from . import audit, case_queries, deadlines, evidence_queries
from .evidence_queries import LOCAL_ZONE

FORMATS = ("xlsx", "csv")
POST_TEXT_LIMIT = 1000  # characters of a post kept in a cell; the full text is in the evidence
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BOLD = Font(bold=True)

# (header, column width in characters)
CASE_COLUMNS = [
    ("Nomor", 22),
    ("Judul", 40),
    ("Status", 24),
    ("Kategori", 24),
    ("Sumber", 10),
    ("Terlapor", 36),
    ("Status kepegawaian", 20),
    ("Instansi", 30),
    ("Tanggal diketahui", 14),
    ("Tanggal registrasi", 14),
    ("Tanggal putusan", 14),
    ("Jalur", 28),
    ("Surat (nomor)", 24),
    ("Surat (tanggal)", 14),
    ("Jumlah bukti", 8),
    ("Langkah terlambat", 8),
    ("Dibuat oleh", 20),
    ("Diperbarui (WIB)", 18),
]
EVIDENCE_COLUMNS = [
    ("ID tangkapan", 38),
    ("URL", 40),
    ("Platform", 14),
    ("Penulis", 24),
    ("Handle", 20),
    ("Teks postingan", 60),
    ("Waktu tangkap (WIB)", 18),
    ("Diterima server (WIB)", 18),
    ("Operator", 20),
    ("Kategori", 16),
    ("Catatan", 30),
    ("SHA-256 manifest", 66),
    ("Perkara", 24),
]
_NONE = "(tidak ada)"


@dataclasses.dataclass
class Sheet:
    """A finished export: an open temporary file (binary, at position 0) and its row count."""

    file: object
    rows: int


def safe_text(value):
    """``value`` as a cell that no spreadsheet evaluates."""
    if value is None:
        return None
    value = str(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _local(moment):
    """A UTC instant as a Jakarta wall-clock time without zone (spreadsheets have none)."""
    return moment.astimezone(LOCAL_ZONE).replace(tzinfo=None, microsecond=0) if moment else None


def _case_rows(filters, recap):
    today = deadlines.today()
    for batch in case_queries.iter_matching(filters):
        ids = [case.id for case in batch]
        evidence = dict(
            db.session.execute(
                select(CaseEvidence.case_id, func.count(CaseEvidence.id))
                .where(CaseEvidence.case_id.in_(ids))
                .group_by(CaseEvidence.case_id)
            ).all()
        )
        late = dict(
            db.session.execute(
                select(CaseChecklistItem.case_id, func.count(CaseChecklistItem.id))
                .where(
                    CaseChecklistItem.case_id.in_(ids),
                    CaseChecklistItem.done.is_(False),
                    CaseChecklistItem.due_date < today,
                )
                .group_by(CaseChecklistItem.case_id)
            ).all()
        )
        for case in batch:
            state = STATE_LABELS.get(CaseState(case.state), case.state)
            category = case.category.name if case.category else None
            agencies = sorted({t.agency for t in case.terlapor if t.agency})
            recap["Status"][state] += 1
            recap["Kategori"][category or _NONE] += 1
            for agency in agencies or [_NONE]:
                recap["Instansi"][agency] += 1
            yield [
                case.number,
                case.title,
                state,
                category,
                CASE_SOURCES.get(case.source, case.source),
                "; ".join(f"{t.name} ({t.nip})" if t.nip else t.name for t in case.terlapor),
                "; ".join(sorted({_subject_status(t.employment_status) for t in case.terlapor})),
                "; ".join(agencies),
                case.known_date,
                case.registered_date,
                case.decision_date,
                case.route.name if case.route else None,
                case.letter_number,
                case.letter_date,
                evidence.get(case.id, 0),
                late.get(case.id, 0),
                case.created_by.full_name,
                _local(case.updated_at),
            ]


def _subject_status(code):
    try:
        return SUBJECT_STATUS_LABELS[SubjectStatus(code)]
    except ValueError:
        return code


def _evidence_rows(filters, recap):
    for batch in evidence_queries.iter_posts(filters):
        ids = [capture.id for capture in batch]
        numbers = {}
        for capture_id, case_id, number in db.session.execute(
            select(CaseEvidence.capture_id, Case.id, Case.number)
            .join(Case, Case.id == CaseEvidence.case_id)
            .where(CaseEvidence.capture_id.in_(ids))
            .order_by(Case.id)
        ):
            numbers.setdefault(capture_id, []).append(number or f"Draf #{case_id}")
        for capture in batch:
            platform = str(PLATFORM_LABELS.get(capture.platform, capture.platform))
            operator = capture.uploader.full_name
            recap["Platform"][platform] += 1
            recap["Operator"][operator] += 1
            text = capture.post_text
            if text and len(text) > POST_TEXT_LIMIT:
                text = text[: POST_TEXT_LIMIT - 1] + "…"
            yield [
                str(capture.capture_uuid),
                capture.url,
                platform,
                capture.post_author_name,
                capture.post_author_handle,
                text,
                _local(capture.client_captured_at),
                _local(capture.received_at),
                operator,
                capture.category,
                capture.note,
                capture.manifest_sha256,
                "; ".join(numbers.get(capture.id, [])),
            ]


def _write_csv(columns, rows):
    file = tempfile.TemporaryFile()
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";")
    writer.writerow([header for header, _ in columns])
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
        count += 1
    text.flush()
    text.detach()
    file.seek(0)
    return Sheet(file, count)


def _csv_cell(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(value) if isinstance(value, str) else value


def _xlsx_cell(sheet, value):
    if isinstance(value, str):
        # Control characters are not allowed in XLSX; captured text can hold them.
        value = safe_text(ILLEGAL_CHARACTERS_RE.sub("", value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _start_sheet(book, title, columns):
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = _BOLD
        header.append(cell)
    sheet.append(header)
    return sheet


def _write_xlsx(title, columns, rows, recap):
    # Write-only mode streams each sheet to a temporary file: memory stays flat however many
    # rows match.
    book = Workbook(write_only=True)
    sheet = _start_sheet(book, title, columns)
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        count += 1
    summary = _start_sheet(book, "Rekapitulasi", [("Rekapitulasi", 40), ("Jumlah", 10)])
    summary.append([_xlsx_cell(summary, "Jumlah baris"), count])
    for group, counts in recap.items():
        summary.append([])
        heading = WriteOnlyCell(summary, value=f"Per {group.lower()}")
        heading.font = _BOLD
        summary.append([heading])
        for label, number in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            summary.append([_xlsx_cell(summary, label), number])
    file = tempfile.TemporaryFile()
    book.save(file)
    file.seek(0)
    return Sheet(file, count)


def _export(action, fmt, title, columns, rows, recap, *, actor, filters, ip):
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    sheet = _write_xlsx(title, columns, rows, recap) if fmt == "xlsx" else _write_csv(columns, rows)
    try:
        audit.record(
            action,
            actor=actor,
            details={"format": fmt, "filters": _filter_details(filters), "rows": sheet.rows},
            ip=ip,
        )
        db.session.commit()
    except BaseException:
        sheet.file.close()  # no unaudited export leaves
        raise
    return sheet


def _filter_details(filters):
    """The filters that narrowed the export, JSON-ready (unset ones left out)."""
    details = {}
    for key, value in dataclasses.asdict(filters).items():
        if value is None or value == "":
            continue
        details[key] = value.isoformat() if isinstance(value, date) else value
    return details


def export_cases(actor, filters, fmt, *, ip=None):
    """Every case matching ``filters`` as a ``Sheet`` in ``fmt`` ("xlsx" or "csv"), audited."""
    recap = {"Status": Counter(), "Kategori": Counter(), "Instansi": Counter()}
    rows = _case_rows(filters, recap)
    return _export(
        "cases_exported", fmt, "Perkara", CASE_COLUMNS, rows, recap,
        actor=actor, filters=filters, ip=ip,
    )  # fmt: skip


def export_evidence(actor, filters, fmt, *, ip=None):
    """Every row of the evidence list for ``filters`` as a ``Sheet``, audited."""
    recap = {"Platform": Counter(), "Operator": Counter()}
    rows = _evidence_rows(filters, recap)
    return _export(
        "evidence_exported", fmt, "Bukti", EVIDENCE_COLUMNS, rows, recap,
        actor=actor, filters=filters, ip=ip,
    )  # fmt: skip
