"""Timeline rows for people: the event's Indonesian label and its details with labels."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import CaseState, LegalBasis, Route, ViolationCategory
from ..models.case import CASE_SOURCES
from ..services.case_states import event_label
from .forms import DECISION_LABELS, PARTY_ROLE_LABELS

# Details worth showing, in this order; ids and the action code are left out.
DETAIL_LABELS = {
    "number": _l("Register number"),
    "title": _l("Title"),
    "name": _l("Name"),
    "role": _l("Role"),
    "source": _l("Source"),
    "category": _l("Category"),
    "known_date": _l("Date known"),
    "received_date": _l("Date received"),
    "registered_date": _l("Registration date"),
    "pleno_date": _l("Pleno date"),
    "decision": _l("Decision"),
    "decision_date": _l("Decision date"),
    "route": _l("Route"),
    "items": _l("Checklist items"),
    "kind": _l("Kind of letter"),
    "subject": _l("Subject (Perihal)"),
    "letter_number": _l("Letter number"),
    "letter_date": _l("Letter date"),
    "recipients": _l("Recipients"),
    "copies": _l("Copies (Tembusan)"),
    "outcome": _l("Outcome"),
    "reference_number": _l("Reference number"),
    "reference_date": _l("Reference date"),
    "url": _l("URL"),
    "capture_id": _l("Capture ID"),
    "filename": _l("File"),
    "sha256": _l("SHA-256"),
    "docx_sha256": _l("SHA-256 of the DOCX"),
    "pdf_sha256": _l("SHA-256 of the PDF"),
    "due_date": _l("Due date"),
    "done_on": _l("Done on"),
    "legal_bases": _l("Legal bases"),
    "summary": _l("Summary"),
    "kajian_notes": _l("Kajian notes"),
    "missing": _l("What is missing"),
    "reason": _l("Reason"),
    "note": _l("Note"),
}
_DATE_KEYS = {k for k in DETAIL_LABELS if k.endswith("_date")} | {"done_on"}


@dataclass(frozen=True)
class TimelineRow:
    occurred_at: datetime
    label: str
    actor: object
    from_label: str | None
    to_label: str | None
    details: list


def _value(key, value, names):
    if key in _DATE_KEYS and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value), "d MMM yyyy")
        except ValueError:
            return value
    labels = names.get(key, {})
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value)
    return str(labels.get(value, value))


def _state_label(state):
    return CaseState(state).label if state else None


def _codes(events, key):
    found = set()
    for event in events:
        value = (event.details or {}).get(key)
        found.update(value if isinstance(value, list) else [value] if value else [])
    return found


def _name(row):
    return getattr(row, "name", None) or row.citation


def _names(model, events, key, known):
    """``{code: current name}`` of the codes under ``key``, read for those not in ``known``."""
    codes = _codes(events, key)
    names = {row.code: _name(row) for row in known if isinstance(row, model) and row.code in codes}
    missing = codes - names.keys()
    if missing:
        rows = db.session.scalars(select(model).where(model.code.in_(missing)))
        names.update((row.code, _name(row)) for row in rows)
    return names


def describe_events(events, known=()):
    """The case's ``CaseEvent`` rows as the case page shows them, newest first.

    Details store codes of routes, categories and legal bases; they are shown by their
    current names. ``known`` are such rows loaded already (usually the case's own category,
    route and legal bases, the codes its events name): their names are not read again.
    """
    names = {
        "decision": DECISION_LABELS,
        "role": PARTY_ROLE_LABELS,
        "source": CASE_SOURCES,
        "route": _names(Route, events, "route", known),
        "category": _names(ViolationCategory, events, "category", known),
        "legal_bases": _names(LegalBasis, events, "legal_bases", known),
    }
    return [_describe(e, names) for e in reversed(events)]


def _describe(event, names):
    details = event.details or {}
    shown = [
        (DETAIL_LABELS[key], _value(key, details[key], names))
        for key in DETAIL_LABELS
        if details.get(key) not in (None, "", [])
    ]
    return TimelineRow(
        occurred_at=event.occurred_at,
        label=event_label(event),
        actor=event.actor,
        from_label=_state_label(event.from_state) if event.kind == "transition" else None,
        to_label=_state_label(event.to_state) if event.kind == "transition" else None,
        details=shown,
    )
