"""A capture into a case, as the extension asks for it: attach it to an open case or start a draft
case with it, and the cases and categories the extension offers.

The request travels with the upload, and the extension's queue repeats an upload whose answer it
did not get, so linking is idempotent: a capture already in the case counts as linked, and a case
this uploader started with this capture is found again instead of started twice.
"""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Capture, Case, CaseEvidence, ViolationCategory
from . import case_records
from .case_states import CLOSED_STATES, CaseError, PermissionDenied
from .deadlines import jakarta_date


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


def active_categories():
    return db.session.scalars(
        select(ViolationCategory)
        .where(ViolationCategory.active.is_(True))
        .order_by(ViolationCategory.position, ViolationCategory.name)
    ).all()


def _category(code):
    return db.session.scalar(
        select(ViolationCategory).where(
            ViolationCategory.code == code, ViolationCategory.active.is_(True)
        )
    )


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


def attach(actor, case, capture):
    """Put ``capture`` into ``case``; a capture already there counts as attached."""
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


def start_case(actor, capture, *, title, category_code=None):
    """Start a draft case (Temuan) with ``capture`` as its evidence, or find the one started
    from it before; known date: the day it was captured, in Jakarta."""
    _lock(capture)
    existing = case_started_with(actor, capture)
    if existing is not None:
        db.session.commit()  # ends the transaction that holds the lock
        return CaseLink(existing, created=True)
    code = category_code or capture.category
    category = _category(code) if code else None
    if category_code and category is None:
        db.session.rollback()
        raise CaseLinkFailed("unknown_category", f"no active category {category_code!r}")
    if capture.is_withdrawn:
        db.session.rollback()
        raise CaseLinkFailed("capture_withdrawn", "a withdrawn capture cannot be evidence")
    try:
        case = case_records.create_case(
            actor,
            title=title,
            source="temuan",
            category=category,
            known_date=jakarta_date(capture.client_captured_at or capture.received_at),
            captures=[capture],
        )
    except CaseError as exc:
        db.session.rollback()
        raise _refused(exc) from exc
    return CaseLink(case, created=True)


def link_capture(actor, capture, request):
    """Do what the upload's ``case`` field asks (see ``CaseLinkRequestSchema``).

    Returns a ``CaseLink``; raises ``CaseLinkFailed`` without touching the capture.
    """
    if "new_case" in request:
        new = request["new_case"]
        return start_case(actor, capture, title=new["title"], category_code=new.get("category"))
    case = case_records.get_case(request["case_id"])
    if case is None:
        raise CaseLinkFailed("case_not_found", f"there is no case {request['case_id']}")
    return attach(actor, case, capture)
