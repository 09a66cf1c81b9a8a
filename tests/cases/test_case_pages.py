"""The case pages: new case, the case page, its forms and the procedure's steps, via HTTP."""

import html
import re
from datetime import date, timedelta

import pytest
from flask_babel import format_date, gettext, ngettext
from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import (
    Artifact,
    AuditEvent,
    Capture,
    Case,
    CaseState,
    LegalBasis,
    Terlapor,
)
from sipansos.services import deadlines, terlapor
from sipansos.services.reference import route_by_code
from tests.cases.conftest import category
from tests.cases.flow import walk
from tests.conftest import login, post_form

S = CaseState


def say(app, message, **values):
    """``message`` as the page shows it (Indonesian once translated), HTML-escaped."""
    with app.test_request_context():
        return html.escape(gettext(message, **values), quote=False)


def text_of(response):
    return html.unescape(response.get_data(as_text=True))


def reload(model, row_id):
    """The row as committed by the requests (their sessions are not this test's)."""
    db.session.rollback()
    return db.session.get(model, row_id)


def audit_actions(case_id):
    return db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.target_type == "cases", AuditEvent.target_id == str(case_id))
        .order_by(AuditEvent.seq)
    ).all()


def act(client, case_id, action, **fields):
    """POST the form of ``action`` as the page sends it (fields carry the action as prefix)."""
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return send(client, case_id, f"/actions/{action}", data)


def send(client, case_id, path="", data=None):
    """POST a form of the case page to ``/cases/<id><path>``."""
    return post_form(client, f"/cases/{case_id}{path}", data, token_page=f"/cases/{case_id}")


def textarea(page, name):
    found = re.search(
        rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>\s*(.*?)</textarea>', page, re.S
    )
    assert found, f"no textarea {name}"
    return html.unescape(found.group(1))


@pytest.fixture
def as_role(client, users):
    signed_in = []

    def sign_in(role):
        if signed_in:
            post_form(client, "/logout")
        assert login(client, role).status_code == 302
        signed_in.append(role)
        return users[role]

    return sign_in


@pytest.fixture
def pns(users):
    return terlapor.create_terlapor(
        users["operator"],
        name="Drs. Budi Santoso",
        nip="198001012005011001",
        employment_status="pns",
        position="Kepala Sekolah",
        agency="SMPN 1",
        accounts=[{"platform": "facebook", "handle": "@budi.s"}],
    )


def test_create_a_case_from_the_form(app, client, as_role, reference_data):
    as_role("operator")
    form = client.get("/cases/new")
    assert form.status_code == 200
    assert "Netralitas ASN" in text_of(form)
    asn = category("netralitas_asn")
    response = post_form(
        client,
        "/cases/new",
        {
            "title": "Camat membagikan poster calon",
            "source": "temuan",
            "category": str(asn.id),
            "known_date": "2026-11-20",
            "summary": "Diunggah di grup Facebook kecamatan.",
        },
        token_page="/cases/new",
    )
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert (case.state, case.source, case.category_id) == ("draf", "temuan", asn.id)
    assert case.known_date == date(2026, 11, 20)
    assert case.created_by.username == "operator"
    assert audit_actions(case.id) == ["case_created"]
    page = text_of(client.get(f"/cases/{case.id}"))
    assert "Camat membagikan poster calon" in page
    assert "Diunggah di grup Facebook kecamatan." in page
    assert "Perkara dibuat" in page  # the timeline
    assert "Ajukan Informasi Awal" in page  # the operator's next step


def test_create_a_case_from_a_capture(app, client, as_role, reference_data, make_capture):
    capture = make_capture(title="Foto bersama calon", post_text="Ayo dukung!")
    as_role("operator")
    path = f"/cases/new?capture={capture.capture_uuid}"
    form = text_of(client.get(path))
    assert capture.url in form
    assert 'value="Foto bersama calon"' in form
    assert "Ayo dukung!" in form
    response = post_form(
        client,
        path,
        {
            "title": "Foto bersama calon",
            "source": "laporan",
            "known_date": deadlines.today().isoformat(),
            "capture": str(capture.capture_uuid),
        },
        token_page=path,
    )
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    assert [e.capture_id for e in case.evidence] == [capture.id]
    assert audit_actions(case.id) == ["case_created", "case_evidence_added"]


def test_new_case_form_errors_keep_nothing(app, client, as_role, reference_data):
    as_role("operator")
    future = (deadlines.today() + timedelta(days=3)).isoformat()
    for fields in (
        {"title": "", "source": "temuan", "known_date": "2026-11-20"},
        {"title": "Judul", "source": "temuan", "known_date": "2026-13-45"},
        {"title": "Judul", "source": "temuan", "known_date": future},
        {"title": "Judul", "source": "rahasia", "known_date": "2026-11-20"},
    ):
        response = post_form(client, "/cases/new", fields, token_page="/cases/new")
        assert response.status_code == 200
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Case)) is None


def test_unknown_capture_is_reported(app, client, as_role, reference_data):
    as_role("operator")
    missing = "00000000-0000-4000-8000-000000000001"
    page = client.get(f"/cases/new?capture={missing}").get_data(as_text=True)
    expected = "The capture %(id)s was not found; the case is created without it."
    assert say(app, expected, id=missing) in page


def test_case_page_shows_summary_evidence_and_deadline(
    app, client, as_role, make_case, make_capture, pns
):
    capture = make_capture(title="Unggahan dukungan")
    db.session.add(
        Artifact(
            capture=capture,
            position=0,
            name="page.mhtml",
            kind="page_mhtml",
            media_type="multipart/related",
            size=10,
            sha256="ab" * 32,
        )
    )
    db.session.commit()
    known = deadlines.today() - timedelta(days=2)
    case = make_case(known_date=known, captures=[capture], terlapor=[pns])
    as_role("koordinator")
    page = text_of(client.get(f"/cases/{case.id}"))
    assert "Kepala sekolah mengunggah dukungan" in page
    assert "Netralitas ASN" in page and "Draf" in page
    assert f'href="/terlapor/{pns.id}"' in page
    # evidence gallery: thumbnail, evidence page, replay, hashes, platform
    uuid = capture.capture_uuid
    assert f'src="/evidence/{uuid}/thumbnail"' in page
    assert f'href="/evidence/{uuid}"' in page
    assert f'href="/evidence/{uuid}/replay"' in page
    assert "ab" * 32 in page and capture.manifest_sha256 in page
    assert "Facebook" in page
    # next step: the 7-day limit since the violation became known, day 2 of 7 → 5 days left
    limit = (
        "Set as Temuan or receive as Laporan: %(days)d days after it became known "
        "(today is day %(day)d)"
    )
    assert html.unescape(say(app, limit, days=7, day=2)) in page
    with app.test_request_context():
        due = format_date(known + timedelta(days=7), "d MMM yyyy")
        left = ngettext("%(num)d day left", "%(num)d days left", 5)
    assert f"<strong>{due}</strong>" in page and left in page
    assert "Ajukan Informasi Awal" in page
    assert "Perkara dibuat" in page and "Bukti ditambahkan" in page


def test_koordinator_walks_a_temuan_from_draft_to_closed(
    app, client, as_role, make_case, make_capture, pns, users
):
    case = make_case(captures=[make_capture()])
    case_id = case.id
    as_role("koordinator")
    assert send(client, case_id, "/terlapor", {"terlapor_id": pns.id}).status_code == 302

    def step(action, expected_state, **fields):
        response = act(client, case_id, action, **fields)
        assert response.status_code == 302, text_of(response)
        assert reload(Case, case_id).state == expected_state.value
        page = client.get(f"/cases/{case_id}")
        assert page.status_code == 200
        return text_of(page)

    step("submit", S.INFORMASI_AWAL)
    step("establish_finding", S.TEMUAN, pleno_date="2026-11-03", note="Pleno 3 November")
    page = step("register", S.DIREGISTRASI, registered_date="2026-11-04")
    case = reload(Case, case_id)
    assert case.number.startswith("001/PL/PB/Kab/") and case.registered_date == date(2026, 11, 4)
    assert case.number in page
    step("start_clarification", S.DALAM_KLARIFIKASI)
    page = step("start_kajian", S.DALAM_KAJIAN, notes="Memenuhi unsur netralitas ASN.")
    route = route_by_code("pns")
    # the route fits the PNS terlapor: it is suggested and preselected
    assert re.search(rf'<option selected value="{route.id}">', page) or re.search(
        rf'<option value="{route.id}" selected>', page
    )
    page = step(
        "decide",
        S.DITERUSKAN_INSTANSI,
        decision="pelanggaran",
        route=str(route.id),
        decision_date="2026-11-08",
        pleno_result="Terbukti melanggar netralitas ASN.",
    )
    case = reload(Case, case_id)
    assert case.route.code == "pns" and case.decision == "pelanggaran"
    assert case.checklist, "the route's checklist was copied"
    # forward: recipients and copies are prefilled from the route; one copy is added
    recipients = textarea(page, "forward-recipients")
    copies = textarea(page, "forward-copies")
    assert "BKN" in recipients
    assert "Sekretaris Daerah" in copies and "Bawaslu Provinsi" in copies
    step(
        "forward",
        S.MENUNGGU_TINDAK_LANJUT,
        letter_number="123/PP.01/K.BB-06/11/2026",
        letter_date="2026-11-10",
        recipients=recipients,
        copies=copies + "\nInspektorat Daerah",
    )
    case = reload(Case, case_id)
    assert case.letter_number == "123/PP.01/K.BB-06/11/2026"
    sent = [(r.kind, r.agency.code if r.agency else r.name) for r in case.recipients]
    assert sent == [
        ("recipient", "bkn"),
        ("copy", "bupati_ppk"),
        ("copy", "sekda"),
        ("copy", "bkpsdm"),
        ("copy", "bawaslu_provinsi"),
        ("copy", "Inspektorat Daerah"),
    ]
    step(
        "record_follow_up",
        S.SUDAH_DITINDAKLANJUTI,
        followed_up="1",
        outcome="Teguran tertulis oleh PPK",
        reference_number="800/123/BKPSDM",
        reference_date="2026-11-20",
    )
    page = step("close", S.SELESAI, note="Selesai ditindaklanjuti")

    assert audit_actions(case_id) == [
        "case_created",
        "case_evidence_added",
        "case_terlapor_added",
        "case_submit",
        "case_establish_finding",
        "case_register",
        "case_start_clarification",
        "case_start_kajian",
        "case_route_chosen",
        "case_decide",
        "case_forward",
        "case_record_follow_up",
        "case_close",
    ]
    actors = set(
        db.session.scalars(
            select(AuditEvent.actor_username).where(AuditEvent.action.like("case_%"),
                                                    AuditEvent.action != "case_created",
                                                    AuditEvent.action != "case_evidence_added")
        )
    )  # fmt: skip
    assert actors == {"koordinator"}
    for label in (
        "Ajukan Informasi Awal",
        "Tetapkan sebagai Temuan",
        "Registrasi",
        "Mulai Klarifikasi",
        "Mulai Kajian",
        "Putuskan (Pleno)",
        "Kirim Surat (Rekomendasi/Penerusan)",
        "Catat Tindak Lanjut",
        "Selesaikan",
        "Jalur dan daftar tindak lanjut ditetapkan",
    ):
        assert label in page, label
    assert "Teguran tertulis oleh PPK" in page and "800/123/BKPSDM" in page
    assert "Inspektorat Daerah" in page
    assert "PNS → BKN (Penerusan)" in page.split('id="timeline"')[1]
    # a finished case offers only archiving
    assert f'action="/cases/{case_id}/actions/archive"' in page
    assert "/actions/close" not in page


def test_operator_is_refused_registration(app, client, as_role, make_case, users):
    case = walk(make_case(), users["koordinator"], S.TEMUAN.value)
    before = audit_actions(case.id)
    as_role("operator")
    page = text_of(client.get(f"/cases/{case.id}"))
    assert "/actions/register" not in page  # no button for a step the role may not take
    response = act(client, case.id, "register", registered_date="2026-11-04")
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    expected = say(
        app,
        "Your role (%(role)s) may not “%(action)s”; only %(roles)s may. Nothing was changed.",
        role="operator",
        action="Registrasi",
        roles="koordinator, admin",
    )
    assert expected in shown
    case = reload(Case, case.id)
    assert case.state == S.TEMUAN.value and case.number is None
    assert audit_actions(case.id) == before


def test_action_from_the_wrong_state_is_refused(app, client, as_role, make_case):
    case = make_case()
    as_role("koordinator")
    response = act(client, case.id, "close")
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Selesaikan" in shown and "Draf" in shown
    assert 'class="flash flash-error"' in shown
    assert reload(Case, case.id).state == S.DRAF.value
    assert client.get(f"/cases/{case.id}/actions/nothing").status_code == 405
    assert act(client, case.id, "fly").status_code == 404


def test_invalid_input_rerenders_with_an_error(app, client, as_role, make_case, users):
    case = walk(make_case(), users["koordinator"], S.DITERUSKAN_INSTANSI.value)
    before = audit_actions(case.id)
    as_role("koordinator")
    response = act(
        client, case.id, "forward", letter_number="  ", letter_date="2026-11-10",
        recipients="Kepala BKN",
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<details class="case-action" id="action-forward" open>' in page
    assert 'id="forward-letter_number"' in page and 'aria-invalid="true"' in page
    expected = "“%(action)s” was not done: check the form below."
    assert say(app, expected, action="Kirim Surat (Rekomendasi/Penerusan)") in html.unescape(page)
    response = act(
        client, case.id, "forward", letter_number="1/2026", letter_date="10-11-2026x",
        recipients="Kepala BKN",
    )  # fmt: skip
    assert response.status_code == 400
    assert reload(Case, case.id).state == S.DITERUSKAN_INSTANSI.value
    assert audit_actions(case.id) == before


def test_bad_and_future_dates_are_refused(app, client, as_role, make_case, users):
    case = walk(make_case(), users["koordinator"], S.TEMUAN.value)
    as_role("koordinator")
    assert act(client, case.id, "register", registered_date="2026-02-30").status_code == 400
    future = (deadlines.today() + timedelta(days=1)).isoformat()
    response = act(client, case.id, "register", registered_date=future)
    assert response.status_code == 400
    assert say(app, "This date lies in the future.") in response.get_data(as_text=True)
    assert reload(Case, case.id).state == S.TEMUAN.value


def test_decision_needs_a_route_and_discontinuing_needs_confirmation(
    app, client, as_role, make_case, users
):
    as_role("koordinator")
    deciding = walk(make_case(), users["koordinator"], S.DALAM_KAJIAN.value)
    response = act(client, deciding.id, "decide", decision="pelanggaran", route="")
    assert response.status_code == 400
    message = say(app, "A violation needs a route: where does the case go?")
    assert message in response.get_data(as_text=True)
    response = act(client, deciding.id, "decide", decision="bukan_pelanggaran", route="",
                   pleno_result="Tidak terbukti")  # fmt: skip
    assert response.status_code == 302
    assert reload(Case, deciding.id).state == S.BUKAN_PELANGGARAN.value

    pending = walk(make_case(title="Kedua"), users["koordinator"], S.INFORMASI_AWAL.value)
    assert act(client, pending.id, "discontinue", reason="Bukan ASN").status_code == 400
    assert reload(Case, pending.id).state == S.INFORMASI_AWAL.value
    response = act(client, pending.id, "discontinue", reason="Bukan ASN", confirm="y")
    assert response.status_code == 302
    case = reload(Case, pending.id)
    assert case.state == S.BUKAN_PELANGGARAN.value and case.pleno_result == "Bukan ASN"


def test_a_laporan_goes_through_completion(app, client, as_role, make_case):
    case = make_case(source="laporan")
    as_role("operator")
    assert act(client, case.id, "receive_report", received_date="2026-11-03").status_code == 302
    assert reload(Case, case.id).received_date == date(2026, 11, 3)
    as_role("koordinator")
    assert act(client, case.id, "request_completion", missing="").status_code == 400
    response = act(client, case.id, "request_completion", missing="Fotokopi KTP pelapor")
    assert response.status_code == 302
    page = text_of(client.get(f"/cases/{case.id}"))
    assert "Fotokopi KTP pelapor" in page  # the timeline keeps what is missing
    assert "Laporan Dilengkapi" in page and "Tidak Memenuhi Syarat" in page
    assert html.unescape(say(app, "The reporter completes the report within 2×24 hours")) in page
    assert act(client, case.id, "complete_report").status_code == 302
    assert reload(Case, case.id).state == S.LAPORAN_DITERIMA.value


def test_attach_and_remove_evidence(app, client, as_role, make_case, make_capture):
    case = make_case()
    by_uuid = make_capture(url="https://x.com/a/status/1")
    by_page = make_capture(url="https://x.com/a/status/2")
    by_url = make_capture(url="https://x.com/a/status/3")
    withdrawn = make_capture(url="https://x.com/a/status/4", withdrawal_reason="Duplikat",
                             withdrawn_at=by_url.received_at)  # fmt: skip
    as_role("operator")
    for value in (
        str(by_uuid.capture_uuid),
        f"http://localhost/evidence/{by_page.capture_uuid}",
        by_url.url,
    ):
        assert send(client, case.id, "/evidence", {"capture": value}).status_code == 302
    case = reload(Case, case.id)
    assert [e.capture_id for e in case.evidence] == [by_uuid.id, by_page.id, by_url.id]

    again = send(client, case.id, "/evidence", {"capture": by_url.url})
    shown = client.get(again.headers["Location"]).get_data(as_text=True)
    assert say(app, "This capture is already evidence in the case.") in shown
    gone = send(client, case.id, "/evidence", {"capture": str(withdrawn.capture_uuid)})
    shown = client.get(gone.headers["Location"]).get_data(as_text=True)
    assert say(app, "A withdrawn capture cannot be used as evidence.") in shown
    unknown = send(client, case.id, "/evidence", {"capture": "https://nowhere.example/"})
    assert unknown.status_code == 400

    remove = f"/evidence/{by_page.id}/remove"
    refused = send(client, case.id, remove, {"reason": " "})
    shown = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert say(app, "Give the reason for removing the evidence.") in shown
    assert len(reload(Case, case.id).evidence) == 3
    response = send(client, case.id, remove, {"reason": "Salah tautan"})
    assert response.status_code == 302
    case = reload(Case, case.id)
    assert [e.capture_id for e in case.evidence] == [by_uuid.id, by_url.id]
    assert db.session.get(Capture, by_page.id) is not None  # the capture stays stored
    assert audit_actions(case.id).count("case_evidence_removed") == 1
    page = text_of(client.get(f"/cases/{case.id}"))
    assert "Bukti dikeluarkan" in page and "Salah tautan" in page


def test_terlapor_search_add_and_remove(app, client, as_role, make_case, pns):
    case = make_case()
    as_role("operator")
    page = text_of(client.get(f"/cases/{case.id}?terlapor_q=budi"))
    assert "Drs. Budi Santoso" in page
    assert f'href="/terlapor/new?case={case.id}"' in page
    response = send(client, case.id, "/terlapor", {"terlapor_id": pns.id})
    assert response.status_code == 302
    assert [p.id for p in reload(Case, case.id).terlapor] == [pns.id]
    page = text_of(client.get(f"/cases/{case.id}?terlapor_q=budi"))
    assert f'href="/terlapor/{pns.id}"' in page
    assert 'name="terlapor_id"' not in page  # already named: not offered again
    bad = send(client, case.id, "/terlapor", {"terlapor_id": "abc"})
    shown = client.get(bad.headers["Location"]).get_data(as_text=True)
    assert say(app, "Choose a terlapor from the search results.") in shown
    response = send(client, case.id, f"/terlapor/{pns.id}/remove")
    assert response.status_code == 302
    assert reload(Case, case.id).terlapor == []
    assert db.session.get(Terlapor, pns.id) is not None
    assert audit_actions(case.id)[-2:] == ["case_terlapor_added", "case_terlapor_removed"]


def test_operator_may_change_only_drafts(app, client, as_role, make_case, pns, users):
    case = walk(make_case(), users["koordinator"], S.INFORMASI_AWAL.value)
    as_role("operator")
    page = text_of(client.get(f"/cases/{case.id}"))
    assert f"/cases/{case.id}/edit" not in page and "/terlapor/new" not in page
    response = send(client, case.id, "/terlapor", {"terlapor_id": pns.id})
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="flash flash-error"' in shown
    assert reload(Case, case.id).terlapor == []
    assert client.get(f"/cases/{case.id}/edit").status_code == 302


def test_edit_fields_and_legal_bases(app, client, as_role, make_case, reference_data):
    case = make_case()
    as_role("koordinator")
    assert client.get(f"/cases/{case.id}/edit").status_code == 200
    bases = db.session.scalars(
        select(LegalBasis).where(LegalBasis.code.in_(["uu10_2016_p70", "pp94_2021"]))
    ).all()
    hoax = category("hoaks")
    fields = {
        "title": "Judul baru",
        "category": str(hoax.id),
        "known_date": "2026-11-01",
        "summary": "Ringkasan baru",
        "kajian_notes": "",
        "legal_bases": [str(b.id) for b in bases],
    }
    path = f"/cases/{case.id}/edit"
    response = post_form(client, path, fields, token_page=path)
    assert response.status_code == 302
    case = reload(Case, case.id)
    assert (case.title, case.category_id, case.known_date) == (
        "Judul baru",
        hoax.id,
        date(2026, 11, 1),
    )
    assert sorted(b.code for b in case.legal_bases) == ["pp94_2021", "uu10_2016_p70"]
    assert audit_actions(case.id)[-2:] == ["case_updated", "case_legal_bases_set"]
    again = post_form(client, path, fields, token_page=path)
    shown = client.get(again.headers["Location"]).get_data(as_text=True)
    assert say(app, "Nothing changed.") in shown
    assert audit_actions(case.id)[-2:] == ["case_updated", "case_legal_bases_set"]
    page = text_of(client.get(f"/cases/{case.id}"))
    timeline = page.split('id="timeline"')[1]
    assert "Data perkara diubah" in timeline and "Dasar hukum ditetapkan" in timeline
    # codes in the events are shown by name
    assert "Hoaks" in timeline and "UU 10/2016 Pasal 70" in timeline
    bad = post_form(client, path, {**fields, "title": ""}, token_page=path)
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.get_data(as_text=True)


def test_parties_pelapor_only_for_a_laporan(app, client, as_role, make_case):
    temuan = make_case()
    laporan = make_case(source="laporan", title="Laporan warga")
    as_role("operator")
    page = client.get(f"/cases/{temuan.id}").get_data(as_text=True)
    assert 'value="saksi"' in page and 'value="pelapor"' not in page
    refused = send(client, temuan.id, "/parties", {"role": "pelapor", "name": "Ani"})
    assert refused.status_code == 400
    ok = send(client, temuan.id, "/parties", {"role": "saksi", "name": "Ani", "phone": "0812"})
    assert ok.status_code == 302
    nameless = send(client, laporan.id, "/parties", {"role": "pelapor", "name": ""})
    assert nameless.status_code == 400
    pelapor = {"role": "pelapor", "name": "Budi Warga", "identity_number": "3201010101010001"}
    assert send(client, laporan.id, "/parties", pelapor).status_code == 302
    laporan = reload(Case, laporan.id)
    assert [(p.role, p.name, p.identity_number) for p in laporan.parties] == [
        ("pelapor", "Budi Warga", "3201010101010001")
    ]
    assert [p.role for p in reload(Case, temuan.id).parties] == ["saksi"]
    assert audit_actions(laporan.id)[-1] == "case_party_added"
    page = text_of(client.get(f"/cases/{laporan.id}"))
    assert "Budi Warga" in page and "Pelapor/saksi ditambahkan" in page
