"""Follow-up checklists: each case gets its own copy of its route's template items.

Copies, not references: an admin editing a template later never rewrites an open case. Due dates
are stored on the items (so the dashboard can query them) and recomputed whenever an anchor date
or an item's done date changes.

Documents attached to an item (letters, receipts, decrees) go straight into the evidence store
under their SHA-256 rather than becoming captures: they are Bawaslu's own paperwork, not
social-media evidence, and should not appear in the evidence list or need a capture manifest.
"""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Case, CaseChecklistItem, CaseDocument, CaseRecipient
from ..models.types import utcnow
from ..storage import get_store
from . import audit, deadlines
from .case_states import CLOSED_STATES, KOORDINATOR_UP, CaseError, log_event, require_role

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


def _copy(template, position):
    return CaseChecklistItem(
        position=position,
        title=template.title,
        actor=template.actor,
        template_item_id=template.id,
        route_code=template.route.code,
        deadline_days=template.deadline_days,
        deadline_unit=template.deadline_unit,
        deadline_anchor=template.deadline_anchor,
    )


def instantiate(case, route, actor):
    """Give ``case`` its own copy of ``route``'s checklist, recipient and copies (no commit).

    If the case had another route, that route's open items are dropped (done ones and those
    with documents stay, as record) and the recipients are replaced. Choosing the same route
    again changes nothing.
    """
    if case.route_id == route.id and any(i.route_code == route.code for i in case.checklist):
        return False
    if not route.active:
        raise CaseError(f"the route “{route.name}” is no longer in use")
    dropped = [
        i for i in case.checklist if not i.done and i.route_code is not None and not i.documents
    ]
    for item in dropped:
        case.checklist.remove(item)
    position = max((i.position for i in case.checklist), default=0)
    for offset, template in enumerate(route.items, start=1):
        case.checklist.append(_copy(template, position + offset))
    case.route = route
    case.recipients.clear()
    if route.recipient is not None:
        case.recipients.append(
            CaseRecipient(
                kind="recipient", agency=route.recipient, name=route.recipient.name, position=0
            )
        )
    for position, copy in enumerate(route.copies, start=1):
        case.recipients.append(
            CaseRecipient(kind="copy", agency=copy.agency, name=copy.agency.name, position=position)
        )
    refresh_due_dates(case)
    log_event(
        case,
        actor,
        "checklist_created",
        {"route": route.code, "items": len(route.items), "dropped_open_items": len(dropped)},
        audit_action="case_route_chosen",
    )
    return True


def refresh_due_dates(case):
    """Recompute every open item's due date from its rule and the case's anchor dates."""
    anchors = deadlines.anchor_dates(case)
    previous_done_on = None
    for item in sorted(case.checklist, key=lambda i: i.position):
        if not item.done:
            item.due_date = deadlines.due_date(
                item.deadline_days,
                item.deadline_unit,
                item.deadline_anchor,
                anchors,
                previous_done_on,
            )
        previous_done_on = item.done_on if item.done else None


def _check_open(case, actor, what):
    require_role(actor, KOORDINATOR_UP, what)
    if case.state in CLOSED_STATES:
        raise CaseError(f"the case is “{case.state_label}”; its checklist can no longer change")


def complete_item(item, actor, *, done_on=None, note=None, letter_number=None, letter_date=None):
    """Mark an item done on ``done_on`` (default today in Jakarta), with an optional letter."""
    case = item.case
    _check_open(case, actor, "update the checklist")
    if item.done:
        raise CaseError(f"“{item.title}” is already done")
    item.done = True
    item.done_on = done_on or deadlines.today()
    item.done_at = utcnow()
    item.done_by = actor
    item.note = note if note is not None else item.note
    item.letter_number = letter_number or item.letter_number
    item.letter_date = letter_date or item.letter_date
    refresh_due_dates(case)
    log_event(
        case,
        actor,
        "checklist_item_done",
        {"item_id": item.id, "title": item.title[:200], "done_on": item.done_on,
         "letter_number": item.letter_number},
        audit_action="case_checklist_item_done",
    )  # fmt: skip
    db.session.commit()
    return item


def reopen_item(item, actor, *, reason):
    """Mark a done item open again; the reason is kept on the timeline."""
    case = item.case
    _check_open(case, actor, "update the checklist")
    if not item.done:
        raise CaseError(f"“{item.title}” is not done")
    if not (reason or "").strip():
        raise CaseError("a reason is required to reopen an item")
    item.done, item.done_on, item.done_at, item.done_by = False, None, None, None
    refresh_due_dates(case)
    log_event(
        case,
        actor,
        "checklist_item_reopened",
        {"item_id": item.id, "title": item.title[:200], "reason": reason.strip()[:1000]},
        audit_action="case_checklist_item_reopened",
    )
    db.session.commit()
    return item


def add_item(case, actor, title, *, who=None, days=None, unit=None, anchor=None):
    """Add an item to this one case (not to the template), with an optional deadline rule."""
    _check_open(case, actor, "update the checklist")
    title = (title or "").strip()
    if not title:
        raise CaseError("the item needs a title")
    try:
        deadlines.check_rule(days, unit, anchor)
    except ValueError as exc:
        raise CaseError(str(exc)) from exc
    item = CaseChecklistItem(
        position=max((i.position for i in case.checklist), default=0) + 1,
        title=title,
        actor=who,
        deadline_days=days,
        deadline_unit=unit,
        deadline_anchor=anchor,
    )
    case.checklist.append(item)
    refresh_due_dates(case)
    db.session.flush()
    log_event(
        case,
        actor,
        "checklist_item_added",
        {"item_id": item.id, "title": title[:200], "due_date": item.due_date},
        audit_action="case_checklist_item_added",
    )
    db.session.commit()
    return item


def attach_document(item, actor, stream, *, filename, content_type="application/octet-stream"):
    """Store a document in the evidence store and attach it to ``item`` by its SHA-256."""
    case = item.case
    _check_open(case, actor, "attach documents")
    stored = get_store().put(stream, content_type=content_type, max_bytes=MAX_DOCUMENT_BYTES)
    document = CaseDocument(
        case=case,
        sha256=stored.sha256,
        filename=(filename or "dokumen")[:255],
        media_type=content_type[:100],
        size=stored.size,
        uploaded_by=actor,
    )
    item.documents.append(document)
    db.session.flush()
    log_event(
        case,
        actor,
        "document_attached",
        {"item_id": item.id, "document_id": document.id, "sha256": stored.sha256,
         "filename": document.filename},
        audit_action="case_document_attached",
    )  # fmt: skip
    db.session.commit()
    return document


def record_download(document, actor, *, ip=None):
    """Audit that ``actor`` downloaded a case document (a letter, a reply, a decree)."""
    audit.record(
        "case_document_downloaded",
        actor=actor,
        target=document.case,
        details={"document_id": document.id, "filename": document.filename,
                 "sha256": document.sha256},
        ip=ip,
    )  # fmt: skip
    db.session.commit()


def _open_items():
    return (
        select(CaseChecklistItem)
        .join(Case)
        .where(
            CaseChecklistItem.done.is_(False),
            CaseChecklistItem.due_date.is_not(None),
            Case.state.not_in([s.value for s in CLOSED_STATES]),
        )
        .options(joinedload(CaseChecklistItem.case))
        .order_by(CaseChecklistItem.due_date, CaseChecklistItem.id)
    )


def overdue_items(today=None, limit=None):
    """Open items of open cases whose due date is before ``today`` (Jakarta), oldest first."""
    today = today or deadlines.today()
    stmt = _open_items().where(CaseChecklistItem.due_date < today).limit(limit)
    return db.session.scalars(stmt).all()


def due_within(days, today=None, limit=None):
    """Open items of open cases due from ``today`` up to ``today + days`` inclusive."""
    today = today or deadlines.today()
    return db.session.scalars(
        _open_items()
        .where(
            CaseChecklistItem.due_date >= today,
            CaseChecklistItem.due_date <= today + timedelta(days=days),
        )
        .limit(limit)
    ).all()


def progress(case):
    """``(done, total)``: how many of the case's checklist items are done."""
    return sum(1 for item in case.checklist if item.done), len(case.checklist)


def item_status(item, today=None):
    """``(status, days_left)`` of an item on ``today`` (Jakarta).

    status is "done", "overdue" (due date passed), "due" (due date ahead or today) or "open"
    (no due date: no rule, or its anchor date is not reached yet); days_left is negative when
    overdue and None without a due date or once done.
    """
    if item.done:
        return "done", None
    left = deadlines.days_left(item.due_date, today)
    if left is None:
        return "open", None
    return ("overdue" if left < 0 else "due"), left
