"""Reading what the case page shows, and finding what a user typed: a capture, reference rows."""

import functools
import re
import uuid

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from ..extensions import db
from ..models import (
    Agency,
    Capture,
    Case,
    CaseChecklistItem,
    CaseEvent,
    CaseEvidence,
    CaseLetter,
    LegalBasis,
    Route,
    Terlapor,
)
from ..services import capture_cases

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


@functools.cache
def _case_page_statement():
    """The statement of ``load_case``, built once: with its loader options it takes a few
    milliseconds to build and to derive its cache key, which a page view need not pay again."""
    shown_of_capture = load_only(
        Capture.capture_uuid,
        Capture.url,
        Capture.title,
        Capture.platform,
        Capture.client_captured_at,
        Capture.received_at,
        Capture.manifest_sha256,
        Capture.withdrawn_at,
    )
    return (
        select(Case)
        .where(Case.id == bindparam("case_id"))
        .options(
            joinedload(Case.category),
            joinedload(Case.route),
            joinedload(Case.created_by),
            joinedload(Case.terlapor).joinedload(Terlapor.accounts),
            joinedload(Case.legal_bases),
            selectinload(Case.parties),
            selectinload(Case.recipients),
            selectinload(Case.checklist).options(
                joinedload(CaseChecklistItem.documents), joinedload(CaseChecklistItem.done_by)
            ),
            selectinload(Case.events).joinedload(CaseEvent.actor),
            selectinload(Case.evidence).options(
                joinedload(CaseEvidence.added_by),
                joinedload(CaseEvidence.capture).options(
                    shown_of_capture, joinedload(Capture.artifacts)
                ),
            ),
            selectinload(Case.letters).options(
                joinedload(CaseLetter.docx),
                joinedload(CaseLetter.pdf),
                joinedload(CaseLetter.generated_by),
            ),
        )
    )


def load_case(case_id):
    """The case with everything its page shows, or None.

    Small collections (terlapor and their accounts, legal bases, a capture's files, a step's
    documents) are joined into their parent's query instead of read by a query each, and of
    the evidence's captures only the columns the page shows are read: the post text, client
    info and signature stay in the database.
    """
    result = db.session.execute(_case_page_statement(), {"case_id": case_id})
    return result.unique().scalar_one_or_none()


def find_capture(text):
    """The capture a user means by ``text``: its UUID, the address of its evidence page
    (both contain the UUID), or the URL of the captured post (the newest capture of it that
    is not withdrawn). None when nothing matches."""
    text = (text or "").strip()
    if not text:
        return None
    found = _UUID.search(text)
    if found:
        capture = db.session.scalar(
            select(Capture).where(Capture.capture_uuid == uuid.UUID(found.group(0)))
        )
        if capture is not None:
            return capture
    return db.session.scalar(
        select(Capture)
        .where(
            or_(Capture.url == text, Capture.post_permalink == text),
            Capture.withdrawn_at.is_(None),
        )
        .order_by(Capture.received_at.desc(), Capture.id.desc())
        .limit(1)
    )


def categories(current=None):
    """Active categories in their order, plus the case's own if it was retired since."""
    rows = capture_cases.active_categories()
    return rows + [current] if current is not None and current not in rows else rows


def legal_bases(current=()):
    """Active legal bases, plus any the case already cites that were retired since."""
    rows = db.session.scalars(
        select(LegalBasis)
        .where(LegalBasis.active.is_(True))
        .order_by(LegalBasis.regulation, LegalBasis.article, LegalBasis.id)
    ).all()
    return rows + [b for b in current if b not in rows]


def active_routes():
    return db.session.scalars(select(Route).where(Route.active.is_(True)).order_by(Route.id)).all()


def agencies_by_name(names):
    """``{lower-case name: Agency}`` for the active agencies named in ``names``."""
    wanted = {name.strip().lower() for name in names if name.strip()}
    if not wanted:
        return {}
    rows = db.session.scalars(
        select(Agency).where(Agency.active.is_(True), func.lower(Agency.name).in_(wanted))
    )
    return {agency.name.lower(): agency for agency in rows}
