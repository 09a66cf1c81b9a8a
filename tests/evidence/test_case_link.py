"""Capture → case: the evidence list's case filter, the capture page's cases, attaching a capture
to an open case and starting a new draft case from it."""

# ruff: noqa: F811 - pytest fixtures imported from tests/cases/conftest.py are test arguments

import re
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from sipansos.extensions import db
from sipansos.models import AuditEvent, Case, CaseEvidence, CaseState
from sipansos.services import capture_cases
from sipansos.services.captures import withdraw_capture
from tests.cases.conftest import (  # noqa: F401
    ctx,
    make_capture,
    make_case,
    reference_data,
    users,
)
from tests.cases.flow import walk
from tests.conftest import login, post_form
from tests.evidence.conftest import listed

FLASH_ERROR = re.compile(r'<div class="flash flash-error"[^>]*>(.*?)</div>', re.S)
FLASH_SUCCESS = re.compile(r'<div class="flash flash-success"[^>]*>(.*?)</div>', re.S)


def links(case_id, capture_id):
    db.session.expire_all()
    return db.session.scalar(
        select(func.count(CaseEvidence.id)).where(
            CaseEvidence.case_id == case_id, CaseEvidence.capture_id == capture_id
        )
    )


def capture_page(client, capture):
    return f"/evidence/{capture.capture_uuid}"


def post(client, capture, suffix, data):
    """POST one of the capture page's forms (with the page's CSRF token), then follow it."""
    page = capture_page(client, capture)
    response = post_form(client, f"{page}/{suffix}", data, token_page=page)
    return response


def flashes(client, capture, pattern):
    html = client.get(capture_page(client, capture)).get_data(as_text=True)
    return [" ".join(m.split()) for m in pattern.findall(html)]


@pytest.fixture
def post_capture_row(make_capture):
    """A capture with post text and author, as the extension stores them."""

    def make(url="https://www.facebook.com/budi/posts/1", **fields):
        fields.setdefault("post_author_name", "Budi Santoso")
        fields.setdefault("post_text", "Ayo dukung pasangan nomor 2!\nSalam dari kantor dinas.")
        fields.setdefault("title", "Budi Santoso | Facebook")
        return make_capture(url=url, **fields)

    return make


def test_evidence_list_filters_captures_with_and_without_a_case(
    client, make_case, post_capture_row
):
    in_case = post_capture_row("https://example.org/a")
    loose = post_capture_row("https://example.org/b")
    in_two = post_capture_row("https://example.org/c")
    make_case(captures=[in_case, in_two])
    make_case(captures=[in_two])
    login(client, "operator")
    ids = {c.id: str(c.capture_uuid) for c in (in_case, loose, in_two)}

    assert sorted(listed(client, "in_case=yes")) == sorted([ids[in_case.id], ids[in_two.id]])
    assert listed(client, "in_case=no") == [ids[loose.id]]
    assert len(listed(client, "in_case=")) == 3
    assert len(listed(client, "in_case=perhaps")) == 3  # an unknown value is ignored
    assert listed(client, "in_case=no&q=example.org/a") == []
    html = client.get("/evidence?in_case=no").get_data(as_text=True)
    assert '<option selected value="no">' in html


def test_capture_page_lists_its_cases_and_offers_open_ones(
    client, make_case, post_capture_row, users
):
    capture = post_capture_row()
    draft = make_case(title="Kasus dengan bukti ini", captures=[capture])
    registered = walk(make_case(title="Kasus terdaftar"), users["koordinator"], "diregistrasi")
    other_draft = make_case(title="Draf lain tentang hoaks", category_code="hoaks")
    finished = walk(make_case(title="Kasus selesai"), users["koordinator"], "selesai")
    login(client, "operator")

    html = client.get(capture_page(client, capture)).get_data(as_text=True)
    section = html[html.index('id="cases"') : html.index("</section>", html.index('id="cases"'))]
    assert f'href="/cases/{draft.id}"' in section and "Kasus dengan bukti ini" in section
    # The select offers open cases the capture is not in yet, newest first.
    options = re.findall(r'<option value="(\d+)">', section)
    assert options == [str(other_draft.id), str(registered.id)]
    assert registered.number in section
    assert str(finished.id) not in options

    searched = client.get(f"{capture_page(client, capture)}?case_q=hoaks").get_data(as_text=True)
    assert re.findall(r'<option value="(\d+)">', searched) == [str(other_draft.id)]
    # The new case form is filled in from the post.
    assert 'value="Budi Santoso: Ayo dukung pasangan nomor 2! Salam dari kantor dinas."' in html


def test_operator_attaches_a_capture_to_a_draft_and_a_registered_case(
    client, make_case, post_capture_row, users
):
    capture = post_capture_row()
    draft = make_case(title="Draf")
    registered = walk(make_case(title="Terdaftar"), users["koordinator"], "diregistrasi")
    login(client, "operator")

    response = post(client, capture, "cases", {"case_id": str(draft.id)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/evidence/{capture.capture_uuid}#cases"
    assert links(draft.id, capture.id) == 1
    assert any(f"#{draft.id}" in m for m in flashes(client, capture, FLASH_SUCCESS))

    # By register number (surrounding blanks ignored): operators may add evidence after Draf.
    response = post(client, capture, "cases", {"number": f"  {registered.number} "})
    assert response.status_code == 302
    assert links(registered.id, capture.id) == 1
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "case_evidence_added",
            AuditEvent.target_id == str(registered.id),
        )
    ).one()
    assert event.actor_username == "operator"
    assert event.details["capture_id"] == str(capture.capture_uuid)

    html = client.get(capture_page(client, capture)).get_data(as_text=True)
    for case in (draft, registered):
        assert f'href="/cases/{case.id}"' in html
    assert capture_cases.cases_of(capture) == [draft, registered]


def test_attaching_twice_says_so_and_keeps_one_link(client, make_case, post_capture_row):
    capture = post_capture_row()
    case = make_case(captures=[capture])
    login(client, "operator")
    response = post(client, capture, "cases", {"case_id": str(case.id)})
    assert response.status_code == 302
    assert links(case.id, capture.id) == 1
    [message] = flashes(client, capture, FLASH_ERROR)
    assert f"#{case.id}" in message


def test_attach_refusals_are_messages_not_errors(client, make_case, post_capture_row, users):
    capture = post_capture_row()
    finished = walk(make_case(title="Selesai"), users["koordinator"], "selesai")
    login(client, "operator")

    for data in ({}, {"case_id": "abc"}, {"case_id": "999999"}, {"number": "404/PL/X/2026"}):
        response = post(client, capture, "cases", data)
        assert response.status_code == 302, data
        assert len(flashes(client, capture, FLASH_ERROR)) == 1, data

    response = post(client, capture, "cases", {"case_id": str(finished.id)})
    assert response.status_code == 302
    [message] = flashes(client, capture, FLASH_ERROR)
    assert finished.number in message and "Selesai" in message
    assert links(finished.id, capture.id) == 0

    # An unknown capture is a 404, never a 500.
    assert post_form(client, f"/evidence/{uuid.uuid4()}/cases", {"case_id": "1"}).status_code == 404


def test_withdrawn_capture_cannot_join_or_start_a_case(client, make_case, post_capture_row, users):
    capture = post_capture_row()
    case = make_case()
    withdraw_capture(users["koordinator"], capture, "Bukan unggahan yang dimaksud")
    login(client, "operator")
    cases_before = db.session.scalar(select(func.count(Case.id)))

    html = client.get(capture_page(client, capture)).get_data(as_text=True)
    assert f'action="/evidence/{capture.capture_uuid}/cases"' not in html

    assert post(client, capture, "cases", {"case_id": str(case.id)}).status_code == 302
    assert links(case.id, capture.id) == 0
    assert len(flashes(client, capture, FLASH_ERROR)) == 1

    assert post(client, capture, "cases/new", {"title": "Coba"}).status_code == 302
    assert db.session.scalar(select(func.count(Case.id))) == cases_before
    assert len(flashes(client, capture, FLASH_ERROR)) == 1


def test_start_a_new_case_from_a_capture(client, reference_data, post_capture_row, users):
    # 18:00 UTC on 20 November is 01:00 WIB on the 21st: the case is known from the 21st.
    capture = post_capture_row()
    capture.received_at = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
    db.session.commit()
    login(client, "operator")

    response = post(client, capture, "cases/new", {"title": "", "category": "hoaks"})
    assert response.status_code == 302
    case = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert case.state == CaseState.DRAF
    assert case.source == "temuan"
    assert case.category.code == "hoaks"
    assert case.known_date == date(2026, 11, 21)
    assert case.title == "Budi Santoso: Ayo dukung pasangan nomor 2! Salam dari kantor dinas."
    assert case.created_by == users["operator"]
    assert links(case.id, capture.id) == 1
    assert [e.kind for e in case.events] == ["created", "evidence_added"]

    # A second case from the same capture: a capture may be in any number of cases.
    response = post(client, capture, "cases/new", {"title": "Judul sendiri", "category": ""})
    second = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert response.headers["Location"] == f"/cases/{second.id}"
    assert (second.title, second.category) == ("Judul sendiri", None)
    assert len(capture_cases.cases_of(capture)) == 2

    # An unknown category is a message, not a case without one.
    count = db.session.scalar(select(func.count(Case.id)))
    response = post(client, capture, "cases/new", {"category": "bukan_kategori"})
    assert response.headers["Location"] == f"/evidence/{capture.capture_uuid}#cases"
    assert db.session.scalar(select(func.count(Case.id))) == count


def test_default_title_and_known_date(make_capture):
    long_text = "kata " * 60
    capture = make_capture(post_text=long_text, post_author_handle="@budi")
    title = capture_cases.default_title(capture)
    assert title.startswith("@budi: kata kata") and title.endswith("…")
    assert len(title) <= len("@budi: ") + capture_cases.TITLE_LENGTH

    page_only = make_capture(url="https://example.org/p", title="Berita   dukungan")
    assert capture_cases.default_title(page_only) == "Berita dukungan"
    bare = make_capture(url="https://example.org/bare")
    assert capture_cases.default_title(bare) == "https://example.org/bare"

    # The browser's earlier capture time (queued offline) starts the clock.
    queued = make_capture(
        url="https://example.org/q", client_captured_at=datetime(2026, 11, 1, 20, 0, tzinfo=UTC)
    )
    queued.received_at = datetime(2026, 11, 5, 3, 0, tzinfo=UTC)
    assert capture_cases.known_date(queued) == date(2026, 11, 2)
    queued.client_captured_at = datetime(2026, 11, 9, tzinfo=UTC)  # a clock ahead is ignored
    assert capture_cases.known_date(queued) == date(2026, 11, 5)
