"""Every action the code writes to the audit log has a label on the audit page."""

import re
from pathlib import Path

from sipansos.admin import TRANSITION_AUDIT_LABELS
from sipansos.admin.forms import AUDIT_ACTION_LABELS

SERVER = Path(__file__).resolve().parents[2] / "server" / "sipansos"
# ``audit.record("name", …)`` (possibly on the next line) and ``audit_action="name"``.
RECORDED = re.compile(r'audit\.record\(\s*"([a-z_]+)"|audit_action="([a-z_]+)"')


def recorded_actions():
    found = set()
    for path in SERVER.rglob("*.py"):
        for match in RECORDED.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found


def test_every_recorded_action_has_a_label():
    actions = recorded_actions()
    assert {"login", "capture_received", "case_created", "holiday_added"} <= actions
    labels = AUDIT_ACTION_LABELS | TRANSITION_AUDIT_LABELS
    assert sorted(actions - labels.keys()) == []


def test_case_transitions_are_labelled_with_their_button_text():
    assert TRANSITION_AUDIT_LABELS["case_register"] == "Registrasi"
