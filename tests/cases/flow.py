"""Calling each step of the procedure with the least input it needs (for table-driven tests)."""

from datetime import date

from sipansos.models import CaseState
from sipansos.services import cases
from sipansos.services.case_states import TRANSITIONS
from sipansos.services.reference import route_by_code

LETTER_DATE = date(2026, 11, 10)


def perform(action, case, actor, **overrides):
    """Run the service function of ``action`` on ``case`` as ``actor``."""
    calls = {
        "submit": lambda: cases.submit_case(case, actor),
        "receive_report": lambda: cases.receive_report(case, actor, **overrides),
        "establish_finding": lambda: cases.establish_finding(case, actor),
        "discontinue": lambda: cases.discontinue_case(case, actor, reason="Bukan ASN"),
        "request_completion": lambda: cases.request_completion(
            case, actor, missing="Fotokopi KTP pelapor"
        ),
        "complete_report": lambda: cases.complete_report(case, actor),
        "reject_report": lambda: cases.reject_report(case, actor, reason="Lewat 7 hari"),
        "register": lambda: cases.register_case(case, actor, **overrides),
        "start_clarification": lambda: cases.start_clarification(case, actor),
        "start_kajian": lambda: cases.start_kajian(case, actor),
        "decide": lambda: cases.decide(
            case,
            actor,
            overrides.get("decision", "pelanggaran"),
            route=route_by_code(overrides.get("route", "pns")),
        ),
        "forward": lambda: cases.forward_case(
            case,
            actor,
            letter_number="123/PP.01/K.BB-06/11/2026",
            letter_date=LETTER_DATE,
            recipients=None if case.recipients else ["Kepala BKN"],
        ),
        "record_follow_up": lambda: cases.record_follow_up(
            case,
            actor,
            followed_up=overrides.get("followed_up", True),
            outcome="Teguran tertulis",
        ),
        "close": lambda: cases.close_case(case, actor),
        "archive": lambda: cases.archive_case(case, actor),
    }
    return calls[action]()


# The path of a Temuan from draft to archive, and the action that leaves each state on it.
TEMUAN_PATH = [
    "submit",
    "establish_finding",
    "register",
    "start_clarification",
    "start_kajian",
    "decide",
    "forward",
    "record_follow_up",
    "close",
    "archive",
]


def walk(case, actor, until_state):
    """Take ``case`` along the Temuan path, from wherever it is, until it is in ``until_state``."""
    while case.state != until_state:
        state = CaseState(case.state)
        action = next(a for a in TEMUAN_PATH if state in TRANSITIONS[a].sources)
        perform(action, case, actor)
    return case
