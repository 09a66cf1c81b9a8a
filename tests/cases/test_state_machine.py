"""The case state machine: every allowed transition for every allowed role, every other refused."""

import pytest
from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import AuditEvent, CaseEvent, CaseState, Role
from sipansos.services import audit, cases
from sipansos.services.case_states import TRANSITIONS, TransitionRefused, allowed_actions
from sipansos.services.reference import route_by_code
from tests.cases.flow import LETTER_DATE, TEMUAN_PATH, perform, walk

ROLE_USERS = {Role.OPERATOR: "operator", Role.KOORDINATOR: "koordinator", Role.ADMIN: "admin"}
# Variants of the actions with more than one outcome, so that every target state is reached.
VARIANTS = {
    "decide": [
        ({"decision": "pelanggaran", "route": "pns"}, CaseState.DITERUSKAN_INSTANSI),
        (
            {"decision": "pelanggaran", "route": "penyelenggara_adhoc"},
            CaseState.DIREKOMENDASIKAN_KPU,
        ),
        ({"decision": "pelanggaran", "route": "gakkumdu"}, CaseState.DIBAHAS_GAKKUMDU),
        ({"decision": "bukan_pelanggaran"}, CaseState.BUKAN_PELANGGARAN),
    ],
    "record_follow_up": [
        ({"followed_up": True}, CaseState.SUDAH_DITINDAKLANJUTI),
        ({"followed_up": False}, CaseState.TIDAK_DITINDAKLANJUTI),
    ],
}


def _case_in(make_case, action, state):
    source = "laporan" if action == "receive_report" else "temuan"
    case = make_case(source=source)
    case.state = state.value
    db.session.commit()
    return case


def _last_audit():
    return db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))


def test_every_allowed_transition_works_for_every_allowed_role(make_case, users):
    reached = set()
    for action, rule in TRANSITIONS.items():
        variants = VARIANTS.get(action, [({}, rule.targets[0])])
        for state in rule.sources:
            for role in rule.roles:
                for overrides, expected in variants:
                    case = _case_in(make_case, action, state)
                    actor = users[ROLE_USERS[role]]
                    assert action in allowed_actions(case, actor)
                    perform(action, case, actor, **overrides)
                    assert case.state == expected, (action, state, role, overrides)
                    reached.add(expected)

                    event = case.events[-1]
                    assert (event.kind, event.from_state, event.to_state) == (
                        "transition",
                        state.value,
                        expected.value,
                    )
                    assert event.actor_id == actor.id and event.details["action"] == action
                    logged = _last_audit()
                    assert logged.action == f"case_{action}"
                    assert (logged.target_type, logged.target_id) == ("cases", str(case.id))
                    assert logged.details["from"] == state.value
                    assert logged.details["to"] == expected.value
    # Every state but the first is the target of some transition.
    assert reached == set(CaseState) - {CaseState.DRAF}
    assert audit.verify_chain().ok


def test_every_action_is_refused_in_every_other_state(make_case, users):
    koordinator = users["admin"]
    for action, rule in TRANSITIONS.items():
        for state in set(CaseState) - rule.sources:
            case = _case_in(make_case, action, state)
            events_before = len(case.events)
            with pytest.raises(TransitionRefused) as refused:
                perform(action, case, koordinator)
            message = str(refused.value)
            assert f"while the case is “{state.label}”: it is allowed only" in message
            assert f"“{rule.label}”" in message and "Who may do it:" in message
            assert refused.value.state == state and refused.value.action == action
            db.session.rollback()
            assert case.state == state.value and len(case.events) == events_before


def test_every_action_is_refused_to_roles_that_may_not_do_it(make_case, users):
    for action, rule in TRANSITIONS.items():
        state = sorted(rule.sources)[0]
        refused_users = [users[ROLE_USERS[r]] for r in Role if r not in rule.roles]
        refused_users.append(users["inactive"])  # a deactivated koordinator may do nothing
        for actor in refused_users:
            case = _case_in(make_case, action, state)
            with pytest.raises(TransitionRefused) as refused:
                perform(action, case, actor)
            message = str(refused.value)
            assert f"while the case is “{state.label}”: {actor.username} (role" in message
            assert "koordinator" in message and "admin" in message
            db.session.rollback()
            assert case.state == state.value


def test_operator_may_only_take_the_first_steps():
    operator_actions = {a for a, rule in TRANSITIONS.items() if Role.OPERATOR in rule.roles}
    assert operator_actions == {"submit", "receive_report"}
    assert all(Role.ADMIN in rule.roles for rule in TRANSITIONS.values())


def test_temuan_walks_from_draft_to_archive_with_a_full_timeline(make_case, users):
    case = make_case()
    walk(case, users["koordinator"], CaseState.ARSIP.value)
    transitions = [e for e in case.events if e.kind == "transition"]
    assert [e.details["action"] for e in transitions] == TEMUAN_PATH
    assert [e.to_state for e in transitions][-1] == CaseState.ARSIP.value
    kinds = [e.kind for e in db.session.scalars(select(CaseEvent).order_by(CaseEvent.id))]
    assert kinds[0] == "created" and "checklist_created" in kinds
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {f"case_{a}" for a in TEMUAN_PATH} | {"case_created", "case_route_chosen"} <= actions
    assert case.number and case.letter_number and case.follow_up_outcome == "Teguran tertulis"


def test_laporan_needs_completion_before_registration(make_case, users):
    koordinator = users["koordinator"]
    case = make_case(source="laporan")
    perform("receive_report", case, users["operator"])
    assert case.received_date is not None
    cases.request_completion(case, koordinator, missing="Identitas pelapor")
    assert case.state == CaseState.PERLU_KELENGKAPAN
    with pytest.raises(TransitionRefused, match="Perlu Kelengkapan"):
        cases.register_case(case, koordinator)
    cases.complete_report(case, koordinator)
    cases.register_case(case, koordinator)
    assert case.state == CaseState.DIREGISTRASI and case.number


def test_source_decides_the_first_step(make_case, users):
    operator = users["operator"]
    with pytest.raises(cases.CaseError, match="Laporan"):
        cases.submit_case(make_case(source="laporan"), operator)
    with pytest.raises(cases.CaseError, match="Laporan"):
        cases.receive_report(make_case(source="temuan"), operator)


def test_decision_of_a_violation_needs_a_route(make_case, users):
    case = walk(make_case(), users["koordinator"], CaseState.DALAM_KAJIAN.value)
    with pytest.raises(cases.CaseError, match="route"):
        cases.decide(case, users["koordinator"], "pelanggaran")
    with pytest.raises(cases.CaseError, match="decision must be"):
        cases.decide(case, users["koordinator"], "maybe")
    assert case.state == CaseState.DALAM_KAJIAN


def test_forwarding_needs_a_letter_number_and_recipient(make_case, users):
    koordinator = users["koordinator"]
    case = walk(make_case(), koordinator, CaseState.DALAM_KAJIAN.value)
    cases.decide(case, koordinator, "pelanggaran", route=route_by_code("pns"))
    assert [r.name for r in case.recipients if r.kind == "recipient"] == [
        "Badan Kepegawaian Negara (BKN) — Deputi Pengawasan dan Pengendalian"
    ]
    copies = [r.agency.code for r in case.recipients if r.kind == "copy"]
    assert copies == ["bupati_ppk", "sekda", "bkpsdm", "bawaslu_provinsi"]
    with pytest.raises(cases.CaseError, match="letter number"):
        cases.forward_case(case, koordinator, letter_number=" ", letter_date=LETTER_DATE)
    with pytest.raises(cases.CaseError, match="recipient"):
        cases.forward_case(
            case, koordinator, letter_number="1/PP", letter_date=LETTER_DATE, recipients=[]
        )
    assert len(case.recipients) == 5  # a refused call changes nothing

    kept = [r.agency for r in case.recipients if r.kind == "copy"]
    cases.forward_case(
        case,
        koordinator,
        letter_number="1/PP",
        letter_date=LETTER_DATE,
        copies=[*kept, "Inspektorat Kabupaten"],
    )
    assert case.state == CaseState.MENUNGGU_TINDAK_LANJUT
    assert case.dispatch_date == LETTER_DATE
    assert [r.name for r in case.recipients if r.kind == "copy"][-1] == "Inspektorat Kabupaten"
    assert case.events[-1].details["copies"][-1] == "Inspektorat Kabupaten"


def test_no_violation_stops_the_case_without_a_route(make_case, users):
    koordinator = users["koordinator"]
    case = walk(make_case(), koordinator, CaseState.DALAM_KAJIAN.value)
    cases.decide(case, koordinator, "bukan_pelanggaran", route=route_by_code("pns"),
                 pleno_result="Tidak terbukti")  # fmt: skip
    assert case.state == CaseState.BUKAN_PELANGGARAN and case.checklist == []
    assert case.events[-1].details["route"] is None
    cases.close_case(case, koordinator, note="Diumumkan")
    assert case.state == CaseState.SELESAI
