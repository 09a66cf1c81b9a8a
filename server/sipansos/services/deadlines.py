"""Deadline arithmetic on Jakarta calendar dates: calendar days, or working days (Monday to Friday,
skipping the holidays in ``hari_libur``).

A deadline of N days counts from the day after its anchor: 3 calendar days from Friday is
Monday; 1 working day from Friday is the next Monday that is not a holiday.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..extensions import db
from ..models import HariLibur
from ..models.reference import DEADLINE_ANCHORS, DEADLINE_UNITS

JAKARTA = ZoneInfo("Asia/Jakarta")


def jakarta_date(moment=None):
    """The Jakarta calendar date of an aware datetime (default: now)."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; pass an aware datetime")
    return moment.astimezone(JAKARTA).date()


def today():
    """Today in Jakarta (WIB), the date every deadline is compared with."""
    return jakarta_date()


def add_calendar_days(start, days):
    return start + timedelta(days=days)


def is_working_day(day, holidays=frozenset()):
    return day.weekday() < 5 and day not in holidays


def add_working_days(start, days, holidays=frozenset()):
    """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
    if days < 0:
        raise ValueError("a deadline cannot count backwards")
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def holidays_between(start, end):
    """The holiday dates stored for ``start``..``end`` (inclusive)."""
    return set(db.session.scalars(select(HariLibur.date).where(HariLibur.date.between(start, end))))


def _holidays_after(start, days):
    # Generous window: every week has two weekend days, and a year has ~20 holidays.
    return holidays_between(start, start + timedelta(days=days * 2 + 60))


def add_days(start, days, unit, holidays=None):
    """Add ``days`` of ``unit`` ("calendar" or "working") to ``start``.

    ``holidays`` is a set of dates; when None, working days read them from the database.
    """
    check_rule(days, unit, "known_date")
    if unit == "calendar":
        return add_calendar_days(start, days)
    if holidays is None:
        holidays = _holidays_after(start, days)
    return add_working_days(start, days, holidays)


def check_rule(days, unit, anchor):
    """Raise ``ValueError`` unless the three parts describe a deadline (or are all empty)."""
    parts = (days, unit, anchor)
    if all(part is None for part in parts):
        return
    if any(part is None for part in parts):
        raise ValueError("a deadline needs a number of days, a unit and an anchor date")
    if not isinstance(days, int) or days < 0:
        raise ValueError(f"deadline days must be a whole number ≥ 0, got {days!r}")
    if unit not in DEADLINE_UNITS:
        raise ValueError(f"deadline unit must be one of {', '.join(DEADLINE_UNITS)}")
    if anchor not in DEADLINE_ANCHORS:
        raise ValueError(f"deadline anchor must be one of {', '.join(DEADLINE_ANCHORS)}")


def anchor_dates(case):
    """The dates of ``case`` that deadlines may count from (None while not reached)."""
    return {
        "known_date": case.known_date,
        "registered_date": case.registered_date,
        "decision_date": case.decision_date,
        "dispatch_date": case.dispatch_date,
    }


def due_date(days, unit, anchor, anchors, previous_done_on=None, holidays=None):
    """The due date of a deadline rule, or None if there is no rule or its anchor is not set."""
    if days is None:
        return None
    start = previous_done_on if anchor == "previous_item" else anchors.get(anchor)
    if start is None:
        return None
    return add_days(start, days, unit, holidays)


def days_left(due, on=None):
    """Days from ``on`` (default today in Jakarta) until ``due``; negative when overdue."""
    return (due - (on or today())).days if due else None
