"""What the case list filters on, kept on the case row: its facets and its next due date.

Filters on data of other tables (the platforms of a case's captures, its terlapor's employment
status, who created it or added evidence) used to be joins or EXISTS tests against a million
captures, and the overdue filter read every open checklist item. At 100,000 cases that made a
filtered page slow however the indexes were made: a join cannot stop at a page's LIMIT, and the
planner cannot tell how the matches are spread. With the values copied onto the case, every
filter is a test of the case row itself, and a page walks its sort index until it has its rows.

``cases.facets`` holds ``platform:<code>``, ``status:<SubjectStatus code>``,
``operator:<user id>`` and ``state:<CaseState>`` labels (the state too: a state tab with other
facets is then one index lookup, not the intersection of two large bitmaps): a ``text[]`` with
a GIN index on PostgreSQL (``@>`` tests several labels at once), space-separated text with a
space at each end on SQLite (a LIKE per label).
``cases.next_due_date`` is the earliest due date of the case's open checklist items: a case is
overdue when it is before today. ``cases.terlapor_agencies`` holds the agencies (instansi / unit
kerja) of its terlapor, one per line, for the agency filter's substring match: matching the
terlapor first and joining their cases read every case link and could not stop at a LIMIT.

Derived data, like the search document: rebuilt in the same transaction after every ORM flush
that changes what it is made of; bulk loaders call ``refresh``.
"""

from itertools import chain

from sqlalchemy import String, cast, event, func, literal, select, union
from sqlalchemy.orm import Session

from .case import Case, CaseChecklistItem, CaseEvidence, Terlapor, case_terlapor
from .derived import changed, refresh_touched, update_in_batches
from .evidence import Capture

_CASE_FIELDS = ("state", "created_by_id", "terlapor", "evidence")


def label(kind, value):
    """The facet label of ``value``: ``label("platform", "tiktok") == "platform:tiktok"``."""
    return f"{kind}:{value}"


def _labels(cases):
    """A SELECT of the facet labels of the ``cases`` row it is correlated to."""
    evidence = CaseEvidence.__table__
    captures = Capture.__table__
    terlapor = Terlapor.__table__

    def labelled(kind, column):
        return (literal(kind + ":") + cast(column, String)).label("facet")

    # Correlated explicitly: in a derived table SQLAlchemy would add ``cases`` to each FROM.
    return union(
        select(labelled("platform", captures.c.platform))
        .select_from(evidence.join(captures))
        .where(evidence.c.case_id == cases.c.id)
        .correlate(cases),
        select(labelled("status", terlapor.c.employment_status))
        .select_from(case_terlapor.join(terlapor))
        .where(case_terlapor.c.case_id == cases.c.id)
        .correlate(cases),
        select(labelled("operator", cases.c.created_by_id)).correlate(cases),
        select(labelled("state", cases.c.state)).correlate(cases),
        select(labelled("operator", evidence.c.added_by_id))
        .where(evidence.c.case_id == cases.c.id)
        .correlate(cases),
    ).subquery()


def facets_expression(dialect_name):
    """The SQL expression of a case's facets, correlated to the ``cases`` row."""
    cases = Case.__table__
    labels = _labels(cases)
    if dialect_name == "postgresql":
        return select(func.array_agg(labels.c.facet)).scalar_subquery()
    return literal(" ") + select(func.group_concat(labels.c.facet, " ")).scalar_subquery() + " "


def next_due_expression():
    items = CaseChecklistItem.__table__
    return (
        select(func.min(items.c.due_date))
        .where(items.c.case_id == Case.__table__.c.id, items.c.done.is_(False))
        .scalar_subquery()
    )


def terlapor_agencies_expression(dialect_name):
    """The agencies of the case's terlapor, one per line, in alphabetical order."""
    agencies = (
        select(Terlapor.__table__.c.agency.label("agency"))
        .select_from(case_terlapor.join(Terlapor.__table__))
        .where(case_terlapor.c.case_id == Case.__table__.c.id, Terlapor.__table__.c.agency != "")
        .distinct()
        .order_by("agency")
        .correlate(Case.__table__)
        .subquery()
    )
    if dialect_name == "postgresql":
        return select(func.string_agg(agencies.c.agency, "\n")).scalar_subquery()
    return select(func.group_concat(agencies.c.agency, "\n")).scalar_subquery()


_EXPRESSIONS = {
    "facets": facets_expression,
    "next_due_date": lambda dialect_name: next_due_expression(),
    "terlapor_agencies": terlapor_agencies_expression,
}


def refresh(connection, case_ids=None, columns=tuple(_EXPRESSIONS)):
    """Rebuild the derived ``columns`` (default: facets, next due date and terlapor agencies)
    of ``case_ids`` (every case when None). A migration names the columns that exist at its
    revision."""
    cases = Case.__table__
    values = {name: _EXPRESSIONS[name](connection.dialect.name) for name in columns}
    # Derived data: rebuilding it is not an edit of the case.
    statement = cases.update().values(**values, updated_at=cases.c.updated_at)
    update_in_batches(connection, statement, cases.c.id, case_ids)


@event.listens_for(Session, "after_flush")
def _refresh_after_flush(session, flush_context):
    """Rebuild the facets of the cases this flush changed (same transaction)."""
    case_ids, terlapor_ids = set(), set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Case):
            if obj in session.new or (obj not in session.deleted and changed(obj, _CASE_FIELDS)):
                case_ids.add(obj.id)
        elif isinstance(obj, CaseEvidence | CaseChecklistItem):
            case_ids.add(obj.case_id)
        elif isinstance(obj, Terlapor):
            if obj not in session.new and changed(obj, ("employment_status", "agency")):
                terlapor_ids.add(obj.id)
    refresh_touched(session, refresh, case_ids, terlapor_ids)
