"""The deadlines that matter for a case's next step (DOMAIN.md, "Handling procedure").

Statutory limits of the early stages are shown as calendar days: whether they are calendar or
working days is unverified, and the route checklists (reference data) carry their own rules.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from ..models import CaseState
from ..services import case_records, deadlines

S = CaseState
KNOWN_LIMIT_DAYS = 7  # set as Temuan / receive the Laporan within 7 days of it becoming known
KAJIAN_AWAL_DAYS = 2  # formal and material check of a received Laporan
COMPLETION_HOURS = 48  # the reporter completes the report within 2×24 hours
PLENO_DAYS = 5  # clarification (3) and kajian (2) days from registration


@dataclass(frozen=True)
class Deadline:
    label: str
    due: date | datetime
    days_left: int

    @property
    def overdue(self):
        return self.days_left < 0


def _day(label, due, today):
    return Deadline(label, due, (due - today).days)


def _completion_requested_at(case):
    for event in reversed(case.events):
        if event.kind == "transition" and event.details.get("action") == "request_completion":
            return event.occurred_at
    return None


def next_deadlines(case, today=None):
    """The limits of the current stage, then the nearest open checklist item, if any."""
    today = today or deadlines.today()
    state = CaseState(case.state)
    found = []
    if state in (S.DRAF, S.INFORMASI_AWAL) and case.known_date:
        found.append(
            _day(
                _l("Set as Temuan or receive as Laporan: %(days)d days after it became known "
                   "(today is day %(day)d)", days=KNOWN_LIMIT_DAYS,
                   day=case_records.days_since_known(case, today)),
                case.known_date + timedelta(days=KNOWN_LIMIT_DAYS),
                today,
            )
        )  # fmt: skip
    if state == S.LAPORAN_DITERIMA and case.received_date:
        found.append(
            _day(
                _l("Kajian awal: %(days)d days after the report was received",
                   days=KAJIAN_AWAL_DAYS),
                case.received_date + timedelta(days=KAJIAN_AWAL_DAYS),
                today,
            )
        )  # fmt: skip
    if state == S.PERLU_KELENGKAPAN:
        asked = _completion_requested_at(case)
        if asked is not None:
            due = asked + timedelta(hours=COMPLETION_HOURS)
            found.append(
                Deadline(
                    _l("The reporter completes the report within 2×24 hours"),
                    due,
                    (deadlines.jakarta_date(due) - today).days,
                )
            )
    if state in (S.DIREGISTRASI, S.DALAM_KLARIFIKASI, S.DALAM_KAJIAN) and case.registered_date:
        found.append(
            _day(
                _l("Clarification, kajian and pleno: %(days)d days after registration",
                   days=PLENO_DAYS),
                case.registered_date + timedelta(days=PLENO_DAYS),
                today,
            )
        )  # fmt: skip
    open_items = [i for i in case.checklist if not i.done and i.due_date is not None]
    if open_items:
        item = min(open_items, key=lambda i: (i.due_date, i.position))
        found.append(_day(_l("Follow-up: %(title)s", title=item.title), item.due_date, today))
    return found
