"""Case handling (penanganan pelanggaran): one function per step of the procedure.

Each function checks the step against the transition table (``case_states.TRANSITIONS``), sets
the case's fields, writes the audit event and the timeline row, and commits once. Creating and
editing cases lives in ``case_records`` and is re-exported here, so callers need one module.
"""

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Agency, Case, CaseRecipient, CaseState
from . import checklists, deadlines
from .case_records import (  # noqa: F401 - re-exported
    add_evidence,
    add_party,
    add_terlapor,
    count_by_state,
    create_case,
    get_case,
    remove_evidence,
    remove_terlapor,
    set_legal_bases,
    timeline,
    update_case,
)
from .case_states import (
    CHANNEL_STATES,
    KOORDINATOR_UP,
    CaseError,
    check,
    require_role,
    transition,
)

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
DECISIONS = ("pelanggaran", "bukan_pelanggaran")
# Arbitrary constant naming the PostgreSQL advisory lock that serialises number assignment.
_NUMBER_LOCK_KEY = 0x5191A6
REGISTER_ATTEMPTS = 5


def format_case_number(seq, day, *, fmt=None, region_code=None):
    """The register number for sequence ``seq`` on ``day``, from ``CASE_NUMBER_FORMAT``."""
    fmt = fmt or current_app.config["CASE_NUMBER_FORMAT"]
    region_code = region_code or current_app.config["CASE_REGION_CODE"]
    try:
        return fmt.format(
            seq=seq,
            region_code=region_code,
            month_roman=ROMAN_MONTHS[day.month - 1],
            month=day.month,
            year=day.year,
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise CaseError(
            f"CASE_NUMBER_FORMAT {fmt!r} cannot be used ({exc}); placeholders: seq, "
            "region_code, month_roman, month, year"
        ) from exc


def _assign_number(case, day):
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _NUMBER_LOCK_KEY})
    last = db.session.scalar(select(func.max(Case.number_seq)).where(Case.number_year == day.year))
    case.number_seq = (last or 0) + 1
    case.number_year = day.year
    case.number = format_case_number(case.number_seq, day)


def submit_case(case, actor):
    """Draf → Informasi Awal: a supervision result goes to the pleno (cases from a Temuan)."""
    check(case, actor, "submit")
    if case.source != "temuan":
        raise CaseError("a case from a Laporan is received (Terima Laporan), not submitted")
    transition(case, actor, "submit")
    db.session.commit()


def receive_report(case, actor, *, received_date=None):
    """Draf → Laporan Diterima: a public report is received (cases from a Laporan)."""
    check(case, actor, "receive_report")
    if case.source != "laporan":
        raise CaseError("only a case from a Laporan can be received as a report")
    case.received_date = received_date or deadlines.today()
    transition(case, actor, "receive_report", details={"received_date": case.received_date})
    db.session.commit()


def establish_finding(case, actor, *, pleno_date=None, note=None):
    """Informasi Awal → Ditetapkan sebagai Temuan, by pleno."""
    check(case, actor, "establish_finding")
    details = {"pleno_date": pleno_date or deadlines.today(), "note": note}
    transition(case, actor, "establish_finding", details=details)
    db.session.commit()


def discontinue_case(case, actor, *, reason):
    """Informasi Awal → Bukan Pelanggaran (Dihentikan): the pleno does not make it a Temuan."""
    check(case, actor, "discontinue")
    _require_text(reason, "a reason")
    case.pleno_result = reason.strip()
    transition(case, actor, "discontinue", details={"reason": reason.strip()[:1000]})
    db.session.commit()


def request_completion(case, actor, *, missing):
    """Laporan Diterima → Perlu Kelengkapan: the reporter has 2×24 hours to complete it."""
    check(case, actor, "request_completion")
    _require_text(missing, "what is missing")
    transition(case, actor, "request_completion", details={"missing": missing.strip()[:1000]})
    db.session.commit()


def complete_report(case, actor):
    """Perlu Kelengkapan → Laporan Diterima: the reporter completed the report."""
    check(case, actor, "complete_report")
    transition(case, actor, "complete_report")
    db.session.commit()


def reject_report(case, actor, *, reason):
    """→ Tidak Memenuhi Syarat: the report fails the formal or material requirements."""
    check(case, actor, "reject_report")
    _require_text(reason, "a reason")
    transition(case, actor, "reject_report", details={"reason": reason.strip()[:1000]})
    db.session.commit()


def register_case(case, actor, *, registered_date=None):
    """Temuan / Laporan Diterima → Diregistrasi; the case gets its register number.

    PostgreSQL hands out numbers under an advisory lock. SQLite has no such lock: two writers
    may pick the same number, the unique constraint refuses the second, and it tries again.
    """
    day = registered_date or deadlines.today()
    for attempt in range(1, REGISTER_ATTEMPTS + 1):
        check(case, actor, "register")
        try:
            _assign_number(case, day)
            case.registered_date = day
            checklists.refresh_due_dates(case)
            transition(
                case, actor, "register", details={"number": case.number, "registered_date": day}
            )
            db.session.commit()
            return
        except IntegrityError as exc:
            db.session.rollback()
            if attempt == REGISTER_ATTEMPTS:
                raise CaseError(
                    "another case took the same register number at the same moment; try again"
                ) from exc


def start_clarification(case, actor):
    """Diregistrasi → Dalam Klarifikasi."""
    check(case, actor, "start_clarification")
    transition(case, actor, "start_clarification")
    db.session.commit()


def start_kajian(case, actor, *, notes=None):
    """Diregistrasi / Dalam Klarifikasi → Dalam Kajian."""
    check(case, actor, "start_kajian")
    if notes:
        case.kajian_notes = notes
    transition(case, actor, "start_kajian")
    db.session.commit()


ROUTE_STATES = {CaseState.DIREGISTRASI, CaseState.DALAM_KLARIFIKASI, CaseState.DALAM_KAJIAN}


def choose_route(case, actor, route):
    """Pick the route before the pleno, so its checklist (clarification, kajian …) starts now."""
    require_role(actor, KOORDINATOR_UP, "choose the route")
    if case.state not in ROUTE_STATES:
        raise CaseError(
            f"the case is “{case.state_label}”; a route is chosen between registration and "
            "the decision"
        )
    checklists.instantiate(case, route, actor)
    db.session.commit()


def decide(case, actor, decision, *, route=None, decision_date=None, pleno_result=None,
           legal_bases=None):  # fmt: skip
    """Dalam Kajian → the pleno's decision.

    "bukan_pelanggaran" stops the case; "pelanggaran" needs a ``route``, whose channel gives the
    next state (Rekomendasi → Direkomendasikan ke KPU, Penerusan → Diteruskan ke Instansi
    Berwenang, Gakkumdu → Dibahas Sentra Gakkumdu) and whose checklist the case copies.
    """
    check(case, actor, "decide")
    if decision not in DECISIONS:
        raise CaseError(f"decision must be one of {', '.join(DECISIONS)}")
    if decision == "pelanggaran":
        if route is None:
            raise CaseError("a violation needs a route: where does the case go?")
        target = CHANNEL_STATES[route.channel]
    else:
        target = CaseState.BUKAN_PELANGGARAN
        route = None  # a stopped case goes nowhere; a route chosen earlier stays as record
    case.decision = decision
    case.decision_date = decision_date or deadlines.today()
    case.pleno_result = pleno_result or case.pleno_result
    if legal_bases is not None:
        case.legal_bases = list(legal_bases)
    if route is not None:
        checklists.instantiate(case, route, actor)
    checklists.refresh_due_dates(case)  # the decision date is an anchor
    transition(
        case,
        actor,
        "decide",
        target,
        {"decision": decision, "route": getattr(route, "code", None),
         "decision_date": case.decision_date},
    )  # fmt: skip
    db.session.commit()


def _recipient_rows(kind, entries, start):
    rows = []
    for position, entry in enumerate(entries, start=start):
        if isinstance(entry, Agency):
            rows.append(CaseRecipient(kind=kind, agency=entry, name=entry.name, position=position))
        elif (entry or "").strip():
            rows.append(CaseRecipient(kind=kind, name=entry.strip()[:300], position=position))
    return rows


def forward_case(case, actor, *, letter_number, letter_date, dispatch_date=None,
                 recipients=None, copies=None):  # fmt: skip
    """Send the Rekomendasi/Penerusan letter → Menunggu Tindak Lanjut.

    ``recipients`` and ``copies`` (agencies or names) replace those copied from the route.
    """
    check(case, actor, "forward")
    _require_text(letter_number, "the letter number")
    if letter_date is None:
        raise CaseError("the letter date is required")
    rows = list(case.recipients)
    if recipients is not None:
        rows = _recipient_rows("recipient", recipients, 0) + [r for r in rows if r.kind == "copy"]
    if copies is not None:
        rows = [r for r in rows if r.kind == "recipient"] + _recipient_rows("copy", copies, 100)
    if not any(r.kind == "recipient" for r in rows):
        raise CaseError("the letter needs a recipient")
    if rows != list(case.recipients):
        case.recipients = rows
    case.letter_number = letter_number.strip()
    case.letter_date = letter_date
    case.dispatch_date = dispatch_date or letter_date
    checklists.refresh_due_dates(case)
    transition(
        case,
        actor,
        "forward",
        details={
            "letter_number": case.letter_number,
            "letter_date": letter_date,
            "recipients": [r.name for r in case.recipients if r.kind == "recipient"],
            "copies": [r.name for r in case.recipients if r.kind == "copy"],
        },
    )
    db.session.commit()


def record_follow_up(case, actor, *, followed_up, outcome, reference_number=None,
                     reference_date=None):  # fmt: skip
    """Menunggu Tindak Lanjut → Sudah / Tidak Ditindaklanjuti (reply, sanction, decree)."""
    check(case, actor, "record_follow_up")
    _require_text(outcome, "the outcome")
    case.follow_up_outcome = outcome.strip()
    case.follow_up_reference = (reference_number or "").strip() or None
    case.follow_up_date = reference_date
    target = CaseState.SUDAH_DITINDAKLANJUTI if followed_up else CaseState.TIDAK_DITINDAKLANJUTI
    transition(
        case,
        actor,
        "record_follow_up",
        target,
        {"outcome": outcome.strip()[:1000], "reference_number": case.follow_up_reference,
         "reference_date": reference_date},
    )  # fmt: skip
    db.session.commit()


def close_case(case, actor, *, note=None):
    """→ Selesai."""
    check(case, actor, "close")
    transition(case, actor, "close", details={"note": note} if note else None)
    db.session.commit()


def archive_case(case, actor):
    """Selesai (or an abandoned Draf) → Arsip."""
    check(case, actor, "archive")
    transition(case, actor, "archive")
    db.session.commit()


def _require_text(value, what):
    if not (value or "").strip():
        raise CaseError(f"{what} is required")
