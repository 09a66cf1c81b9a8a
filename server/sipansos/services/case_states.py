"""The case state machine: which action moves a case from which states to which, and who may.

``TRANSITIONS`` is the single table; the service functions in ``services.cases`` call
``transition()``, which refuses anything the table does not allow with a message naming the
current state, the attempted action and who may do it, and otherwise records the change in the
audit log and on the case's timeline.
"""

from dataclasses import dataclass
from datetime import date, datetime

from ..models import CaseEvent, CaseState, Role
from ..models.case import STATE_LABELS
from . import audit

S = CaseState
OPERATOR_UP = frozenset({Role.OPERATOR, Role.KOORDINATOR, Role.ADMIN})
KOORDINATOR_UP = frozenset({Role.KOORDINATOR, Role.ADMIN})
# States in which a case is finished: no more edits, evidence or checklist changes.
CLOSED_STATES = frozenset({S.SELESAI, S.ARSIP})


class CaseError(Exception):
    """A rule refused the change; the message says why (shown to the user)."""


class PermissionDenied(CaseError):
    """The user's role may not do this."""


class TransitionRefused(CaseError):
    """The action is not allowed in the case's state or for the user's role."""

    def __init__(self, message, *, action, state, allowed_from, roles):
        super().__init__(message)
        self.action = action
        self.state = state
        self.allowed_from = allowed_from
        self.roles = roles


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # Indonesian, as on the button
    sources: frozenset
    targets: tuple
    roles: frozenset


def _t(action, label, sources, targets, roles=KOORDINATOR_UP):
    return Transition(action, label, frozenset(sources), tuple(targets), roles)


TRANSITIONS = {
    t.action: t
    for t in (
        _t("submit", "Ajukan Informasi Awal", [S.DRAF], [S.INFORMASI_AWAL], OPERATOR_UP),
        _t("receive_report", "Terima Laporan", [S.DRAF], [S.LAPORAN_DITERIMA], OPERATOR_UP),
        _t("establish_finding", "Tetapkan sebagai Temuan", [S.INFORMASI_AWAL], [S.TEMUAN]),
        _t("discontinue", "Hentikan", [S.INFORMASI_AWAL], [S.BUKAN_PELANGGARAN]),
        _t(
            "request_completion",
            "Minta Kelengkapan",
            [S.LAPORAN_DITERIMA],
            [S.PERLU_KELENGKAPAN],
        ),
        _t("complete_report", "Laporan Dilengkapi", [S.PERLU_KELENGKAPAN], [S.LAPORAN_DITERIMA]),
        _t(
            "reject_report",
            "Tidak Memenuhi Syarat",
            [S.LAPORAN_DITERIMA, S.PERLU_KELENGKAPAN],
            [S.TIDAK_MEMENUHI_SYARAT],
        ),
        _t("register", "Registrasi", [S.TEMUAN, S.LAPORAN_DITERIMA], [S.DIREGISTRASI]),
        _t("start_clarification", "Mulai Klarifikasi", [S.DIREGISTRASI], [S.DALAM_KLARIFIKASI]),
        _t(
            "start_kajian",
            "Mulai Kajian",
            [S.DIREGISTRASI, S.DALAM_KLARIFIKASI],
            [S.DALAM_KAJIAN],
        ),
        _t(
            "decide",
            "Putuskan (Pleno)",
            [S.DALAM_KAJIAN],
            [
                S.BUKAN_PELANGGARAN,
                S.DIREKOMENDASIKAN_KPU,
                S.DITERUSKAN_INSTANSI,
                S.DIBAHAS_GAKKUMDU,
            ],
        ),
        _t(
            "forward",
            "Kirim Surat (Rekomendasi/Penerusan)",
            [S.DIREKOMENDASIKAN_KPU, S.DITERUSKAN_INSTANSI, S.DIBAHAS_GAKKUMDU],
            [S.MENUNGGU_TINDAK_LANJUT],
        ),
        _t(
            "record_follow_up",
            "Catat Tindak Lanjut",
            [S.MENUNGGU_TINDAK_LANJUT],
            [S.SUDAH_DITINDAKLANJUTI, S.TIDAK_DITINDAKLANJUTI],
        ),
        _t(
            "close",
            "Selesaikan",
            [
                S.BUKAN_PELANGGARAN,
                S.TIDAK_MEMENUHI_SYARAT,
                S.SUDAH_DITINDAKLANJUTI,
                S.TIDAK_DITINDAKLANJUTI,
            ],
            [S.SELESAI],
        ),
        _t("archive", "Arsipkan", [S.SELESAI, S.DRAF], [S.ARSIP]),
    )
}

# Where a route's decision sends the case.
CHANNEL_STATES = {
    "rekomendasi": S.DIREKOMENDASIKAN_KPU,
    "penerusan": S.DITERUSKAN_INSTANSI,
    "gakkumdu": S.DIBAHAS_GAKKUMDU,
}


# Timeline rows other than transitions (whose label is the action's), in Indonesian.
EVENT_LABELS = {
    "created": "Perkara dibuat",
    "updated": "Data perkara diubah",
    "legal_bases_set": "Dasar hukum ditetapkan",
    "evidence_added": "Bukti ditambahkan",
    "evidence_removed": "Bukti dikeluarkan",
    "terlapor_added": "Terlapor ditambahkan",
    "terlapor_removed": "Terlapor dikeluarkan",
    "party_added": "Pelapor/saksi ditambahkan",
    "checklist_created": "Jalur dan daftar tindak lanjut ditetapkan",
    "checklist_item_added": "Langkah tindak lanjut ditambahkan",
    "checklist_item_done": "Langkah tindak lanjut selesai",
    "checklist_item_reopened": "Langkah tindak lanjut dibuka kembali",
    "document_attached": "Dokumen diunggah",
    "letter_generated": "Surat dibuat",
}


def event_label(event):
    """The Indonesian label of a timeline row."""
    if event.kind == "transition":
        return TRANSITIONS[event.details["action"]].label
    return EVENT_LABELS.get(event.kind, event.kind)


def state_label(state):
    return STATE_LABELS[CaseState(state)]


def _roles_text(roles):
    order = [Role.OPERATOR, Role.KOORDINATOR, Role.ADMIN]
    return ", ".join(r.value for r in order if r in roles)


def refusal(case, actor, action):
    """The ``TransitionRefused`` for ``action`` on ``case`` by ``actor``, or None if allowed."""
    rule = TRANSITIONS[action]
    state = CaseState(case.state)
    wrong_state = state not in rule.sources
    wrong_role = actor is None or actor.role not in rule.roles or not actor.active
    if not (wrong_state or wrong_role):
        return None
    sources = [s for s in CaseState if s in rule.sources]
    if wrong_state:
        reason = "it is allowed only from " + ", ".join(f"“{s.label}”" for s in sources)
    elif actor is None:
        reason = "nobody is signed in"
    else:
        inactive = "" if actor.active else ", deactivated"
        reason = f"{actor.username} (role {actor.role.value}{inactive}) may not"
    message = (
        f"Cannot “{rule.label}” ({action}) while the case is “{state.label}”: {reason}. "
        f"Who may do it: {_roles_text(rule.roles)}."
    )
    return TransitionRefused(
        message, action=action, state=state, allowed_from=sources, roles=rule.roles
    )


def check(case, actor, action):
    """Raise ``TransitionRefused`` unless ``actor`` may do ``action`` on ``case`` now."""
    refused = refusal(case, actor, action)
    if refused is not None:
        raise refused


def allowed_actions(case, actor):
    """The actions ``actor`` may take on ``case`` now, in table order (for the case page)."""
    return [a for a in TRANSITIONS if refusal(case, actor, a) is None]


def jsonable(details):
    """Dates become ISO strings so that details can go into JSON columns and the audit hash."""
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in details.items()}


def log_event(
    case, actor, kind, details=None, *, audit_action=None, from_state=None, to_state=None
):
    """Add a timeline row (and an audit event named ``audit_action``) to the transaction."""
    details = jsonable(details or {})
    case.events.append(
        CaseEvent(
            actor=actor,
            kind=kind,
            from_state=from_state,
            to_state=to_state,
            details=details,
        )
    )
    if audit_action:
        extra = {"from": from_state, "to": to_state} if kind == "transition" else {}
        audit.record(audit_action, actor=actor, target=case, details={**extra, **details})


def transition(case, actor, action, to_state=None, details=None):
    """Check and apply ``action``; records audit ``case_<action>`` and a timeline row.

    The caller sets the case's other fields and commits.
    """
    check(case, actor, action)
    rule = TRANSITIONS[action]
    target = CaseState(to_state) if to_state is not None else rule.targets[0]
    if target not in rule.targets:
        raise CaseError(f"{action} cannot lead to “{target.label}”")
    previous = case.state
    case.state = target.value
    log_event(
        case,
        actor,
        "transition",
        {"action": action, **(details or {})},
        audit_action=f"case_{action}",
        from_state=previous,
        to_state=target.value,
    )
    return target


def require_role(actor, roles, what):
    """Raise ``PermissionDenied`` unless ``actor`` is active and has one of ``roles``."""
    if actor is None or not actor.active or actor.role not in roles:
        who = getattr(actor, "username", "nobody")
        raise PermissionDenied(f"{who} may not {what}: only {_roles_text(roles)} may.")
