"""Figures of the dashboard (Dasbor): open cases by state and category, captures per platform per
day, and the follow-up items that are overdue or due soon.

Every figure is one aggregate query; nothing here loops over rows in Python, so the page costs
the same with 100 cases as with 100,000.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db
from ..models import Capture, Case, CaseChecklistItem, CaseState, ViolationCategory
from . import checklists, deadlines
from .case_records import count_by_state
from .case_states import CLOSED_STATES
from .evidence_queries import local_day_start

CAPTURE_DAYS = 30
# "Due this week": today and the six days after it.
DUE_SOON_DAYS = 6
# The item lists are a worklist, not a report: the counts say how many there are in all.
ITEM_LIST_LIMIT = 20


class jakarta_day(FunctionElement):  # noqa: N801 - SQL function style
    """The Asia/Jakarta calendar date of a UTC timestamp column, computed by the database."""

    type = Date()
    inherit_cache = True


@compiles(jakarta_day, "postgresql")
def _jakarta_day_postgresql(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'Asia/Jakarta') AS DATE)"


@compiles(jakarta_day, "sqlite")
def _jakarta_day_sqlite(element, compiler, **kw):
    # SQLite knows no zone names; Jakarta (WIB) has been UTC+7 without DST since 1964.
    return f"date({compiler.process(element.clauses, **kw)}, '+7 hours')"


def _open_condition():
    return Case.state.not_in([s.value for s in CLOSED_STATES])


def open_cases_by_state():
    """``[(CaseState, count)]`` for every state a case is still open in, in procedure order."""
    counts = count_by_state()
    return [(state, counts[state]) for state in CaseState if state not in CLOSED_STATES]


@dataclass(frozen=True)
class CategoryCount:
    code: str | None  # None: cases without a category yet
    name: str | None
    count: int


def open_cases_by_category():
    """Open cases per violation category, categories in their reference order, then "none".

    Categories without open cases are left out.
    """
    rows = db.session.execute(
        select(ViolationCategory.code, ViolationCategory.name, func.count(Case.id))
        .select_from(Case)
        .outerjoin(ViolationCategory, Case.category_id == ViolationCategory.id)
        .where(_open_condition())
        .group_by(ViolationCategory.id, ViolationCategory.code, ViolationCategory.name)
        .order_by(
            ViolationCategory.id.is_(None),
            ViolationCategory.position,
            ViolationCategory.name,
        )
    ).all()
    return [CategoryCount(code, name, count) for code, name, count in rows]


@dataclass(frozen=True)
class CaptureSeries:
    days: list  # the Jakarta dates, oldest first
    counts: dict  # platform -> [count per day], platforms by total descending

    @property
    def total(self):
        return sum(sum(values) for values in self.counts.values())

    def day_totals(self):
        return [sum(column) for column in zip(*self.counts.values(), strict=True)]


def captures_per_platform_per_day(days=CAPTURE_DAYS, today=None):
    """Captures received per platform on each of the last ``days`` Jakarta days (today included).

    Withdrawn captures are left out, as in the evidence list.
    """
    today = today or deadlines.today()
    first = today - timedelta(days=days - 1)
    day = jakarta_day(Capture.received_at)
    rows = db.session.execute(
        select(day, Capture.platform, func.count(Capture.id))
        .where(
            Capture.received_at >= local_day_start(first),
            Capture.received_at < local_day_start(today + timedelta(days=1)),
            Capture.withdrawn_at.is_(None),
        )
        .group_by(day, Capture.platform)
    ).all()
    all_days = [first + timedelta(days=offset) for offset in range(days)]
    index = {d: i for i, d in enumerate(all_days)}
    counts = {}
    for captured_on, platform, count in rows:
        counts.setdefault(platform, [0] * days)[index[captured_on]] += count
    ordered = dict(sorted(counts.items(), key=lambda item: (-sum(item[1]), item[0])))
    return CaptureSeries(all_days, ordered)


@dataclass(frozen=True)
class Deadlines:
    today: date
    overdue_count: int
    due_soon_count: int
    overdue: list  # the oldest ITEM_LIST_LIMIT overdue items (their case loaded)
    due_soon: list
    due_soon_until: date


def checklist_deadlines(today=None, limit=ITEM_LIST_LIMIT):
    """Open follow-up items of open cases: overdue, and due from today to six days on."""
    today = today or deadlines.today()
    until = today + timedelta(days=DUE_SOON_DAYS)
    due = CaseChecklistItem.due_date
    overdue_count, due_soon_count = db.session.execute(
        select(
            func.coalesce(func.sum(case((due < today, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(due >= today, due <= until), 1), else_=0)), 0),
        )
        .select_from(CaseChecklistItem)
        .join(Case)
        .where(CaseChecklistItem.done.is_(False), due.is_not(None), _open_condition())
    ).one()
    return Deadlines(
        today=today,
        overdue_count=int(overdue_count),
        due_soon_count=int(due_soon_count),
        overdue=checklists.overdue_items(today, limit=limit),
        due_soon=checklists.due_within(DUE_SOON_DAYS, today, limit=limit),
        due_soon_until=until,
    )
