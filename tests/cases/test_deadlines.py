"""Deadline arithmetic: calendar vs working days, weekends, holidays, Jakarta dates."""

from datetime import UTC, date, datetime

import pytest

from sipansos.services import deadlines

FRIDAY = date(2026, 12, 18)
CHRISTMAS_EVE = date(2026, 12, 24)  # Thursday; 25 December is a Friday holiday


def test_calendar_days_run_through_weekends():
    assert deadlines.add_days(FRIDAY, 3, "calendar", holidays=set()) == date(2026, 12, 21)
    assert deadlines.add_days(FRIDAY, 0, "calendar", holidays=set()) == FRIDAY


def test_working_days_skip_the_weekend():
    assert deadlines.add_working_days(FRIDAY, 1) == date(2026, 12, 21)  # Monday
    assert deadlines.add_working_days(date(2026, 12, 17), 2) == date(2026, 12, 21)
    assert deadlines.add_working_days(date(2026, 12, 19), 1) == date(2026, 12, 21)  # from Sat
    assert deadlines.add_working_days(FRIDAY, 5) == date(2026, 12, 25)
    assert deadlines.add_working_days(FRIDAY, 0) == FRIDAY


def test_working_days_skip_holidays():
    holidays = {date(2026, 12, 25)}
    assert deadlines.add_working_days(CHRISTMAS_EVE, 1, holidays) == date(2026, 12, 28)
    assert deadlines.add_working_days(FRIDAY, 5, holidays) == date(2026, 12, 28)
    # Calendar days ignore holidays.
    assert deadlines.add_days(CHRISTMAS_EVE, 1, "calendar", holidays) == date(2026, 12, 25)


def test_working_days_read_holidays_from_the_table(reference_data):
    # 25 December 2026 is seeded (marked unverified); no holiday set is passed here.
    assert deadlines.add_days(CHRISTMAS_EVE, 1, "working") == date(2026, 12, 28)
    assert deadlines.add_days(date(2026, 12, 10), 14, "working") == date(2026, 12, 31)
    assert deadlines.holidays_between(date(2026, 12, 1), date(2026, 12, 31)) == {date(2026, 12, 25)}


def test_rules_are_checked():
    deadlines.check_rule(None, None, None)
    for rule in [(3, None, None), (-1, "calendar", "known_date"), (3, "weeks", "known_date"),
                 (3, "calendar", "tomorrow"), ("3", "calendar", "known_date")]:  # fmt: skip
        with pytest.raises(ValueError):
            deadlines.check_rule(*rule)
    with pytest.raises(ValueError):
        deadlines.add_working_days(FRIDAY, -1)


def test_due_date_needs_its_anchor():
    anchors = {"known_date": FRIDAY, "registered_date": None}
    assert deadlines.due_date(7, "calendar", "known_date", anchors, holidays=set()) == date(
        2026, 12, 25
    )
    assert deadlines.due_date(5, "calendar", "registered_date", anchors, holidays=set()) is None
    assert deadlines.due_date(None, None, None, anchors) is None
    assert deadlines.due_date(2, "working", "previous_item", anchors, FRIDAY, set()) == date(
        2026, 12, 22
    )
    assert deadlines.due_date(2, "working", "previous_item", anchors, None, set()) is None


def test_dates_are_jakarta_calendar_dates():
    # 18:00 UTC is already 01:00 the next day in Jakarta (UTC+7).
    assert deadlines.jakarta_date(datetime(2026, 11, 24, 18, 0, tzinfo=UTC)) == date(2026, 11, 25)
    assert deadlines.jakarta_date(datetime(2026, 11, 24, 16, 59, tzinfo=UTC)) == date(2026, 11, 24)
    with pytest.raises(ValueError):
        deadlines.jakarta_date(datetime(2026, 11, 24, 18, 0))
    assert deadlines.days_left(date(2026, 11, 20), on=date(2026, 11, 25)) == -5
