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
from dataclasses import dataclass, replace
from datetime import date

from flask import current_app
from sqlalchemy import Text, and_, case, false, func, not_, or_, select, true, type_coerce
from sqlalchemy.orm import joinedload, load_only, selectinload

from ..extensions import db
from ..models import (
    Case,
    CaseEvidence,
    CaseState,
    Terlapor,
    User,
    ViolationCategory,
    case_facets,
)
from ..models.case_search import TS_CONFIG
from . import deadlines

PER_PAGE = 25
# Deepest row a page may start at and where counting stops: beyond it the filters, not the
# pager, should narrow the list. ``CASE_LIST_MAX_ROWS`` in the app config overrides it.
MAX_ROWS = 1_000
# A page of a result counted to the end is taken from all its rows sorted; of a larger one,
# from the first WINDOW_PER_ROW rows of the sort order per row up to the page's end, when
# enough of them match (``_page_of_matches``, ``_page_in_window``).
WINDOW_PER_ROW = 100
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


# The columns of a case that its row in the list shows.
ROW_COLUMNS = (
    Case.number,
    Case.title,
    Case.state,
    Case.known_date,
    Case.next_due_date,
    Case.updated_at,
)


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
    ``selected``: with a state filter, the cases in that state (at most ``limit + 1``).
    """

    by_state: dict
    total: int
    limit: int
    selected: int | None = None

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


def _has_facets(labels, dialect_name):
    """The case has every one of the facet ``labels`` (``models.case_facets``)."""
    if dialect_name == "postgresql":
        return Case.facets.contains(labels)
    facets = type_coerce(Case.facets, Text)  # space-separated text on SQLite
    return and_(*(facets.like(_like(f" {label} "), escape=_LIKE_ESCAPE) for label in labels))


def _text_condition(text, dialect_name):
    if dialect_name == "postgresql":
        # As in the document: register numbers are searched by their parts.
        query = func.websearch_to_tsquery(TS_CONFIG, text.replace("/", " "))
        return Case.search_document.op("@@")(query)
    return _like_search(text)


def _conditions(filters, *, with_state=True):
    dialect_name = db.session.get_bind().dialect.name
    conditions = []
    if filters.category:
        conditions.append(
            Case.category_id
            == select(ViolationCategory.id)
            .where(ViolationCategory.code == filters.category)
            .scalar_subquery()
        )
    labels = [
        case_facets.label(kind, value)
        for kind, value in (
            ("platform", filters.platform),
            ("status", filters.subject_status),
            ("operator", filters.operator_id),
        )
        if value
    ]
    if with_state and filters.state:
        if labels:  # one more label of the same index lookup (``models.case_facets``)
            labels.append(case_facets.label("state", filters.state))
        else:
            conditions.append(Case.state == filters.state)
    if labels:
        conditions.append(_has_facets(labels, dialect_name))
    if filters.agency:
        conditions.append(Case.terlapor_agencies.ilike(_like(filters.agency), escape=_LIKE_ESCAPE))
    if filters.date_from:
        conditions.append(Case.known_date >= filters.date_from)
    if filters.date_to:
        conditions.append(Case.known_date <= filters.date_to)
    if filters.overdue:
        conditions.append(Case.next_due_date < deadlines.today())
    text = (filters.text or "").strip()
    if text:
        conditions.append(_text_condition(text, dialect_name))
    return conditions


def _parse_sort(sort):
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        raise ValueError(f"unknown sort {sort!r}; one of {', '.join(SORT_KEYS)}")
    return key, sort.startswith("-")


def _sort_columns(key, columns):
    """The columns (of ``cases`` or of a subquery of it) that sort by ``key``, then id. For
    "state" only id: each state's rows are read on their own (see ``_state_slices``)."""
    if key == "number":
        # Drafts have no number yet; they come after the highest number, as their number will.
        sorted_by = [columns.number_year, columns.number_seq]
    elif key == "known_date":
        sorted_by = [columns.known_date]
    elif key == "title":
        sorted_by = [columns.title]
    elif key == "updated":
        sorted_by = [columns.updated_at]
    else:
        sorted_by = []
    return [*sorted_by, columns.id]


def _ordered(columns, descending):
    if descending:
        # NULLS FIRST is PostgreSQL's default for DESC; spelled out for SQLite, so both agree
        # and the ascending index serves both directions.
        return [column.desc().nulls_first() for column in columns]
    return [column.asc().nulls_last() for column in columns]


def _plan_for_filters(filters):
    """On PostgreSQL, plan this transaction's queries for the values filtered on.

    psycopg prepares a statement it runs often, and PostgreSQL then plans a prepared statement
    once for any values: for "the facets contain X" it assumes a few hundred matches and reads
    the whole posting list of X from the GIN index, where for a common platform a scan that
    stops at the LIMIT is three times faster (10 → 3 ms per count here). With a filter other
    than the state, each query is planned for its values (about a millisecond). When the
    search document is filtered on, the plans are also steered to its GIN index: for a word in
    most cases the planner would rather read the whole table, but then every row's document
    is detoasted to test it (ten times slower); the bitmap scan of the index answers without
    reading them.
    """
    if replace(filters, state=None) == CaseFilters():
        return
    if db.session.get_bind().dialect.name != "postgresql":
        return
    session = db.session()
    transaction = session.get_transaction()
    if transaction is not None and session.info.get("planned_for_filters") is transaction:
        return
    settings = {"plan_cache_mode": "force_custom_plan"}
    if filters.text:
        settings["enable_seqscan"] = "off"
    session.execute(select(*(func.set_config(k, v, True) for k, v in settings.items())))
    session.info["planned_for_filters"] = session.get_transaction()


def counts_by_state(filters=None):
    """``{CaseState: number of matching cases}`` for every state in procedure order, counting
    with every filter except the state one, exactly (the dashboard; the list uses
    ``bounded_counts``)."""
    filters = filters or CaseFilters()
    _plan_for_filters(filters)
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
    _plan_for_filters(filters)
    selected = None
    if filters.state:
        # The list needs this count; and when it is over the limit, so is the tabs' count of
        # every state, which need not be made (as costly again: both read limit + 1 rows).
        selected = _count_at_most(_conditions(filters), limit + 1)
        if selected > limit:
            return StateCounts(by_state={}, total=limit + 1, limit=limit, selected=selected)
    matching = (
        select(Case.state).where(*_conditions(filters, with_state=False)).limit(limit + 1)
    ).subquery()
    statement = select(matching.c.state, func.count()).group_by(matching.c.state)
    counts = dict(db.session.execute(statement).all())
    total = sum(counts.values())
    if total > limit:
        return StateCounts(by_state={}, total=total, limit=limit, selected=selected)
    by_state = {state: counts.get(state.value, 0) for state in CaseState}
    return StateCounts(by_state=by_state, total=total, limit=limit, selected=selected)


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


def _page_of_matches(conditions, key, descending, offset, limit):
    """Ids of rows ``offset…offset+limit``, from all matching rows sorted: for a result of a few
    thousand rows. The ``OFFSET 0`` keeps the planner from walking the sort index instead,
    which it would for a LIMIT, expecting the matches to be spread evenly along it: cases of a
    date range or of one operator cluster in time, and the walk reads most of the table to find
    a page of them."""
    table = Case.__table__
    wanted = _sort_columns(key, table.c) + ([table.c.state] if key == "state" else [])
    matching = select(*wanted).where(*conditions).offset(0).subquery()
    columns = _sort_columns(key, matching.c)
    if key == "state":
        in_procedure_order = case(
            {state.value: position for position, state in enumerate(CaseState)},
            value=matching.c.state,
        )
        columns.insert(0, in_procedure_order)
    statement = select(matching.c.id).order_by(*_ordered(columns, descending))
    return db.session.scalars(statement.offset(offset).limit(limit)).all()


def _page_in_window(conditions, key, descending, offset, limit):
    """Ids of rows ``offset…offset+limit`` if they are among the first ``WINDOW_PER_ROW *
    (offset + limit)`` rows of the sort order, else None. A result of many rows is met early
    on the sort's index; but matches can cluster far along it (cases known in one month,
    sorted by last update), and an unbounded walk would then read most of the table. The
    window bounds the walk; a page it does not hold is taken from all matches sorted."""
    table = Case.__table__
    window = (
        select(*_sort_columns(key, table.c), and_(true(), *conditions).label("matches"))
        .order_by(*_ordered(_sort_columns(key, table.c), descending))
        .limit(WINDOW_PER_ROW * (offset + limit))
        .subquery()
    )
    statement = (
        select(window.c.id)
        .where(window.c.matches)
        .order_by(*_ordered(_sort_columns(key, window.c), descending))
        .offset(offset)
        .limit(limit)
    )
    ids = db.session.scalars(statement).all()
    return ids if len(ids) == limit else None


def _page_by_state(conditions, filters, descending, offset, limit):
    """Ids of rows ``offset…offset+limit`` sorted by state, for a result of more rows than
    were counted: each state's rows by id, from the (state, id) index."""
    statement = select(Case.id).where(*conditions)
    states = [s for s in CaseState if not filters.state or s.value == filters.state]

    def count_in(state, at_most):
        return _count_at_most([*conditions, Case.state == state.value], at_most)

    ids = []
    by_id = _ordered([Case.id], descending)
    slices = _state_slices(count_in, reversed(states) if descending else states, offset, limit)
    for state, state_offset, state_limit in slices:
        ids += db.session.scalars(
            statement.where(Case.state == state)
            .order_by(*by_id)
            .offset(state_offset)
            .limit(state_limit)
        ).all()
    return ids


def list_cases(filters, sort=DEFAULT_SORT, page=1, per_page=PER_PAGE, *, counts=None):
    """One page of the cases matching ``filters``, as ``CaseRow``s in a ``CasePage``.

    ``counts`` is ``bounded_counts(filters)`` when the caller has it already (the page shows
    it); the number of matching cases comes from it, up to its limit. A page past the last is
    the last page.
    """
    key, descending = _parse_sort(sort)
    _plan_for_filters(filters)
    if counts is None:
        counts = bounded_counts(filters)
    conditions = _conditions(filters)
    if not filters.state:
        total = counts.total
    elif counts.selected is not None:
        total = counts.selected
    else:  # counts made for other filters
        total = _count_at_most(conditions, counts.limit + 1)
    result = CasePage(items=[], page=1, per_page=per_page, total=total, limit=counts.limit)
    result.page = min(max(page, 1), result.pages)
    if not total:
        return result
    offset = (result.page - 1) * per_page
    ids = None
    if result.truncated and key == "state":
        ids = _page_by_state(conditions, filters, descending, offset, per_page)
    elif result.truncated:
        ids = _page_in_window(conditions, key, descending, offset, per_page)
    if ids is None:
        ids = _page_of_matches(conditions, key, descending, offset, per_page)
    evidence_count = (
        select(func.count(CaseEvidence.id))
        .where(CaseEvidence.case_id == Case.id)
        .correlate(Case)
        .scalar_subquery()
    )
    # Only what a row shows: loading whole cases and terlapor was a third of the page's time.
    loaded = db.session.execute(
        select(Case, evidence_count)
        .where(Case.id.in_(ids))
        .options(
            load_only(*ROW_COLUMNS),
            joinedload(Case.category).load_only(ViolationCategory.name),
            selectinload(Case.terlapor).load_only(Terlapor.name, Terlapor.employment_status),
        )
    ).all()
    by_id = {c.id: (c, count) for c, count in loaded}
    today = deadlines.today()
    result.items = [
        CaseRow(
            case=c,
            evidence_count=count,
            next_due=c.next_due_date,
            overdue=c.next_due_date is not None and c.next_due_date < today,
        )
        for c, count in (by_id[i] for i in ids)
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
    _plan_for_filters(filters)
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
