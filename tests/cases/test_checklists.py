"""Routes and follow-up checklists: choice of route, the case's own copy, due dates, overdue."""

import io
from datetime import date, timedelta

import pytest

from sipansos.extensions import db
from sipansos.models import CaseState, SubjectStatus
from sipansos.reference_data import ROUTES
from sipansos.services import cases, checklists
from sipansos.services.case_states import CaseError, PermissionDenied
from sipansos.services.reference import (
    add_route_item,
    route_by_code,
    suggest_routes,
    update_reference,
)
from sipansos.services.terlapor import create_terlapor
from sipansos.storage import get_store
from tests.cases.flow import walk

REGISTERED = date(2026, 12, 17)  # Thursday
PNS_TITLES = [
    "Konfirmasi NIP dan status kepegawaian kepada BKPSDM.",
    "Kirim undangan klarifikasi; catat Berita Acara Klarifikasi (BA Klarifikasi).",
    "Kajian dan pleno (paling lambat 5 hari sejak registrasi).",
    "Kirim surat Penerusan kepada BKN beserta kajian, bukti, dan berita acara klarifikasi; "
    "tembusan sesuai daftar.",
    "Catat tanda terima BKN.",
    "Catat rekomendasi BKN kepada PPK.",
    "Catat keputusan hukuman disiplin oleh PPK (PP 94/2021: pemotongan tunjangan, penurunan "
    "jabatan, pembebasan dari jabatan, pemberhentian).",
    "Tidak ada tanggapan sampai batas waktu → eskalasi.",
]


@pytest.fixture
def registered(make_case, users):
    """``registered(status, category)``: a registered case about a person of that status."""

    def make(status="pns", category_code="netralitas_asn"):
        person = create_terlapor(users["operator"], name="Budi Santoso", employment_status=status)
        case = make_case(category_code=category_code, terlapor=[person])
        walk(case, users["koordinator"], CaseState.TEMUAN.value)
        cases.register_case(case, users["koordinator"], registered_date=REGISTERED)
        return case

    return make


def checklists_route(case):
    from sipansos.services.reference import suggest_routes_for_case

    return suggest_routes_for_case(case)[0]


def test_pns_case_gets_the_pns_checklist_with_due_dates(registered, users):
    case = registered("pns")
    route = checklists_route(case)
    assert route.code == "pns"
    cases.choose_route(case, users["koordinator"], route)
    assert [i.title for i in case.checklist] == PNS_TITLES
    assert [i.position for i in case.checklist] == list(range(1, 9))
    by_title = {i.title: i for i in case.checklist}
    assert by_title[PNS_TITLES[1]].due_date == REGISTERED + timedelta(days=3)
    assert by_title[PNS_TITLES[2]].due_date == REGISTERED + timedelta(days=5)
    escalate = by_title[PNS_TITLES[7]]
    assert escalate.due_date is None  # counts from dispatch, which has not happened
    assert case.events[-1].kind == "checklist_created"

    koordinator = users["koordinator"]
    cases.start_kajian(case, koordinator)
    cases.decide(case, koordinator, "pelanggaran", route=route)  # same route: no second copy
    assert len(case.checklist) == 8
    cases.forward_case(case, koordinator, letter_number="7/PP", letter_date=date(2026, 12, 22))
    assert escalate.due_date == date(2027, 1, 5)  # 14 calendar days after dispatch
    names = [r.agency.code for r in case.recipients]
    assert names == ["bkn", "bupati_ppk", "sekda", "bkpsdm", "bawaslu_provinsi"]


def test_ptt_honorer_goes_to_the_bupati_with_copies(registered, users):
    case = registered("ptt_honorer")
    route = checklists_route(case)
    assert route.code == "ptt_honorer"
    cases.start_kajian(case, users["koordinator"])
    cases.decide(case, users["koordinator"], "pelanggaran", route=route)
    assert case.state == CaseState.DITERUSKAN_INSTANSI
    recipients = [(r.kind, r.agency.code) for r in case.recipients]
    assert recipients == [("recipient", "bupati_ppk"), ("copy", "sekda"), ("copy", "bkpsdm")]
    assert any("Bupati selaku PPK" in i.title for i in case.checklist)


def test_tni_route_is_marked_unverified_and_names_gakkumdu(registered, users):
    case = registered("tni", "netralitas_tni")
    route = checklists_route(case)
    assert route.code == "tni" and route.verified is False and route.recipient.verified is False
    cases.choose_route(case, users["koordinator"], route)
    assert any("Sentra Gakkumdu" in i.title and "71/188" in i.title for i in case.checklist)
    assert [r.agency.code for r in case.recipients] == ["satuan_tni"]


def test_hoax_route_has_the_takedown_items(registered, users):
    case = registered("pns", "hoaks")
    routes = [r.code for r in suggest_routes("pns", "hoaks")]
    assert routes == ["hoaks", "pns", "gakkumdu"]  # content route first, then the person's
    cases.start_kajian(case, users["koordinator"])
    cases.decide(case, users["koordinator"], "pelanggaran", route=route_by_code("hoaks"))
    titles = " | ".join(i.title for i in case.checklist)
    assert "hash" in titles and "takedown" in titles and "sudah diturunkan" in titles
    assert [r.agency.code for r in case.recipients] == ["bawaslu_provinsi", "bawaslu_ri"]


def test_gakkumdu_deadline_counts_working_days_past_the_holiday(registered, users):
    case = registered("lainnya", "lainnya")
    koordinator = users["koordinator"]
    cases.start_kajian(case, koordinator)
    cases.decide(case, koordinator, "pelanggaran", route=route_by_code("gakkumdu"))
    assert case.state == CaseState.DIBAHAS_GAKKUMDU
    cases.forward_case(case, koordinator, letter_number="G/1", letter_date=date(2026, 12, 10))
    police = next(i for i in case.checklist if i.deadline_unit == "working")
    assert police.due_date == date(2026, 12, 31)  # 14 working days, 25 Dec skipped


def test_template_edits_do_not_change_an_open_case(registered, users):
    case = registered("pns")
    cases.choose_route(case, users["koordinator"], route_by_code("pns"))
    before = [(i.title, i.due_date, i.deadline_days) for i in case.checklist]

    admin = users["admin"]
    route = route_by_code("pns")
    update_reference(admin, route.items[1], title="Diubah oleh admin", deadline_days=1)
    add_route_item(admin, route, title="Langkah baru")
    update_reference(admin, route.recipient, name="BKN (nama baru)")
    db.session.expire_all()

    assert [(i.title, i.due_date, i.deadline_days) for i in case.checklist] == before
    assert case.recipients[0].name.startswith("Badan Kepegawaian Negara")
    # A case that chooses the route afterwards gets the edited template.
    later = registered("pns")
    cases.choose_route(later, users["koordinator"], route_by_code("pns"))
    assert later.checklist[1].title == "Diubah oleh admin"
    assert later.checklist[1].due_date == REGISTERED + timedelta(days=1)
    assert later.checklist[-1].title == "Langkah baru"


def test_overdue_and_due_soon_items(registered, users):
    case = registered("pns")
    koordinator = users["koordinator"]
    cases.choose_route(case, koordinator, route_by_code("pns"))
    clarify, kajian = case.checklist[1], case.checklist[2]

    assert checklists.overdue_items(today=REGISTERED + timedelta(days=3)) == []
    assert checklists.overdue_items(today=REGISTERED + timedelta(days=4)) == [clarify]
    assert checklists.overdue_items(today=REGISTERED + timedelta(days=6)) == [clarify, kajian]
    assert checklists.due_within(2, today=REGISTERED + timedelta(days=2)) == [clarify]
    assert checklists.due_within(3, today=REGISTERED + timedelta(days=2)) == [clarify, kajian]

    checklists.complete_item(clarify, koordinator, done_on=REGISTERED + timedelta(days=2),
                             note="BA Klarifikasi ditandatangani")  # fmt: skip
    assert clarify.done and clarify.done_by == koordinator and clarify.done_at is not None
    assert checklists.overdue_items(today=REGISTERED + timedelta(days=6)) == [kajian]
    assert case.events[-1].kind == "checklist_item_done"
    with pytest.raises(CaseError, match="already done"):
        checklists.complete_item(clarify, koordinator)

    walk(case, koordinator, CaseState.SELESAI.value)
    assert checklists.overdue_items(today=REGISTERED + timedelta(days=60)) == []


def test_items_added_to_one_case_and_previous_item_deadlines(registered, users):
    case = registered("pns")
    koordinator = users["koordinator"]
    cases.choose_route(case, koordinator, route_by_code("pns"))
    item = checklists.add_item(
        case, koordinator, "Minta salinan SK dari BKPSDM", who="BKPSDM",
        days=2, unit="working", anchor="previous_item",
    )  # fmt: skip
    assert item.position == 9 and item.due_date is None  # the previous item is open
    previous = case.checklist[7]
    checklists.complete_item(previous, koordinator, done_on=date(2026, 12, 24))
    assert item.due_date == date(2026, 12, 29)  # Thu → (Fri 25 holiday) Mon 28, Tue 29
    assert route_by_code("pns").items[-1].title != item.title  # the template is untouched
    with pytest.raises(CaseError, match="deadline"):
        checklists.add_item(case, koordinator, "Tanpa satuan", days=2)
    with pytest.raises(PermissionDenied, match="operator"):
        checklists.add_item(case, users["operator"], "Operator menambah")

    checklists.reopen_item(previous, koordinator, reason="Salah centang")
    assert item.due_date is None and case.events[-1].kind == "checklist_item_reopened"


def test_changing_the_route_keeps_done_items(registered, users):
    case = registered("pns")
    koordinator = users["koordinator"]
    cases.choose_route(case, koordinator, route_by_code("pns"))
    checklists.complete_item(case.checklist[0], koordinator)
    cases.choose_route(case, koordinator, route_by_code("pppk"))
    assert case.route.code == "pppk"
    assert [i.route_code for i in case.checklist] == ["pns"] + ["pppk"] * 8
    assert case.checklist[0].done


def test_documents_are_stored_by_their_hash(registered, users):
    case = registered("pns")
    koordinator = users["koordinator"]
    cases.choose_route(case, koordinator, route_by_code("pns"))
    data = b"%PDF-1.4\n% tanda terima BKN\n"
    document = checklists.attach_document(
        case.checklist[4], koordinator, io.BytesIO(data), filename="tanda-terima.pdf",
        content_type="application/pdf",
    )  # fmt: skip
    assert document.size == len(data) and document.uploaded_by == koordinator
    with get_store().open(document.sha256) as reader:
        assert reader.read() == data
    assert case.events[-1].details["sha256"] == document.sha256


def test_choosing_a_route_needs_a_registered_case(make_case, users):
    case = make_case()
    with pytest.raises(CaseError, match="registration"):
        cases.choose_route(case, users["koordinator"], route_by_code("pns"))
    with pytest.raises(PermissionDenied):
        cases.choose_route(case, users["operator"], route_by_code("pns"))
    walk(case, users["koordinator"], CaseState.DIREGISTRASI.value)
    update_reference(users["admin"], route_by_code("polri"), active=False)
    with pytest.raises(CaseError, match="no longer in use"):
        cases.choose_route(case, users["koordinator"], route_by_code("polri"))


def test_every_seeded_route_has_a_checklist():
    expected = {"pns", "pppk", "ptt_honorer", "tni", "polri", "kepala_desa", "hoaks", "dkpp"}
    assert {r["code"] for r in ROUTES} >= expected | {"penyelenggara_adhoc"}
    assert all(r["items"] and r["recipient"] for r in ROUTES)
    statuses = {s.value for s in SubjectStatus}
    assert all(r.get("subject_status") in statuses | {None} for r in ROUTES)
