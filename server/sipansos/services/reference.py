"""Reference data: loading the defaults, choosing a route, and the admin's edits.

``load_default_reference_data`` works on a plain connection with Core statements, so migration
0003 can call it with its own connection (and tests and a CLI command with the session's). It
only inserts rows whose code (or holiday date) is missing: loading twice changes nothing, and
rows an admin edited are never overwritten.
"""

import re
import unicodedata
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy import case as sql_case
from sqlalchemy import select

from .. import letter_defaults, reference_data
from ..extensions import db
from ..models import (
    Agency,
    HariLibur,
    LegalBasis,
    LetterTemplate,
    Role,
    Route,
    RouteChecklistItem,
    RouteCopy,
    SubjectStatus,
    ViolationCategory,
)
from ..models.reference import ROUTE_CHANNELS
from . import audit, deadlines
from .case_states import CaseError, require_role

# Table shapes as of migration 0003, so that the loader never depends on the ORM models.
_CATEGORIES = sa.table(
    "violation_categories",
    *(sa.column(n) for n in ("id", "code", "name", "description")),
    sa.column("position", sa.Integer),
    sa.column("active", sa.Boolean),
)
_LEGAL_BASES = sa.table(
    "legal_bases",
    *(sa.column(n) for n in ("id", "code", "regulation", "article", "summary", "note")),
    sa.column("verified", sa.Boolean),
    sa.column("active", sa.Boolean),
)
_AGENCIES = sa.table(
    "agencies",
    *(sa.column(n) for n in ("id", "code", "name", "note")),
    sa.column("verified", sa.Boolean),
    sa.column("active", sa.Boolean),
)
_ROUTES = sa.table(
    "routes",
    *(sa.column(n) for n in ("id", "code", "name", "subject_status", "category_id", "channel")),
    *(sa.column(n) for n in ("recipient_id", "description", "note")),
    sa.column("verified", sa.Boolean),
    sa.column("active", sa.Boolean),
)
_ROUTE_COPIES = sa.table(
    "route_copies", *(sa.column(n) for n in ("route_id", "agency_id", "position"))
)
_ROUTE_ITEMS = sa.table(
    "route_checklist_items",
    *(sa.column(n) for n in ("route_id", "position", "title", "actor", "deadline_days")),
    *(sa.column(n) for n in ("deadline_unit", "deadline_anchor", "note")),
    sa.column("verified", sa.Boolean),
)
_HOLIDAYS = sa.table(
    "hari_libur",
    sa.column("date", sa.Date),
    sa.column("name"),
    sa.column("verified", sa.Boolean),
)


class ReferenceDataError(CaseError):
    """An edit of reference data was refused; the message says why.

    ``code`` and ``params`` let a page show the reason in the user's language.
    """

    def __init__(self, message, *, code=None, **params):
        super().__init__(message)
        self.code = code
        self.params = params


def _codes(conn, table):
    return {row.code: row.id for row in conn.execute(select(table.c.code, table.c.id))}


def _insert_missing(conn, table, rows, defaults):
    existing = _codes(conn, table)
    added = 0
    for row in rows:
        if row["code"] not in existing:
            conn.execute(table.insert().values({**defaults, **row}))
            added += 1
    return added


def _insert_routes(conn):
    existing = _codes(conn, _ROUTES)
    agencies = _codes(conn, _AGENCIES)
    categories = _codes(conn, _CATEGORIES)
    added = 0
    for route in reference_data.ROUTES:
        if route["code"] in existing:
            continue
        route_id = conn.execute(
            _ROUTES.insert()
            .values(
                code=route["code"],
                name=route["name"],
                subject_status=route.get("subject_status"),
                category_id=categories.get(route.get("category")),
                channel=route["channel"],
                recipient_id=agencies.get(route.get("recipient")),
                description=route.get("description"),
                note=route.get("note"),
                verified=route.get("verified", True),
                active=True,
            )
            .returning(_ROUTES.c.id)
        ).scalar_one()
        for position, code in enumerate(route.get("copies", []), start=1):
            conn.execute(
                _ROUTE_COPIES.insert().values(
                    route_id=route_id, agency_id=agencies[code], position=position
                )
            )
        for position, item in enumerate(route["items"], start=1):
            conn.execute(_ROUTE_ITEMS.insert().values(route_id=route_id, position=position, **item))
        added += 1
    return added


def _insert_holidays(conn):
    existing = set(conn.scalars(select(_HOLIDAYS.c.date)))
    added = 0
    for holiday in reference_data.HOLIDAYS:
        day = date.fromisoformat(holiday["date"])
        if day not in existing:
            conn.execute(_HOLIDAYS.insert().values(date=day, name=holiday["name"], verified=False))
            added += 1
    return added


def load_default_reference_data(connection=None):
    """Insert the default reference data that is missing; returns counts of added rows.

    With ``connection`` (a migration's) the caller commits; without, the app session is used
    and committed.
    """
    conn = connection if connection is not None else db.session.connection()
    categories = [
        {"position": position, **row}
        for position, row in enumerate(reference_data.CATEGORIES, start=1)
    ]
    added = {
        "categories": _insert_missing(conn, _CATEGORIES, categories, {"active": True}),
        "legal_bases": _insert_missing(
            conn, _LEGAL_BASES, reference_data.LEGAL_BASES, {"verified": True, "active": True}
        ),
        "agencies": _insert_missing(
            conn, _AGENCIES, reference_data.AGENCIES, {"verified": True, "active": True}
        ),
    }
    added["routes"] = _insert_routes(conn)
    added["holidays"] = _insert_holidays(conn)
    if connection is None:
        db.session.commit()
    return added


def suggest_routes(subject_status=None, category_code=None):
    """Active routes that fit a subject status and category, the most specific first.

    Order: routes naming both; then those naming only the category (content routes such as
    hoaks, whatever the subject's status); then only the status; then general routes.
    """
    category_id = None
    if category_code:
        category_id = db.session.scalar(
            select(ViolationCategory.id).where(ViolationCategory.code == category_code)
        )
    status_fits = sa.or_(Route.subject_status.is_(None), Route.subject_status == subject_status)
    category_fits = sa.or_(Route.category_id.is_(None), Route.category_id == category_id)
    specificity = sql_case(
        (sa.and_(Route.subject_status.is_not(None), Route.category_id.is_not(None)), 0),
        (Route.category_id.is_not(None), 1),
        (Route.subject_status.is_not(None), 2),
        else_=3,
    )
    stmt = (
        select(Route)
        .where(Route.active.is_(True), status_fits, category_fits)
        .order_by(specificity, Route.id)
    )
    return db.session.scalars(stmt).all()


def suggest_routes_for_case(case):
    """``suggest_routes`` for the case's category and the status of its first reported person."""
    status = case.terlapor[0].employment_status if case.terlapor else None
    return suggest_routes(status, case.category.code if case.category else None)


def route_by_code(code):
    return db.session.scalar(select(Route).where(Route.code == code))


# Fields an admin may change, per kind of reference row.
_EDITABLE = {
    "violation_categories": {"name", "description", "position", "active"},
    "legal_bases": {"regulation", "article", "summary", "verified", "note", "active"},
    "agencies": {"name", "verified", "note", "active"},
    "routes": {"name", "subject_status", "category_id", "channel", "recipient_id",
               "description", "verified", "note", "active"},
    "route_checklist_items": {"position", "title", "actor", "deadline_days", "deadline_unit",
                              "deadline_anchor", "verified", "note"},
    "hari_libur": {"date", "name", "verified"},
    "letter_templates": {"name", "letterhead", "place", "classification", "subject", "body",
                         "closing", "signer_title", "signer_name", "verified", "note",
                         "active"},
}  # fmt: skip


def update_reference(actor, row, /, **fields):
    """An admin changes fields of a reference row; open cases keep their own copies."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    allowed = _EDITABLE[row.__tablename__]
    unknown = set(fields) - allowed
    if unknown:
        raise ReferenceDataError(f"cannot edit {', '.join(sorted(unknown))} here")
    if fields.get("channel", ROUTE_CHANNELS[0]) not in ROUTE_CHANNELS:
        raise ReferenceDataError(f"channel must be one of {', '.join(ROUTE_CHANNELS)}")
    status = fields.get("subject_status")
    if status is not None and status not in {s.value for s in SubjectStatus}:
        raise ReferenceDataError(f"unknown subject status {status!r}")
    if isinstance(row, RouteChecklistItem):
        rule = {k: fields.get(k, getattr(row, k)) for k in ("deadline_days", "deadline_unit")}
        try:
            deadlines.check_rule(
                rule["deadline_days"],
                rule["deadline_unit"],
                fields.get("deadline_anchor", row.deadline_anchor),
            )
        except ValueError as exc:
            raise ReferenceDataError(str(exc), code="deadline_rule") from exc
    changes = {}
    for key, value in fields.items():
        old = getattr(row, key)
        if old != value:
            changes[key] = {"from": old, "to": value}
            setattr(row, key, value)
    if changes:
        audit.record(
            "reference_updated",
            actor=actor,
            target=row,
            details={
                k: {"from": _plain(v["from"]), "to": _plain(v["to"])} for k, v in changes.items()
            },
        )
        db.session.commit()
    return changes


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def add_route_item(actor, route, *, title, actor_label=None, days=None, unit=None, anchor=None,
                   note=None, verified=True):  # fmt: skip
    """An admin appends a step to a route's template (used by cases that choose it later)."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    if not (title or "").strip():
        raise ReferenceDataError("a checklist item needs a title", code="required")
    try:
        deadlines.check_rule(days, unit, anchor)
    except ValueError as exc:
        raise ReferenceDataError(str(exc), code="deadline_rule") from exc
    item = RouteChecklistItem(
        position=max((i.position for i in route.items), default=0) + 1,
        title=title.strip(),
        actor=actor_label,
        deadline_days=days,
        deadline_unit=unit,
        deadline_anchor=anchor,
        note=note,
        verified=verified,
    )
    route.items.append(item)
    audit.record(
        "reference_route_item_added",
        actor=actor,
        target=route,
        details={"title": item.title, "position": item.position},
    )
    db.session.commit()
    return item


def add_holiday(actor, day, name, *, verified=True):
    """An admin adds a holiday (or cuti bersama day); working-day deadlines skip it."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    if db.session.scalar(select(HariLibur).where(HariLibur.date == day)) is not None:
        raise ReferenceDataError(
            f"{day.isoformat()} is already a holiday", code="holiday_exists", date=day
        )
    holiday = HariLibur(date=day, name=name.strip(), verified=verified)
    db.session.add(holiday)
    audit.record(
        "holiday_added",
        actor=actor,
        target=holiday,
        details={"date": day.isoformat(), "name": name},
    )
    db.session.commit()
    return holiday


def remove_holiday(actor, holiday):
    """An admin removes a holiday; working-day deadlines computed later count that day again."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    audit.record(
        "holiday_removed",
        actor=actor,
        target=holiday,
        details={"date": holiday.date.isoformat(), "name": holiday.name},
    )
    db.session.delete(holiday)
    db.session.commit()


def unique_code(model, text):
    """A stable code made from ``text`` (lower case, underscores), unique in ``model``'s table."""
    base = re.sub(r"[^0-9a-z]+", "_", _ascii(text).lower()).strip("_")[:40] or "item"
    taken = set(
        db.session.scalars(select(model.code).where(model.code.startswith(base, autoescape=True)))
    )
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}_{n}"
    return code


def _ascii(text):
    return unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()


def require_fields(**fields):
    for name, value in fields.items():
        if not (value or "").strip():
            raise ReferenceDataError(f"{name} is required", code="required", field=name)


def created(actor, row, **details):
    db.session.add(row)
    audit.record(
        "reference_created",
        actor=actor,
        target=row,
        details={"code": row.code, **{k: _plain(v) for k, v in details.items()}},
    )
    db.session.commit()
    return row


def create_category(actor, *, name, description=None):
    """An admin adds a violation category, placed last."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    require_fields(name=name)
    position = db.session.scalar(select(sa.func.max(ViolationCategory.position))) or 0
    row = ViolationCategory(
        code=unique_code(ViolationCategory, name),
        name=name.strip(),
        description=description,
        position=position + 1,
        active=True,
    )
    return created(actor, row, name=row.name)


def create_legal_basis(actor, *, regulation, article=None, summary=None, note=None,
                       verified=True):  # fmt: skip
    """An admin adds a legal basis (regulation and, optionally, article)."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    require_fields(regulation=regulation)
    row = LegalBasis(
        code=unique_code(LegalBasis, f"{regulation} {article or ''}"),
        regulation=regulation.strip(),
        article=article,
        summary=summary,
        note=note,
        verified=verified,
        active=True,
    )
    return created(actor, row, regulation=row.regulation, article=row.article)


def create_agency(actor, *, name, note=None, verified=True):
    """An admin adds an agency that letters can go to (recipient or copy)."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    require_fields(name=name)
    row = Agency(
        code=unique_code(Agency, name),
        name=name.strip(),
        note=note,
        verified=verified,
        active=True,
    )
    return created(actor, row, name=row.name)


def create_route(actor, *, name, channel, subject_status=None, category_id=None,
                 recipient_id=None, description=None, note=None, verified=True):  # fmt: skip
    """An admin adds a route; its checklist items and copies are added afterwards."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    require_fields(name=name)
    if channel not in ROUTE_CHANNELS:
        raise ReferenceDataError(f"channel must be one of {', '.join(ROUTE_CHANNELS)}")
    if subject_status is not None and subject_status not in {s.value for s in SubjectStatus}:
        raise ReferenceDataError(f"unknown subject status {subject_status!r}")
    row = Route(
        code=unique_code(Route, name),
        name=name.strip(),
        channel=channel,
        subject_status=subject_status,
        category_id=category_id,
        recipient_id=recipient_id,
        description=description,
        note=note,
        verified=verified,
        active=True,
    )
    return created(
        actor, row, name=row.name, channel=channel, subject_status=subject_status,
        category_id=category_id, recipient_id=recipient_id,
    )  # fmt: skip


def add_route_copy(actor, route, agency):
    """An admin adds an agency to the route's copies (tembusan), placed last."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    if any(copy.agency_id == agency.id for copy in route.copies):
        raise ReferenceDataError(
            f"{agency.name} already receives a copy", code="copy_exists", name=agency.name
        )
    if route.recipient_id == agency.id:
        raise ReferenceDataError(
            f"{agency.name} is the route's recipient", code="copy_is_recipient", name=agency.name
        )
    position = max((copy.position for copy in route.copies), default=0) + 1
    route.copies.append(RouteCopy(agency=agency, position=position))
    audit.record(
        "reference_route_copy_added",
        actor=actor,
        target=route,
        details={"agency": agency.code, "position": position},
    )
    db.session.commit()


def remove_route_copy(actor, route, copy):
    """An admin removes an agency from the route's copies; open cases keep theirs."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    route.copies.remove(copy)
    audit.record(
        "reference_route_copy_removed",
        actor=actor,
        target=route,
        details={"agency": copy.agency.code},
    )
    db.session.commit()


def _renumber(route):
    for position, item in enumerate(route.items, start=1):
        item.position = position


def move_route_item(actor, item, offset):
    """Move a template item ``offset`` places (-1 up, +1 down); open cases keep their order."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    items = sorted(item.route.items, key=lambda i: (i.position, i.id))
    old = items.index(item)
    new = min(max(old + offset, 0), len(items) - 1)
    if new == old:
        return False
    items.insert(new, items.pop(old))
    for position, each in enumerate(items, start=1):
        each.position = position
    audit.record(
        "reference_route_item_moved",
        actor=actor,
        target=item,
        details={"route": item.route.code, "title": item.title, "from": old + 1, "to": new + 1},
    )
    db.session.commit()
    return True


def remove_route_item(actor, item):
    """Remove a step from a route's template; cases that already copied it keep their copy."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    route = item.route
    audit.record(
        "reference_route_item_removed",
        actor=actor,
        target=item,
        details={"route": route.code, "title": item.title, "position": item.position},
    )
    route.items.remove(item)
    _renumber(route)
    db.session.commit()


def list_rows(model):
    """Every row of a kind of reference data, in the order the admin pages show them."""
    order = {
        ViolationCategory: (ViolationCategory.position, ViolationCategory.id),
        LegalBasis: (LegalBasis.regulation, LegalBasis.id),
        Agency: (Agency.name, Agency.id),
        Route: (Route.name, Route.id),
        HariLibur: (HariLibur.date,),
        LetterTemplate: (LetterTemplate.kind, LetterTemplate.name, LetterTemplate.id),
    }[model]
    return db.session.scalars(select(model).order_by(*order)).all()


def overview():
    """``{table name: (rows, unverified rows)}`` for the reference-data index page."""
    counts = {}
    models = (ViolationCategory, LegalBasis, Agency, Route, RouteChecklistItem, HariLibur,
              LetterTemplate)  # fmt: skip
    for model in models:
        total = db.session.scalar(select(sa.func.count()).select_from(model))
        unverified = 0
        if hasattr(model, "verified"):
            unverified = db.session.scalar(
                select(sa.func.count()).select_from(model).where(model.verified.is_(False))
            )
        counts[model.__tablename__] = (total, unverified)
    return counts


_LETTER_TEMPLATES = sa.table(
    "letter_templates",
    *(sa.column(n) for n in ("id", "code", "kind", "name", "letterhead", "place")),
    sa.column("classification"),
    *(sa.column(n) for n in ("subject", "body", "closing", "signer_title", "signer_name")),
    sa.column("note"),
    sa.column("verified", sa.Boolean),
    sa.column("active", sa.Boolean),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def load_default_letter_templates(connection=None):
    """Insert the default letter templates whose code is missing; returns how many.

    Separate from ``load_default_reference_data``: migration 0003 loads that one before the
    table exists (it came with migration 0006, which calls this).
    """
    conn = connection if connection is not None else db.session.connection()
    defaults = {
        "verified": False,
        "active": True,
        "note": letter_defaults.DRAFT_NOTE,
        "place": None,
        "updated_at": datetime.now(UTC),
    }
    added = _insert_missing(conn, _LETTER_TEMPLATES, letter_defaults.LETTER_TEMPLATES, defaults)
    if connection is None:
        db.session.commit()
    return added
