"""Indonesian text for the refusals of the case services, whose messages are English.

A refused transition carries its facts (action, state, allowed states, roles) and is worded
from them. Other refusals are recognised by their message; an unknown one is shown with its
English detail rather than hidden.
"""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import CaseState
from ..services.case_states import TRANSITIONS, TransitionRefused

_ROLE_ORDER = ("operator", "koordinator", "admin")

# What a user was refused, as ``require_role``/``check_editable`` name it.
_WHAT = {
    "create cases": _l("create cases"),
    "edit this case": _l("change this case"),
    "attach evidence": _l("attach evidence"),
    "remove evidence": _l("remove evidence"),
    "generate letters": _l("make letters"),
}

_PATTERNS = [
    (r"a case needs a title", _l("A case needs a title.")),
    (r"the case is “(?P<state>.+)”; it can no longer be changed",
     _l("The case is “%(state)s”; it can no longer be changed.")),
    (r"the case is “(?P<state>.+)”; evidence can no longer be added",
     _l("The case is “%(state)s”; evidence can no longer be added.")),
    (r"a withdrawn capture cannot be used as evidence",
     _l("A withdrawn capture cannot be used as evidence.")),
    (r"this capture is already evidence in the case",
     _l("This capture is already evidence in the case.")),
    (r"this capture is not evidence in the case", _l("This capture is not evidence in the case.")),
    (r"a reason is required to remove evidence", _l("Give the reason for removing the evidence.")),
    (r"(?P<name>.+) is already named in this case",
     _l("%(name)s is already a terlapor in this case.")),
    (r"(?P<name>.+) is not named in this case", _l("%(name)s is not a terlapor in this case.")),
    (r"only a case from a Laporan has a reporter \(pelapor\)",
     _l("Only a case from a Laporan has a pelapor.")),
    (r"a name is required", _l("A name is required.")),
    (r"a case from a Laporan is received \(Terima Laporan\), not submitted",
     _l("A case from a Laporan is received (Terima Laporan), not submitted.")),
    (r"only a case from a Laporan can be received as a report",
     _l("Only a case from a Laporan can be received as a report.")),
    (r"a violation needs a route: where does the case go\?",
     _l("A violation needs a route: where does the case go?")),
    (r"the letter date is required", _l("The letter date is required.")),
    (r"the letter needs a recipient", _l("The letter needs a recipient.")),
    (r"the letter needs a recipient: decide the case with a route first",
     _l("The letter needs a recipient: decide the case with a route first, or type one.")),
    (r"the case is “(?P<state>.+)”; no more letters are made for it",
     _l("The case is “%(state)s”; no more letters are made for it.")),
    (r"the template “(?P<name>.+)” is no longer in use",
     _l("The template “%(name)s” is no longer in use.")),
    (r"the letter number is required", _l("The letter number is required.")),
    (r"the outcome is required", _l("The outcome is required.")),
    (r"a reason is required", _l("A reason is required.")),
    (r"what is missing is required", _l("Say what is missing.")),
    (r"the route “(?P<route>.+)” is no longer in use",
     _l("The route “%(route)s” is no longer in use.")),
    (r"another case took the same register number at the same moment; try again",
     _l("Another case took the same register number at the same moment; try again.")),
    (r"\S+ may not (?P<what>.+): the case is “(?P<state>.+)”, and after “Draf” only .+ may\.",
     _l("The case is “%(state)s”: after “Draf” only a koordinator or admin may %(what)s.")),
    (r"\S+ may not (?P<what>.+): only (?P<roles>.+) may\.",
     _l("Your role may not %(what)s; only %(roles)s may.")),
]  # fmt: skip
_COMPILED = [(re.compile(pattern + r"\Z"), text) for pattern, text in _PATTERNS]


def _state_label(state):
    return CaseState(state).label


def _refused_transition(exc, user):
    label = TRANSITIONS[exc.action].label
    if exc.state not in exc.allowed_from:
        states = ", ".join(f"“{_state_label(s)}”" for s in exc.allowed_from)
        return _(
            "“%(action)s” is not possible while the case is “%(state)s”: only from %(states)s.",
            action=label,
            state=_state_label(exc.state),
            states=states,
        )
    roles = ", ".join(r for r in _ROLE_ORDER if r in {str(x) for x in exc.roles})
    return _(
        "Your role (%(role)s) may not “%(action)s”; only %(roles)s may. Nothing was changed.",
        role=getattr(getattr(user, "role", None), "value", "—"),
        action=label,
        roles=roles,
    )


def explain(exc, user=None):
    """The Indonesian message for a refused change (``CaseError`` or a subclass)."""
    if isinstance(exc, TransitionRefused):
        return _refused_transition(exc, user)
    message = str(exc)
    for pattern, text in _COMPILED:
        match = pattern.match(message)
        if match:
            fields = match.groupdict()
            if "what" in fields:
                fields["what"] = str(_WHAT.get(fields["what"], fields["what"]))
            return str(text) % fields if fields else str(text)
    return _("The change was refused: %(reason)s", reason=message)
