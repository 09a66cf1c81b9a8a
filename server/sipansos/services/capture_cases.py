"""From a capture to a case: the cases a capture is evidence in, the open cases it could join,
and a new draft case started from it — from the evidence page and from the extension's upload.

The rules (who may, closed cases, withdrawn captures, no duplicates) stay in ``case_records``.
The extension's request travels with the upload and its queue repeats an upload whose answer it
did not get, so the upload path is idempotent: a capture already in the case counts as linked,
and a case this uploader started with this capture is found again instead of started twice.
"""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Capture, Case, CaseEvidence, ViolationCategory
from . import case_records, deadlines
from .case_states import CLOSED_STATES, CaseError, PermissionDenied

CANDIDATE_LIMIT = 20
TITLE_LENGTH = 120


def cases_of(capture):
    """The cases ``capture`` is evidence in, in the order it was added to them."""
    return db.session.scalars(
        select(Case)
        .join(CaseEvidence, CaseEvidence.case_id == Case.id)
        .where(CaseEvidence.capture_id == capture.id)
        .order_by(CaseEvidence.added_at, CaseEvidence.id)
    ).all()


def candidate_cases(capture, text=None, limit=CANDIDATE_LIMIT):
    """Open cases ``capture`` is not yet in, most recently changed first, optionally narrowed
    to those whose register number or title contains ``text``."""
    already = select(CaseEvidence.id).where(
        CaseEvidence.case_id == Case.id, CaseEvidence.capture_id == capture.id
    )
    stmt = (
        select(Case)
        .where(Case.state.not_in([s.value for s in CLOSED_STATES]), ~already.exists())
        .order_by(Case.updated_at.desc(), Case.id.desc())
        .limit(limit)
    )
    text = (text or "").strip()
    if text:
        stmt = stmt.where(
            or_(
                Case.number.icontains(text, autoescape=True),
                Case.title.icontains(text, autoescape=True),
            )
        )
    return db.session.scalars(stmt).all()


def find_case(case_id=None, number=None):
    """The case with this register number (exact, surrounding blanks ignored), else this id."""
    number = (number or "").strip()
    if number:
        return db.session.scalar(select(Case).where(Case.number == number))
    return db.session.get(Case, case_id) if case_id else None


def is_linked(case, capture):
    return (
        db.session.scalar(
            select(CaseEvidence.id).where(
                CaseEvidence.case_id == case.id, CaseEvidence.capture_id == capture.id
            )
        )
        is not None
    )


def attach(actor, capture, case):
    """Add ``capture`` to ``case`` as evidence (``case_records.add_evidence`` rules apply)."""
    try:
        return case_records.add_evidence(case, actor, capture)
    except CaseError:
        db.session.rollback()
        raise


def default_title(capture):
    """A case title from the post: author and the start of its text, else the page title or URL."""
    text = " ".join((capture.post_text or "").split())
    author = (capture.post_author_name or capture.post_author_handle or "").strip()
    if text:
        if len(text) > TITLE_LENGTH:
            text = text[: TITLE_LENGTH - 1].rstrip() + "…"
        return f"{author}: {text}" if author else text
    title = " ".join((capture.title or "").split())
    if title:
        return title[:TITLE_LENGTH]
    return f"{author}: {capture.url}"[:TITLE_LENGTH] if author else capture.url[:TITLE_LENGTH]


def known_date(capture):
    """The Jakarta date the violation became known: when the operator captured the post.

    The browser's capture time counts when it is earlier than the server's (a capture queued
    offline arrives late); the earlier date starts the 7-day clock the safe way.
    """
    moment = capture.received_at
    if capture.client_captured_at and capture.client_captured_at < moment:
        moment = capture.client_captured_at
    return deadlines.jakarta_date(moment)


def active_categories():
    """The categories a new case may get, in their reference order."""
    return db.session.scalars(
        select(ViolationCategory)
        .where(ViolationCategory.active.is_(True))
        .order_by(ViolationCategory.position, ViolationCategory.name)
    ).all()


def category_by_code(code):
    """The active category with this code, or None."""
    code = (code or "").strip()
    if not code:
        return None
    return db.session.scalar(
        select(ViolationCategory).where(
            ViolationCategory.code == code, ViolationCategory.active.is_(True)
        )
    )


def start_case(actor, capture, *, category=None, title=None):
    """Create a draft case (Temuan) with ``capture`` as its first evidence."""
    # Checked before anything is written (create_case would check it only after the insert).
    if capture.is_withdrawn:
        raise CaseError("a withdrawn capture cannot be used as evidence")
    try:
        return case_records.create_case(
            actor,
            title=(title or "").strip() or default_title(capture),
            source="temuan",
            category=category,
            known_date=known_date(capture),
            captures=[capture],
        )
    except CaseError:
        db.session.rollback()
        raise


# The extension's upload path.


class CaseLinkFailed(Exception):
    """The case part of a request could not be done; ``code`` names why (English message)."""

    def __init__(self, code, message, case=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.case = case


@dataclass(frozen=True)
class CaseLink:
    case: Case
    created: bool  # the case was started from this capture


def open_cases(text=None, limit=20):
    """Cases that still take evidence (not Selesai/Arsip), newest first; ``text`` matches the
    register number, the title or the id ("#12": the id only)."""
    stmt = (
        select(Case)
        .where(Case.state.not_in([state.value for state in CLOSED_STATES]))
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(limit)
    )
    text = (text or "").strip()
    if text.startswith("#") and text[1:].isdigit() and len(text) < 11:
        return db.session.scalars(stmt.where(Case.id == int(text[1:]))).all()
    if text:
        matches = [
            Case.title.icontains(text, autoescape=True),
            Case.number.icontains(text, autoescape=True),
        ]
        if text.isdigit() and len(text) < 10:
            matches.append(Case.id == int(text))
        stmt = stmt.where(or_(*matches))
    return db.session.scalars(stmt).all()


def _lock(capture):
    """Serialise linking per capture (PostgreSQL; SQLite writes one at a time anyway)."""
    db.session.execute(select(Capture.id).where(Capture.id == capture.id).with_for_update())


def case_started_with(actor, capture):
    """The case ``actor`` started from ``capture`` (created with it as evidence), if any."""
    return db.session.scalar(
        select(Case)
        .join(CaseEvidence, CaseEvidence.case_id == Case.id)
        .where(
            CaseEvidence.capture_id == capture.id,
            CaseEvidence.added_by_id == actor.id,
            Case.created_by_id == actor.id,
            Case.created_at >= capture.received_at,
        )
        .order_by(Case.id)
        .limit(1)
    )


def _refused(exc):
    if isinstance(exc, PermissionDenied):
        return CaseLinkFailed("forbidden", str(exc))
    return CaseLinkFailed("case_refused", str(exc))


def link_existing(actor, case, capture):
    """Put ``capture`` into ``case`` for an upload; a capture already there counts as linked."""
    if any(link.capture_id == capture.id for link in case.evidence):
        return CaseLink(case, created=False)
    if case.state_enum in CLOSED_STATES:
        raise CaseLinkFailed(
            "case_closed", f"the case is “{case.state_label}” and takes no evidence", case
        )
    if capture.is_withdrawn:
        raise CaseLinkFailed("capture_withdrawn", "a withdrawn capture cannot be evidence", case)
    try:
        case_records.add_evidence(case, actor, capture)
    except IntegrityError:
        # The same link was made at the same moment by another request.
        db.session.rollback()
        db.session.refresh(case)
        if not any(link.capture_id == capture.id for link in case.evidence):
            raise
    except CaseError as exc:
        db.session.rollback()
        raise _refused(exc) from exc
    return CaseLink(case, created=False)


def start_case_once(actor, capture, *, title, category_code=None):
    """Start a draft case with ``capture`` for an upload, or find the one started from it
    before (a retried upload)."""
    _lock(capture)
    existing = case_started_with(actor, capture)
    if existing is not None:
        db.session.commit()  # ends the transaction that holds the lock
        return CaseLink(existing, created=True)
    code = category_code or capture.category
    category = category_by_code(code) if code else None
    if category_code and category is None:
        db.session.rollback()
        raise CaseLinkFailed("unknown_category", f"no active category {category_code!r}")
    if capture.is_withdrawn:
        db.session.rollback()
        raise CaseLinkFailed("capture_withdrawn", "a withdrawn capture cannot be evidence")
    try:
        case = start_case(actor, capture, category=category, title=title)
    except CaseError as exc:
        raise _refused(exc) from exc
    return CaseLink(case, created=True)


def link_capture(actor, capture, request):
    """Do what the upload's ``case`` field asks (see ``CaseLinkRequestSchema``).

    Returns a ``CaseLink``; raises ``CaseLinkFailed`` without touching the capture.
    """
    if "new_case" in request:
        new = request["new_case"]
        return start_case_once(
            actor, capture, title=new["title"], category_code=new.get("category")
        )
    case = case_records.get_case(request["case_id"])
    if case is None:
        raise CaseLinkFailed("case_not_found", f"there is no case {request['case_id']}")
    return link_existing(actor, case, capture)
