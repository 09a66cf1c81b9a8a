"""What a case holds, apart from its state: creating it, editing its fields, evidence, reported
persons, reporter and witnesses, and reading its timeline.

Operators create drafts and attach evidence; once a case has left the draft state only
coordinators and admins edit it; nobody edits a finished (Selesai/Arsip) case.
"""

from ..extensions import db
from ..models import Case, CaseEvidence, CaseParty, CaseState, Role
from ..models.case import CASE_SOURCES
from . import case_queries, deadlines
from .case_states import (
    CLOSED_STATES,
    OPERATOR_UP,
    CaseError,
    PermissionDenied,
    log_event,
    require_role,
)
from .checklists import refresh_due_dates

EDITABLE_FIELDS = ("title", "summary", "category", "known_date", "received_date", "kajian_notes")
PARTY_ROLES = ("pelapor", "saksi")


def check_editable(case, actor, what="edit this case"):
    """Raise unless ``actor`` may change ``case`` now (operators: drafts only)."""
    require_role(actor, OPERATOR_UP, what)
    if case.state in CLOSED_STATES:
        raise CaseError(f"the case is “{case.state_label}”; it can no longer be changed")
    if actor.role == Role.OPERATOR and case.state != CaseState.DRAF:
        raise PermissionDenied(
            f"{actor.username} may not {what}: the case is “{case.state_label}”, and after "
            "“Draf” only koordinator, admin may."
        )


def create_case(actor, *, title, source="temuan", category=None, known_date=None, summary=None,
                terlapor=(), captures=()):  # fmt: skip
    """Create a draft case (Draf); the register number comes later, at registration."""
    require_role(actor, OPERATOR_UP, "create cases")
    title = (title or "").strip()
    if not title:
        raise CaseError("a case needs a title")
    if source not in CASE_SOURCES:
        raise CaseError(f"source must be one of {', '.join(CASE_SOURCES)}")
    case = Case(
        title=title[:300],
        summary=summary,
        source=source,
        category=category,
        known_date=known_date,
        state=CaseState.DRAF.value,
        created_by=actor,
    )
    case.terlapor.extend(terlapor)
    db.session.add(case)
    db.session.flush()
    log_event(
        case,
        actor,
        "created",
        {"title": case.title, "source": source, "category": getattr(category, "code", None),
         "known_date": known_date},
        audit_action="case_created",
        to_state=case.state,
    )  # fmt: skip
    for capture in captures:
        _attach(case, actor, capture)
    db.session.commit()
    return case


def update_case(case, actor, **fields):
    """Change the case's descriptive fields; returns the names of the changed ones."""
    check_editable(case, actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise CaseError(f"cannot edit {', '.join(sorted(unknown))} here")
    if "title" in fields and not (fields["title"] or "").strip():
        raise CaseError("a case needs a title")
    changed = {}
    for key, value in fields.items():
        old = getattr(case, key)
        if old != value:
            changed[key] = getattr(value, "code", value)
            setattr(case, key, value)
    if changed:
        if "known_date" in changed:
            refresh_due_dates(case)
        log_event(case, actor, "updated", changed, audit_action="case_updated")
        db.session.commit()
    return sorted(changed)


def set_legal_bases(case, actor, legal_bases):
    """Replace the case's legal bases (Dasar Hukum)."""
    check_editable(case, actor)
    case.legal_bases = list(legal_bases)
    log_event(
        case,
        actor,
        "legal_bases_set",
        {"legal_bases": [b.code for b in case.legal_bases]},
        audit_action="case_legal_bases_set",
    )
    db.session.commit()


def _attach(case, actor, capture, note=None, act_kind=None):
    if capture.is_withdrawn:
        raise CaseError("a withdrawn capture cannot be used as evidence")
    if any(e.capture_id == capture.id for e in case.evidence):
        raise CaseError("this capture is already evidence in the case")
    link = CaseEvidence(capture=capture, note=note, act_kind=act_kind, added_by=actor)
    case.evidence.append(link)
    log_event(
        case,
        actor,
        "evidence_added",
        {"capture_id": str(capture.capture_uuid), "url": capture.url[:500], "act_kind": act_kind},
        audit_action="case_evidence_added",
    )
    return link


def add_evidence(case, actor, capture, *, note=None, act_kind=None):
    """Use a capture as evidence in the case (any role, until the case is finished)."""
    require_role(actor, OPERATOR_UP, "attach evidence")
    if case.state in CLOSED_STATES:
        raise CaseError(f"the case is “{case.state_label}”; evidence can no longer be added")
    link = _attach(case, actor, capture, note, act_kind)
    db.session.commit()
    return link


def remove_evidence(case, actor, capture, *, reason):
    """Take a capture out of the case's evidence (the capture itself stays in the vault)."""
    check_editable(case, actor, "remove evidence")
    if not (reason or "").strip():
        raise CaseError("a reason is required to remove evidence")
    link = next((e for e in case.evidence if e.capture_id == capture.id), None)
    if link is None:
        raise CaseError("this capture is not evidence in the case")
    case.evidence.remove(link)
    log_event(
        case,
        actor,
        "evidence_removed",
        {"capture_id": str(capture.capture_uuid), "reason": reason.strip()[:1000]},
        audit_action="case_evidence_removed",
    )
    db.session.commit()


def add_terlapor(case, actor, person):
    """Name a reported person in the case."""
    check_editable(case, actor)
    if person in case.terlapor:
        raise CaseError(f"{person.name} is already named in this case")
    case.terlapor.append(person)
    log_event(
        case,
        actor,
        "terlapor_added",
        {"terlapor_id": person.id, "name": person.name},
        audit_action="case_terlapor_added",
    )
    db.session.commit()


def remove_terlapor(case, actor, person):
    check_editable(case, actor)
    if person not in case.terlapor:
        raise CaseError(f"{person.name} is not named in this case")
    case.terlapor.remove(person)
    log_event(
        case,
        actor,
        "terlapor_removed",
        {"terlapor_id": person.id, "name": person.name},
        audit_action="case_terlapor_removed",
    )
    db.session.commit()


def add_party(case, actor, role, name, **fields):
    """Record the reporter (pelapor, for a Laporan) or a witness (saksi)."""
    check_editable(case, actor)
    if role not in PARTY_ROLES:
        raise CaseError(f"role must be one of {', '.join(PARTY_ROLES)}")
    if role == "pelapor" and case.source != "laporan":
        raise CaseError("only a case from a Laporan has a reporter (pelapor)")
    if not (name or "").strip():
        raise CaseError("a name is required")
    party = CaseParty(role=role, name=name.strip()[:200], **fields)
    case.parties.append(party)
    db.session.flush()
    log_event(
        case,
        actor,
        "party_added",
        {"party_id": party.id, "role": role, "name": party.name},
        audit_action="case_party_added",
    )
    db.session.commit()
    return party


def timeline(case):
    """The case's events, oldest first, for the case page."""
    return list(case.events)


def get_case(case_id):
    return db.session.get(Case, case_id)


def count_by_state():
    """``{state: number of cases}`` for every state, in procedure order (for the dashboard)."""
    return case_queries.counts_by_state()


def days_since_known(case, on=None):
    """Days since the violation became known (DOMAIN: Temuan/Laporan within 7 days)."""
    if case.known_date is None:
        return None
    return ((on or deadlines.today()) - case.known_date).days
