"""The follow-up checklist in the web UI: the partial the case page includes, and its routes.

The case page itself (``cases.show_case``) is built elsewhere; here the partial is rendered the
way that page includes it, from ``case`` alone. The routes are driven through the test client
with CSRF tokens, the way a browser posts the forms; documents go to the real SeaweedFS.
Messages are read in English (the session's language): they stay the same whether or not the
Indonesian catalogue already has them.
"""

import hashlib
import io
import re
from datetime import date, timedelta

import pytest
from flask import render_template_string, session
from flask_login import login_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from sipansos.cases.checklist_views import document_filename
from sipansos.extensions import db
from sipansos.models import AuditEvent, Case, CaseChecklistItem, CaseDocument, CaseState, User
from sipansos.services import cases, checklists, deadlines
from sipansos.services.reference import route_by_code
from sipansos.services.terlapor import create_terlapor
from sipansos.storage import get_store
from tests.cases.flow import walk
from tests.conftest import csrf_token, login

PDF = b"%PDF-1.4\n% Tanda terima surat Penerusan oleh BKN\n%%EOF\n"


@pytest.fixture
def pns_case(make_case, users):
    """``pns_case(registered_date)``: a registered PNS case with the PNS route's checklist."""

    def make(registered_date=None, title="Kepala sekolah mengunggah dukungan"):
        person = create_terlapor(users["operator"], name="Budi Santoso", employment_status="pns")
        case = make_case(terlapor=[person], title=title)
        walk(case, users["koordinator"], CaseState.TEMUAN.value)
        cases.register_case(case, users["koordinator"], registered_date=registered_date)
        cases.choose_route(case, users["koordinator"], route_by_code("pns"))
        return case.id

    return make


@pytest.fixture
def signed_in(app, client, users):
    """``signed_in(role)``: the client signed in as that role's user, pages in English."""

    def sign_in(role="koordinator"):
        with app.app_context():
            assert login(client, role).status_code == 302
        post(client, "/language/en", {"next": "/"})
        return client

    return sign_in


def fresh(model, ident):
    """The row as now stored (the requests committed in other sessions)."""
    db.session.rollback()
    return db.session.get(model, ident)


def items_of(case_id):
    return fresh(Case, case_id).checklist


def render_checklist(app, case_id, username="koordinator"):
    """The partial as the case page includes it, for ``username``, in English."""
    # Its own app context: what it caches (user, locale) must not leak into the client's.
    with app.app_context(), app.test_request_context("/"):
        session["lang"] = "en"
        user = db.session.scalar(select(User).where(User.username == username))
        login_user(user)
        case = db.session.get(Case, case_id)
        return render_template_string('{% include "cases/_checklist.html" %}', case=case)


def item_html(html, item_id):
    """The ``<li>`` of one item."""
    match = re.search(rf'<li [^>]*id="checklist-item-{item_id}".*?</li>', html, re.S)
    assert match, f"item {item_id} is not shown"
    return match.group(0)


def flashes(client):
    with client.session_transaction() as sess:
        return [message for _category, message in sess.pop("_flashes", [])]


# The ``ctx`` fixture keeps an app context open for the whole test, and a request would reuse
# it (with its cached locale and user): each request gets an app context of its own instead.


def post(client, path, data=None, **kwargs):
    """POST a form as a browser does, with the session's CSRF token."""
    with client.application.app_context():
        token = csrf_token(client, "/")
    with client.application.app_context():
        return client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)


def upload(client, case_id, item_id, data, filename):
    """Send a file through the item's document form, encoded in memory: werkzeug's test client
    would spool a large body to a temporary file that it never closes."""
    with client.application.app_context():
        token = csrf_token(client, "/")
    fields = {"csrf_token": token, "file": FileStorage(io.BytesIO(data), filename)}
    body, _length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    with client.application.app_context():
        return client.post(
            f"/cases/{case_id}/checklist/{item_id}/documents",
            data=body.getvalue(),
            content_type=f"multipart/form-data; boundary={boundary}",
        )


def get(client, path):
    with client.application.app_context():
        return client.get(path)


def test_ticking_an_item_done_records_who_when_and_the_letter(app, signed_in, pns_case, users):
    client = signed_in("koordinator")
    case_id = pns_case(registered_date=deadlines.today() - timedelta(days=2))
    item = items_of(case_id)[1]
    done_on = deadlines.today() - timedelta(days=1)
    response = post(
        client,
        f"/cases/{case_id}/checklist/{item.id}/done",
        {
            "done_on": done_on.isoformat(),
            "note": "Undangan diterima langsung oleh yang bersangkutan.",
            "letter_number": "045/PP.01/K.JB-06/11/2026",
            "letter_date": done_on.isoformat(),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case_id}#checklist"
    assert flashes(client) == [f"Step done: “{item.title}”"]

    item = fresh(CaseChecklistItem, item.id)
    assert item.done and item.done_on == done_on
    assert item.done_by == fresh(User, users["koordinator"].id) and item.done_at is not None
    assert item.letter_number == "045/PP.01/K.JB-06/11/2026" and item.letter_date == done_on
    assert item.note == "Undangan diterima langsung oleh yang bersangkutan."
    event = item.case.events[-1]
    assert event.kind == "checklist_item_done" and event.details["item_id"] == item.id
    audit = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert audit.action == "case_checklist_item_done" and audit.actor_username == "koordinator"
    assert audit.target_id == str(case_id)

    html = item_html(render_checklist(app, case_id), item.id)
    assert 'data-status="done"' in html
    assert "045/PP.01/K.JB-06/11/2026" in html and "Koordinator" in html
    assert f"{done_on.day} {done_on.strftime('%b')} {done_on.year}" in html
    assert "/reopen" in html and "/done" not in html


def test_the_done_form_defaults_to_today_and_refuses_a_future_date(app, signed_in, pns_case):
    client = signed_in("koordinator")
    case_id = pns_case()
    item = items_of(case_id)[0]
    html = item_html(render_checklist(app, case_id), item.id)
    assert f'name="done_on" value="{deadlines.today().isoformat()}"' in html

    tomorrow = deadlines.today() + timedelta(days=1)
    path = f"/cases/{case_id}/checklist/{item.id}/done"
    post(client, path, {"done_on": tomorrow.isoformat()})
    assert flashes(client) == ["Done on: A step cannot be done on a date in the future."]
    post(client, path, {"done_on": "kemarin"})
    assert len(flashes(client)) == 1
    assert not fresh(CaseChecklistItem, item.id).done


def test_ticking_twice_is_refused_with_a_message(signed_in, pns_case):
    client = signed_in("koordinator")
    case_id = pns_case()
    item = items_of(case_id)[0]
    path = f"/cases/{case_id}/checklist/{item.id}/done"
    post(client, path, {"done_on": deadlines.today().isoformat()})
    flashes(client)
    events = len(fresh(Case, case_id).events)
    post(client, path, {"done_on": deadlines.today().isoformat()})
    assert flashes(client) == [f"“{item.title}” is already done."]
    assert len(fresh(Case, case_id).events) == events


def test_reopening_needs_a_reason_and_lands_on_the_timeline(app, signed_in, pns_case):
    client = signed_in("admin")
    case_id = pns_case()
    item = items_of(case_id)[0]
    post(client, f"/cases/{case_id}/checklist/{item.id}/done", {"done_on": "2026-11-20"})
    flashes(client)

    path = f"/cases/{case_id}/checklist/{item.id}/reopen"
    post(client, path, {"reason": "  "})
    assert flashes(client) == ["Reason: Give the reason for reopening this step."]
    assert fresh(CaseChecklistItem, item.id).done

    post(client, path, {"reason": "Salah centang: NIP belum dikonfirmasi."})
    assert flashes(client) == [f"Step reopened: “{item.title}”"]
    item = fresh(CaseChecklistItem, item.id)
    assert not item.done and item.done_on is None and item.done_by is None
    event = item.case.events[-1]
    assert event.kind == "checklist_item_reopened"
    assert event.details["reason"] == "Salah centang: NIP belum dikonfirmasi."

    post(client, path, {"reason": "lagi"})
    assert flashes(client) == [f"“{item.title}” is not done."]
    assert 'data-status="' in item_html(render_checklist(app, case_id, "admin"), item.id)


def test_an_added_working_day_item_shows_its_due_date(app, signed_in, pns_case):
    # Registered on Thursday 24 Dec 2026: Christmas and the weekend are not working days.
    client = signed_in("koordinator")
    case_id = pns_case(registered_date=date(2026, 12, 24))
    response = post(
        client,
        f"/cases/{case_id}/checklist",
        {
            "title": "Minta salinan SK pengangkatan dari BKPSDM",
            "actor": "Staf Penanganan Pelanggaran",
            "deadline_days": "2",
            "deadline_unit": "working",
            "deadline_anchor": "registered_date",
        },
    )
    assert response.headers["Location"] == f"/cases/{case_id}#checklist"
    assert flashes(client) == ["Step added: “Minta salinan SK pengangkatan dari BKPSDM”"]
    added = items_of(case_id)[-1]
    assert added.title == "Minta salinan SK pengangkatan dari BKPSDM"
    assert added.actor == "Staf Penanganan Pelanggaran" and added.route_code is None
    assert added.due_date == date(2026, 12, 29)
    assert added.position == max(i.position for i in items_of(case_id))
    assert fresh(Case, case_id).events[-1].kind == "checklist_item_added"

    html = item_html(render_checklist(app, case_id), added.id)
    assert "29 Dec 2026" in html and "2 working days from the registration date" in html
    assert "Staf Penanganan Pelanggaran" in html


def test_adding_an_item_checks_the_deadline_rule(signed_in, pns_case):
    client = signed_in("koordinator")
    case_id = pns_case()
    count = len(items_of(case_id))
    path = f"/cases/{case_id}/checklist"
    post(client, path, {"title": "Surat ke Camat", "deadline_days": "3"})
    assert flashes(client) == [
        "Deadline (days): A deadline needs the number of days, the kind of days and the "
        "starting date."
    ]
    post(client, path, {"title": " ", "deadline_days": "3"})
    assert flashes(client) == ["Step: Describe the step."]
    post(client, path, {"title": "Surat", "deadline_days": "-1", "deadline_unit": "calendar",
                        "deadline_anchor": "known_date"})  # fmt: skip
    assert flashes(client) == ["Deadline (days): The deadline must be from 0 to 366 days."]
    post(client, path, {"title": "Surat", "deadline_days": "1", "deadline_unit": "weeks",
                        "deadline_anchor": "known_date"})  # fmt: skip
    assert flashes(client) == ["Counted in: Not a valid choice."]
    assert len(items_of(case_id)) == count

    post(client, path, {"title": "Telepon Sekda"})  # no deadline at all is fine
    assert flashes(client) == ["Step added: “Telepon Sekda”"]
    assert items_of(case_id)[-1].due_date is None


def test_overdue_and_upcoming_items_are_marked(app, signed_in, pns_case):
    signed_in("koordinator")
    case_id = pns_case(registered_date=deadlines.today() - timedelta(days=4))
    html = render_checklist(app, case_id)
    today = deadlines.today()
    shown = 0
    for item in items_of(case_id):
        status, left = checklists.item_status(item)
        if item.due_date is None:
            continue
        shown += 1
        row = item_html(html, item.id)
        assert f'data-days-left="{(item.due_date - today).days}"' in row
        if item.due_date < today:
            days = (today - item.due_date).days
            assert status == "overdue" and 'data-status="overdue"' in row
            assert f"{days} day{'s' if days > 1 else ''} overdue" in row
        elif item.due_date > today:
            days = (item.due_date - today).days
            assert status == "due" and f"{days} day{'s' if days > 1 else ''} left" in row
    assert shown >= 2
    # Clarification: 3 calendar days from registration, 4 days ago → 1 day overdue.
    clarification = items_of(case_id)[1]
    assert "1 day overdue" in item_html(html, clarification.id)
    # Kajian and pleno: 5 days from registration → tomorrow.
    assert "1 day left" in item_html(html, items_of(case_id)[2].id)
    assert 'data-done="0"' in html and f'data-total="{len(items_of(case_id))}"' in html


def test_a_document_is_stored_in_the_evidence_store_and_downloads_unchanged(
    app, signed_in, pns_case
):
    client = signed_in("koordinator")
    case_id = pns_case()
    item = items_of(case_id)[4]
    name = "Tanda terima BKN – 2026.pdf"
    response = upload(client, case_id, item.id, PDF, name)
    assert response.headers["Location"] == f"/cases/{case_id}#checklist"
    digest = hashlib.sha256(PDF).hexdigest()
    assert flashes(client) == [f"Document “{name}” stored (SHA-256 {digest})."]

    document = fresh(CaseChecklistItem, item.id).documents[0]
    assert (document.sha256, document.size, document.filename) == (digest, len(PDF), name)
    assert document.media_type == "application/pdf"
    with get_store().open(digest) as reader:  # really in SeaweedFS
        assert reader.read() == PDF
    assert document.item.case.events[-1].kind == "document_attached"

    download = get(client, f"/cases/{case_id}/documents/{document.id}")
    assert download.status_code == 200
    assert download.data == PDF and hashlib.sha256(download.data).hexdigest() == digest
    assert download.mimetype == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Tanda%20terima%20BKN%20%E2%80%93%202026.pdf" in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    html = item_html(render_checklist(app, case_id), item.id)
    assert f"/cases/{case_id}/documents/{document.id}" in html
    assert digest[:12] in html and name in html


def test_document_types_come_from_the_bytes_and_pages_download_as_bytes(signed_in, pns_case):
    client = signed_in("koordinator")
    case_id = pns_case()
    item = items_of(case_id)[3]
    uploads = [
        (b"<!doctype html><script>alert(1)</script>", "surat.pdf", "text/html"),
        (b"PK\x03\x04" + b"\0" * 40, "Surat Penerusan.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (b"\x00\x01\x02binary", "scan.bin", "application/octet-stream"),
    ]  # fmt: skip
    for data, name, _expected in uploads:
        upload(client, case_id, item.id, data, name)
    documents = fresh(CaseChecklistItem, item.id).documents
    assert [d.media_type for d in documents] == [expected for _d, _n, expected in uploads]
    assert [d.filename for d in documents] == ["surat.pdf", "Surat Penerusan.docx", "scan.bin"]
    page = get(client, f"/cases/{case_id}/documents/{documents[0].id}")
    assert page.mimetype == "application/octet-stream"  # never rendered as a page
    assert page.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert page.data == uploads[0][0]


def test_document_names_keep_no_path_or_control_characters():
    assert document_filename("C:\\fakepath\\Surat\u200b balasan\r\n.pdf") == "Surat balasan.pdf"
    assert document_filename("../../etc/passwd") == "passwd"
    assert document_filename("Keputusan Bupati\u0301.pdf") == "Keputusan Bupatí.pdf"
    assert document_filename("\x00") == "dokumen"


def test_an_empty_file_or_no_file_is_refused(signed_in, pns_case):
    client = signed_in("koordinator")
    case_id = pns_case()
    item = items_of(case_id)[0]
    path = f"/cases/{case_id}/checklist/{item.id}/documents"
    upload(client, case_id, item.id, b"", "kosong.pdf")
    assert flashes(client) == ["“kosong.pdf” is empty."]
    post(client, path, {}, content_type="multipart/form-data")
    assert flashes(client) == ["Document: Choose a file to upload."]
    assert fresh(CaseChecklistItem, item.id).documents == []


def test_items_and_documents_of_another_case_are_not_found(signed_in, pns_case, users):
    client = signed_in("koordinator")
    first = pns_case()
    second = pns_case(title="Camat berfoto dengan calon")
    item = items_of(first)[0]
    document = checklists.attach_document(
        item, fresh(User, users["koordinator"].id), io.BytesIO(PDF), filename="a.pdf",
        content_type="application/pdf",
    )  # fmt: skip
    document_id = document.id
    today = deadlines.today().isoformat()
    assert (
        post(client, f"/cases/{second}/checklist/{item.id}/done", {"done_on": today}).status_code
        == 404
    )
    assert (
        post(client, f"/cases/{second}/checklist/{item.id}/reopen", {"reason": "x"}).status_code
        == 404
    )
    assert post(client, f"/cases/{second}/checklist/{item.id}/documents").status_code == 404
    assert (
        post(client, f"/cases/{first}/checklist/999999/done", {"done_on": today}).status_code == 404
    )
    assert post(client, "/cases/999999/checklist", {"title": "x"}).status_code == 404
    assert get(client, f"/cases/{second}/documents/{document_id}").status_code == 404
    assert get(client, f"/cases/{first}/documents/999999").status_code == 404
    assert get(client, f"/cases/{first}/documents/{document_id}").status_code == 200
    assert not fresh(CaseChecklistItem, item.id).done


def test_a_closed_case_refuses_changes_and_shows_the_list_read_only(
    app, signed_in, pns_case, users
):
    client = signed_in("koordinator")
    case_id = pns_case()
    case = fresh(Case, case_id)
    walk(case, fresh(User, users["koordinator"].id), CaseState.SELESAI.value)
    item = items_of(case_id)[0]
    events = len(fresh(Case, case_id).events)
    refused = "The case is “Selesai”: its checklist can no longer change."

    post(client, f"/cases/{case_id}/checklist/{item.id}/done", {"done_on": "2026-11-20"})
    assert flashes(client) == [refused]
    post(client, f"/cases/{case_id}/checklist", {"title": "Langkah baru"})
    assert flashes(client) == [refused]
    upload(client, case_id, item.id, PDF, "x.pdf")
    assert flashes(client) == [refused]
    assert len(fresh(Case, case_id).events) == events
    assert not fresh(CaseChecklistItem, item.id).done
    assert fresh(CaseChecklistItem, item.id).documents == []

    html = render_checklist(app, case_id)
    assert refused in html
    assert "<form" not in html


def test_operators_see_the_checklist_but_only_koordinator_and_admin_change_it(
    app, client, signed_in, pns_case, users
):
    case_id = pns_case()
    item = items_of(case_id)[0]
    document = checklists.attach_document(
        item, fresh(User, users["admin"].id), io.BytesIO(PDF), filename="a.pdf",
        content_type="application/pdf",
    )  # fmt: skip
    document_id = document.id
    signed_in("operator")
    today = deadlines.today().isoformat()
    assert (
        post(client, f"/cases/{case_id}/checklist/{item.id}/done", {"done_on": today}).status_code
        == 403
    )
    assert post(client, f"/cases/{case_id}/checklist", {"title": "x"}).status_code == 403
    assert (
        post(client, f"/cases/{case_id}/checklist/{item.id}/reopen", {"reason": "x"}).status_code
        == 403
    )
    assert post(client, f"/cases/{case_id}/checklist/{item.id}/documents").status_code == 403
    assert get(client, f"/cases/{case_id}/documents/{document_id}").data == PDF
    assert not fresh(CaseChecklistItem, item.id).done

    html = render_checklist(app, case_id, "operator")
    assert "Only a koordinator or an admin may change the checklist." in html
    assert "<form" not in html and item.title in html
    koordinator_html = render_checklist(app, case_id, "koordinator")
    # Per open item: done and attach; then one form to add a step.
    assert koordinator_html.count("<form") == 2 * len(items_of(case_id)) + 1


def test_a_case_without_a_route_shows_an_empty_checklist(app, signed_in, make_case):
    signed_in("koordinator")
    case_id = make_case().id
    html = render_checklist(app, case_id)
    assert "No follow-up steps yet." in html and "<progress" not in html
    assert f'action="/cases/{case_id}/checklist"' in html


def test_the_store_being_down_loses_nothing(app, signed_in, pns_case, monkeypatch):
    from sipansos.storage import StorageUnavailable

    client = signed_in("koordinator")
    case_id = pns_case()
    item = items_of(case_id)[0]
    store = app.extensions["evidence_store"]

    def unavailable(*args, **kwargs):
        raise StorageUnavailable("down for a test")

    monkeypatch.setattr(store, "put", unavailable)
    upload(client, case_id, item.id, PDF, "x.pdf")
    assert flashes(client) == ["The evidence store is not available right now. Try again later."]
    assert db.session.scalar(select(db.func.count()).select_from(CaseDocument)) == 0


def test_a_document_over_the_limit_is_refused(signed_in, pns_case, monkeypatch):
    client = signed_in("koordinator")
    case_id = pns_case()
    item = items_of(case_id)[0]
    monkeypatch.setattr(checklists, "MAX_DOCUMENT_BYTES", 1024 * 1024)
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
    upload(client, case_id, item.id, big, "scan-besar.pdf")
    assert flashes(client) == ["“scan-besar.pdf” is larger than 1 MB and was not stored."]
    assert fresh(CaseChecklistItem, item.id).documents == []
    assert not get_store().exists(hashlib.sha256(big).hexdigest())
