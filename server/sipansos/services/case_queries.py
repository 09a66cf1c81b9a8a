"""Finding cases for the case list (Kasus): filters, full-text search, sorting, pages, counts.

Search reads ``cases.search_document`` (see ``models.case_search``): full-text search with
``websearch_to_tsquery`` on PostgreSQL, a LIKE scan on SQLite (development and tests). Paging is
by offset; only the first ``max_rows()`` rows of a result can be paged to, and the status
counts of the filter bar stop counting there too: counting every one of tens of thousands of
matching cases per request is what made filtered lists slow, and past that bound the page only
says "more than".
"""

import math
import re
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import and_, cast, exists, false, func, not_, or_, select, union
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import (
    Capture,
    Case,
    CaseChecklistItem,
    CaseEvidence,
    CaseState,
    Terlapor,
    User,
    ViolationCategory,
    case_search,
)
from ..models.case import case_terlapor
from ..models.case_search import TS_CONFIG
from . import deadlines

PER_PAGE = 25
# Deepest row a page may start at and where counting stops: beyond it the filters, not the
# pager, should narrow the list. ``CASE_LIST_MAX_ROWS`` in the app config overrides it.
MAX_ROWS = 10_000
_LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class CaseFilters:
    """What the case list is narrowed to; every field is optional.

    ``agency`` is the terlapor's instansi / unit kerja (free text, any part of it): that is what
    "cases from Dinas Pendidikan" asks for. The recipient agency follows from the route and so
    from ``subject_status``. ``date_from``/``date_to`` bound the date the violation became known
    (tanggal diketahui), the date the procedure's clock starts from. ``operator_id`` matches the
    user who created the case or added evidence to it. ``overdue`` keeps cases with an open
    checklist item whose due date is before today (Jakarta).
    """

    state: str | None = None
    category: str | None = None  # ViolationCategory.code
    platform: str | None = None  # of a capture in the case's evidence
    subject_status: str | None = None  # a terlapor's employment status (SubjectStatus code)
    agency: str | None = None
    operator_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False
    text: str | None = None


# Sort keys of the list; "-key" sorts descending. Ties are broken by id, so pages never overlap.
SORT_KEYS = ("number", "title", "state", "known_date", "updated")
DEFAULT_SORT = "-updated"


@dataclass
class CaseRow:
    """One row of the list: the case and what the row shows from other tables."""

    case: Case
    evidence_count: int
    next_due: date | None
    overdue: bool


def max_rows():
    return current_app.config.get("CASE_LIST_MAX_ROWS", MAX_ROWS)


@dataclass(frozen=True)
class StateCounts:
    """The filter bar's counts, made by counting at most ``limit`` matching cases.

    ``complete``: every matching case was counted, ``by_state`` and ``total`` are exact. Else
    more than ``limit`` cases match, ``total`` is ``limit + 1`` and ``by_state`` is empty: the
    counted cases are an arbitrary part of the result, their numbers per state would mislead.
    """

    by_state: dict
    total: int
    limit: int

    @property
    def complete(self):
        return self.total <= self.limit


@dataclass
class CasePage:
    """One page of the list; the attributes ``_macros.pager`` reads.

    ``total`` is exact up to ``limit``; ``limit + 1`` means "more than ``limit``".
    """

    items: list
    page: int
    per_page: int
    total: int
    limit: int

    @property
    def pages(self):
        return max(1, math.ceil(min(self.total, self.limit) / self.per_page))

    @property
    def truncated(self):
        """More rows match than can be paged to (how many more was not counted)."""
        return self.total > self.limit

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def prev_num(self):
        return self.page - 1

    @property
    def next_num(self):
        return self.page + 1


def _like(text):
    escaped = text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


def _like_search(text):
    """The SQLite fallback of ``websearch_to_tsquery``: words and "quoted phrases" must all
    appear (as substrings, case-insensitively), ``-word`` must not, ``or`` separates
    alternatives."""
    groups = [[]]
    for match in _TERM.finditer(text):
        negated, phrase = (match[1], match[2]) if match[2] is not None else (match[3], match[4])
        if not negated and match[2] is None and phrase.lower() == "or":
            groups.append([])
            continue
        if not phrase.strip():
            continue
        condition = Case.search_document.ilike(_like(phrase.strip()), escape=_LIKE_ESCAPE)
        groups[-1].append(not_(condition) if negated else condition)
    alternatives = [and_(*group) for group in groups if group]
    return or_(*alternatives) if alternatives else false()


def _text_condition(text, dialect_name):
    if dialect_name == "postgresql":
        # As in the document: register numbers are searched by their parts.
        query = func.websearch_to_tsquery(TS_CONFIG, text.replace("/", " "))
        return Case.search_document.op("@@")(query)
    return _like_search(text)


def _conditions(filters, *, with_state=True):
    dialect_name = db.session.get_bind().dialect.name
    conditions = []
    if with_state and filters.state:
        conditions.append(Case.state == filters.state)
    if filters.category:
        conditions.append(
            Case.category_id
            == select(ViolationCategory.id)
            .where(ViolationCategory.code == filters.category)
            .scalar_subquery()
        )
    if filters.platform:
        if dialect_name == "postgresql":
            query = cast(case_search.platform_query(filters.platform), TSQUERY)
            conditions.append(Case.search_document.op("@@")(query))
        else:
            conditions.append(
                exists()
                .where(CaseEvidence.case_id == Case.id, Capture.id == CaseEvidence.capture_id)
                .where(Capture.platform == filters.platform)
            )
    if filters.subject_status or filters.agency:
        person = [case_terlapor.c.case_id == Case.id, Terlapor.id == case_terlapor.c.terlapor_id]
        if filters.subject_status:
            person.append(Terlapor.employment_status == filters.subject_status)
        if filters.agency:
            person.append(Terlapor.agency.ilike(_like(filters.agency), escape=_LIKE_ESCAPE))
        conditions.append(exists().where(*person))
    if filters.operator_id:
        # A UNION of two index reads; "created_by OR EXISTS(…)" reads every case.
        involved = union(
            select(Case.id).where(Case.created_by_id == filters.operator_id),
            select(CaseEvidence.case_id).where(CaseEvidence.added_by_id == filters.operator_id),
        )
        conditions.append(Case.id.in_(involved))
    if filters.date_from:
        conditions.append(Case.known_date >= filters.date_from)
    if filters.date_to:
        conditions.append(Case.known_date <= filters.date_to)
    if filters.overdue:
        conditions.append(
            exists().where(
                CaseChecklistItem.case_id == Case.id,
                CaseChecklistItem.done.is_(False),
                CaseChecklistItem.due_date < deadlines.today(),
            )
        )
    text = (filters.text or "").strip()
    if text:
        conditions.append(_text_condition(text, dialect_name))
    return conditions


def _parse_sort(sort):
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        raise ValueError(f"unknown sort {sort!r}; one of {', '.join(SORT_KEYS)}")
    return key, sort.startswith("-")


def _order_by(key, descending):
    if key == "number":
        # Drafts have no number yet; they come after the highest number, as their number will.
        columns = [Case.number_year, Case.number_seq]
    elif key == "known_date":
        columns = [Case.known_date]
    elif key == "title":
        columns = [Case.title]
    elif key == "updated":
        columns = [Case.updated_at]
    else:  # "state": each state's rows are read on their own, by id (see _state_slices)
        columns = []
    columns.append(Case.id)
    if descending:
        # NULLS FIRST is PostgreSQL's default for DESC; spelled out for SQLite, so both agree
        # and the ascending index serves both directions.
        return [column.desc().nulls_first() for column in columns]
    return [column.asc().nulls_last() for column in columns]


def _prefer_search_index(filters):
    """On PostgreSQL, steer this transaction's plans to the GIN index when the search document
    is filtered on. For a word in most cases the planner would rather read the whole table,
    but then every row's document is detoasted to test it (ten times slower); the bitmap scan
    of the index answers without reading the documents."""
    if (filters.text or filters.platform) and db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sql_text("SET LOCAL enable_seqscan = off"))


def counts_by_state(filters=None):
    """``{CaseState: number of matching cases}`` for every state in procedure order, counting
    with every filter except the state one, exactly (the dashboard; the list uses
    ``bounded_counts``)."""
    filters = filters or CaseFilters()
    _prefer_search_index(filters)
    statement = (
        select(Case.state, func.count(Case.id))
        .where(*_conditions(filters, with_state=False))
        .group_by(Case.state)
    )
    counts = dict(db.session.execute(statement).all())
    return {state: counts.get(state.value, 0) for state in CaseState}


def bounded_counts(filters=None, limit=None):
    """The filter bar's ``StateCounts``: matching cases per state (every filter except the
    state one), from at most ``limit + 1`` matching rows (default ``max_rows()``)."""
    filters = filters or CaseFilters()
    limit = max_rows() if limit is None else limit
    _prefer_search_index(filters)
    matching = (
        select(Case.state).where(*_conditions(filters, with_state=False)).limit(limit + 1)
    ).subquery()
    statement = select(matching.c.state, func.count()).group_by(matching.c.state)
    counts = dict(db.session.execute(statement).all())
    total = sum(counts.values())
    if total > limit:
        return StateCounts(by_state={}, total=total, limit=limit)
    by_state = {state: counts.get(state.value, 0) for state in CaseState}
    return StateCounts(by_state=by_state, total=total, limit=limit)


def _count_at_most(conditions, limit):
    """How many cases match, counting no further than ``limit``."""
    matching = select(Case.id).where(*conditions).limit(limit).subquery()
    return db.session.scalar(select(func.count()).select_from(matching))


def _state_slices(count_in, states, offset, limit):
    """``(state, offset, limit)`` reads that make up rows ``offset…offset+limit`` of the list in
    the order of ``states``: sorting by a CASE expression would sort every matching row, while
    the number of rows per state (``count_in(state, at_most)``) says which states the page falls
    in, and (state, id) is an index."""
    slices = []
    for state in states:
        if limit <= 0:
            break
        count = count_in(state, offset + limit)
        if offset >= count:
            offset -= count
            continue
        take = min(limit, count - offset)
        slices.append((state.value, offset, take))
        offset, limit = 0, limit - take
    return slices


def list_cases(filters, sort=DEFAULT_SORT, page=1, per_page=PER_PAGE, *, counts=None):
    """One page of the cases matching ``filters``, as ``CaseRow``s in a ``CasePage``.

    ``counts`` is ``bounded_counts(filters)`` when the caller has it already (the page shows
    it); the number of matching cases comes from it, up to its limit. A page past the last is
    the last page.
    """
    key, descending = _parse_sort(sort)
    _prefer_search_index(filters)
    if counts is None:
        counts = bounded_counts(filters)
    conditions = _conditions(filters)
    if not filters.state:
        total = counts.total
    elif counts.complete:
        total = counts.by_state[CaseState(filters.state)]
    else:  # the tabs were not counted to the end; this state's cases may be fewer
        total = _count_at_most(conditions, counts.limit + 1)
    result = CasePage(items=[], page=1, per_page=per_page, total=total, limit=counts.limit)
    result.page = min(max(page, 1), result.pages)
    if not total:
        return result
    offset = (result.page - 1) * per_page
    statement = (
        select(Case)
        .where(*conditions)
        .options(joinedload(Case.category), selectinload(Case.terlapor))
        .order_by(*_order_by(key, descending))
    )
    if key == "state":
        states = [s for s in CaseState if not filters.state or s.value == filters.state]

        def count_in(state, at_most):
            if counts.complete:
                return counts.by_state[state]
            return _count_at_most([*conditions, Case.state == state.value], at_most)

        cases = []
        slices = _state_slices(
            count_in, reversed(states) if descending else states, offset, per_page
        )
        for state, state_offset, limit in slices:
            cases += db.session.scalars(
                statement.where(Case.state == state).offset(state_offset).limit(limit)
            ).all()
    else:
        cases = db.session.scalars(statement.offset(offset).limit(per_page)).all()
    ids = [c.id for c in cases]
    evidence_counts = dict(
        db.session.execute(
            select(CaseEvidence.case_id, func.count(CaseEvidence.id))
            .where(CaseEvidence.case_id.in_(ids))
            .group_by(CaseEvidence.case_id)
        ).all()
    )
    next_due = dict(
        db.session.execute(
            select(CaseChecklistItem.case_id, func.min(CaseChecklistItem.due_date))
            .where(CaseChecklistItem.case_id.in_(ids), CaseChecklistItem.done.is_(False))
            .group_by(CaseChecklistItem.case_id)
        ).all()
    )
    today = deadlines.today()
    result.items = [
        CaseRow(
            case=c,
            evidence_count=evidence_counts.get(c.id, 0),
            next_due=next_due.get(c.id),
            overdue=next_due.get(c.id) is not None and next_due[c.id] < today,
        )
        for c in cases
    ]
    return result


def operators():
    """Every account, by username, for the operator filter (a small table; checking which
    accounts ever touched a case would read the whole evidence table)."""
    return db.session.scalars(select(User).order_by(User.username)).all()


def iter_matching(filters, batch_size=500):
    """Every case matching ``filters``, in batches of ``batch_size`` by ascending id (keyset:
    each batch starts after the last id of the one before, so no batch costs an offset and
    never more than a batch of cases is in memory). For exports, which take every row."""
    _prefer_search_index(filters)
    conditions = _conditions(filters)
    last_id = 0
    while True:
        batch = db.session.scalars(
            select(Case)
            .where(*conditions, Case.id > last_id)
            .options(
                joinedload(Case.category),
                joinedload(Case.route),
                joinedload(Case.created_by),
                selectinload(Case.terlapor),
            )
            .order_by(Case.id)
            .limit(batch_size)
        ).all()
        if not batch:
            return
        yield batch
        last_id = batch[-1].id
