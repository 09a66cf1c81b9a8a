"""What a case holds: evidence (captures), reported persons, reporter and witnesses, edits."""

from datetime import date

import pytest
from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import AuditEvent, CaseState
from sipansos.services import cases
from sipansos.services.case_states import CaseError, PermissionDenied
from sipansos.services.reference import route_by_code
from tests.cases.conftest import category
from tests.cases.flow import walk


def test_operator_creates_a_draft_with_evidence(make_case, make_capture, users):
    capture = make_capture()
    case = make_case(captures=[capture])
    assert case.state == CaseState.DRAF and case.number is None
    assert case.created_by == users["operator"]
    assert [e.capture for e in case.evidence] == [capture]
    assert [e.kind for e in case.events] == ["created", "evidence_added"]
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-2:] == ["case_created", "case_evidence_added"]


def test_a_capture_can_be_evidence_in_several_cases(make_case, make_capture, users):
    capture = make_capture()
    first, second = make_case(), make_case()
    for case in (first, second):
        cases.add_evidence(case, users["operator"], capture, act_kind="share")
    assert first.evidence[0].capture == second.evidence[0].capture == capture
    with pytest.raises(CaseError, match="already evidence"):
        cases.add_evidence(first, users["operator"], capture)


def test_withdrawn_captures_are_not_evidence(make_case, make_capture, users):
    from sipansos.models.types import utcnow

    capture = make_capture(withdrawn_at=utcnow(), withdrawal_reason="salah unggah")
    with pytest.raises(CaseError, match="withdrawn"):
        cases.add_evidence(make_case(), users["operator"], capture)


def test_operator_edits_only_drafts_but_adds_evidence_until_the_end(make_case, make_capture, users):
    operator, koordinator = users["operator"], users["koordinator"]
    case = make_case()
    assert cases.update_case(case, operator, title="Judul baru", known_date=date(2026, 11, 3)) == [
        "known_date",
        "title",
    ]
    cases.submit_case(case, operator)
    with pytest.raises(PermissionDenied, match="Informasi Awal"):
        cases.update_case(case, operator, title="Lagi")
    cases.add_evidence(case, operator, make_capture(url="https://x.com/a/status/1"))
    cases.update_case(case, koordinator, kajian_notes="Unggahan berisi ajakan memilih")
    walk(case, koordinator, CaseState.SELESAI.value)
    with pytest.raises(CaseError, match="Selesai"):
        cases.add_evidence(case, operator, make_capture(url="https://x.com/a/status/2"))
    with pytest.raises(CaseError, match="Selesai"):
        cases.update_case(case, koordinator, title="Terlambat")


def test_removing_evidence_needs_a_reason_and_is_logged(make_case, make_capture, users):
    capture = make_capture()
    case = make_case(captures=[capture])
    with pytest.raises(CaseError, match="reason"):
        cases.remove_evidence(case, users["operator"], capture, reason=" ")
    cases.remove_evidence(case, users["operator"], capture, reason="Bukan akun terlapor")
    assert case.evidence == [] and case.events[-1].kind == "evidence_removed"
    assert capture.id is not None  # the capture stays in the vault


def test_reporter_only_for_a_laporan_and_witnesses_for_both(make_case, users):
    operator = users["operator"]
    finding = make_case()
    with pytest.raises(CaseError, match="Laporan"):
        cases.add_party(finding, operator, "pelapor", "Andi")
    cases.add_party(finding, operator, "saksi", "Rina", phone="0812")
    report = make_case(source="laporan")
    party = cases.add_party(report, operator, "pelapor", "Andi", identity_number="1906")
    assert party.case == report and report.parties[0].role == "pelapor"
    with pytest.raises(CaseError, match="role"):
        cases.add_party(report, operator, "hakim", "X")


def test_legal_bases_and_category(make_case, users, reference_data):
    from sipansos.models import LegalBasis

    koordinator = users["koordinator"]
    case = walk(make_case(), koordinator, CaseState.DALAM_KAJIAN.value)
    bases = db.session.scalars(
        select(LegalBasis).where(LegalBasis.code.in_(["uu10_2016_p70", "pp94_2021"]))
    ).all()
    cases.update_case(case, koordinator, category=category("netralitas_asn"))
    cases.decide(case, koordinator, "pelanggaran", route=route_by_code("pns"), legal_bases=bases,
                 pleno_result="Memenuhi unsur Pasal 70")  # fmt: skip
    assert {b.code for b in case.legal_bases} == {"uu10_2016_p70", "pp94_2021"}
    assert case.decision == "pelanggaran" and case.pleno_result.startswith("Memenuhi")
    cases.set_legal_bases(case, koordinator, bases[:1])
    assert len(case.legal_bases) == 1


def test_timeline_rows_have_labels_and_states_are_counted(make_case, make_capture, users):
    from sipansos.services.case_states import event_label

    koordinator = users["koordinator"]
    case = make_case(captures=[make_capture()])
    walk(case, koordinator, CaseState.TEMUAN.value)
    labels = [event_label(e) for e in cases.timeline(case)]
    assert labels == [
        "Perkara dibuat",
        "Bukti ditambahkan",
        "Ajukan Informasi Awal",
        "Tetapkan sebagai Temuan",
    ]
    make_case()
    counts = cases.count_by_state()
    assert list(counts)[0] == CaseState.DRAF and len(counts) == len(CaseState)
    assert counts[CaseState.DRAF] == 1 and counts[CaseState.TEMUAN] == 1
    assert sum(counts.values()) == 2
