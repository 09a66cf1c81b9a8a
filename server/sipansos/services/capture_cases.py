"""From a capture to a case: the cases a capture is evidence in, the open cases it could join, and
a new draft case started from it. The rules (who may, closed cases, withdrawn captures, no
duplicates) stay in ``case_records``; this module only finds rows and words the new case.
"""

from sqlalchemy import or_, select

from ..extensions import db
from ..models import Case, CaseEvidence, ViolationCategory
from . import case_records, deadlines
from .case_states import CLOSED_STATES, CaseError

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
