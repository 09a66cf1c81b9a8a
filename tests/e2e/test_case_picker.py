"""The popup's case picker: a capture starts a new draft case or goes into an open case chosen
from the server's list, and the choice survives the offline queue."""

import uuid
from datetime import date

import pytest

from .browser import wait_until
from .conftest import OPERATOR
from .test_popup import open_popup

pytestmark = pytest.mark.e2e


def make_case(app, title, category="netralitas_asn"):
    """A draft case on the server, created by the operator as on the web; returns its id."""
    from sqlalchemy import select

    from sipansos.extensions import db
    from sipansos.models import User, ViolationCategory
    from sipansos.services import case_records

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == OPERATOR))
        code = db.session.scalar(
            select(ViolationCategory).where(ViolationCategory.code == category)
        )
        case = case_records.create_case(
            user, title=title, category=code, known_date=date(2026, 11, 20)
        )
        return case.id


def cases_of(app, capture_id):
    """{case id: {title, state, source, category, creator}} of the cases holding a capture."""
    from sqlalchemy import select

    from sipansos.extensions import db
    from sipansos.models import Capture, CaseEvidence

    with app.app_context():
        links = db.session.scalars(
            select(CaseEvidence)
            .join(Capture, CaseEvidence.capture_id == Capture.id)
            .where(Capture.capture_uuid == uuid.UUID(capture_id))
        ).all()
        return {
            link.case.id: {
                "title": link.case.title,
                "state": link.case.state,
                "source": link.case.source,
                "category": link.case.category.code if link.case.category else None,
                "creator": link.case.created_by.username,
                "known_date": link.case.known_date,
            }
            for link in links
        }


def test_start_a_new_case_from_the_popup(browser, server, open_page, fixture_server, e2e_app):
    page = open_page(fixture_server.url("posts.html"))
    popup = open_popup(browser, page)
    try:
        # The categories are the server's (Referensi), with its Indonesian names.
        assert popup.locator("#category option[value='konten_kampanye']").inner_text() == (
            "Konten Kampanye"
        )
        assert popup.locator("#case-mode").input_value() == "none"
        assert popup.locator("#case-new").is_hidden()
        popup.select_option("#category", "hoaks")
        popup.select_option("#case-mode", "new")
        popup.fill("#case-title", "Hoaks surat suara tercoblos")
        popup.click("#capture")
        popup.wait_for_selector("#result:not([hidden])", timeout=40000)
        capture_id = popup.locator("#receipt-id").inner_text()
        assert popup.locator("#receipt-case-label").inner_text() == "Kasus baru:"
        link = popup.locator("#receipt-case-link")
        assert "Hoaks surat suara tercoblos (Draf)" in link.inner_text()
        href = link.get_attribute("href")
    finally:
        popup.close()
    linked = cases_of(e2e_app, capture_id)
    assert len(linked) == 1
    case_id, case = next(iter(linked.items()))
    assert href == f"{server.url}/cases/{case_id}"
    assert case["title"] == "Hoaks surat suara tercoblos"
    assert (case["state"], case["source"], case["category"]) == ("draf", "temuan", "hoaks")
    assert case["creator"] == OPERATOR and case["known_date"] is not None
    assert browser.receipt(capture_id)["case"]["id"] == case_id


def test_a_blank_title_becomes_the_post_author_and_page_title(
    browser, server, open_page, fixture_server, e2e_app
):
    page = open_page(fixture_server.url("posts.html"))
    popup = open_popup(browser, page)
    try:
        popup.select_option("#case-mode", "new")
        popup.click("#capture")
        popup.wait_for_selector("#result:not([hidden])", timeout=40000)
        capture_id = popup.locator("#receipt-id").inner_text()
    finally:
        popup.close()
    (case,) = cases_of(e2e_app, capture_id).values()
    assert case["title"].endswith(page.title()) and case["title"].strip()


def test_attach_to_an_open_case_chosen_from_the_list(
    browser, server, open_page, fixture_server, e2e_app
):
    marker = uuid.uuid4().hex[:8]
    wanted = make_case(e2e_app, f"Kepala desa mengajak memilih {marker}", "netralitas_kepala_desa")
    make_case(e2e_app, f"Perkara lain {uuid.uuid4().hex[:8]}")
    page = open_page(fixture_server.url("posts.html"))
    popup = open_popup(browser, page)
    try:
        # Attaching needs a case: without one the popup says so and nothing starts.
        popup.select_option("#case-mode", "attach")
        popup.wait_for_selector(f"#case-list option[value='{wanted}']")
        popup.click("#capture")
        assert "Pilih kasus" in popup.locator("#error").inner_text()
        popup.fill("#case-search", marker)
        wait_until(
            lambda: popup.locator("#case-list option").count() == 1,
            message="the search to narrow the list",
        )
        popup.select_option("#case-list", str(wanted))
        popup.click("#capture")
        popup.wait_for_selector("#result:not([hidden])", timeout=40000)
        capture_id = popup.locator("#receipt-id").inner_text()
        assert popup.locator("#receipt-case-label").inner_text() == "Dilampirkan ke kasus:"
        assert popup.locator("#receipt-case-link").get_attribute("href") == (
            f"{server.url}/cases/{wanted}"
        )
        assert popup.locator("#receipt-case-error").is_hidden()
    finally:
        popup.close()
    assert list(cases_of(e2e_app, capture_id)) == [wanted]


def test_a_case_closed_meanwhile_keeps_the_capture_and_says_so(
    browser, server, open_page, fixture_server, e2e_app
):
    from sipansos.extensions import db
    from sipansos.models import Case

    wanted = make_case(e2e_app, f"Perkara yang segera selesai {uuid.uuid4().hex[:8]}")
    page = open_page(fixture_server.url("posts.html"))
    popup = open_popup(browser, page)
    try:
        popup.select_option("#case-mode", "attach")
        popup.wait_for_selector(f"#case-list option[value='{wanted}']")
        popup.select_option("#case-list", str(wanted))
        # A koordinator closes the case while the operator is still in the popup.
        with e2e_app.app_context():
            db.session.get(Case, wanted).state = "selesai"
            db.session.commit()
        popup.click("#capture")
        popup.wait_for_selector("#result:not([hidden])", timeout=40000)
        capture_id = popup.locator("#receipt-id").inner_text()
        warning = popup.locator("#receipt-case-error")
        assert warning.is_visible()
        assert warning.inner_text().startswith("Bukti tersimpan, tetapi tidak masuk ke kasus")
        assert "selesai" in warning.inner_text()
        assert popup.locator("#receipt-case").is_hidden()
    finally:
        popup.close()
    assert browser.receipt(capture_id)["case_error"]["code"] == "case_closed"
    assert cases_of(e2e_app, capture_id) == {}


def test_the_case_choice_waits_in_the_offline_queue(
    browser, server, open_page, fixture_server, e2e_app
):
    marker = uuid.uuid4().hex[:8]
    wanted = make_case(e2e_app, f"ASN membagikan poster {marker}")
    page = open_page(fixture_server.url("posts.html"))
    # Seen once online: the list is kept for when the server is away.
    popup = open_popup(browser, page)
    popup.select_option("#case-mode", "attach")
    popup.wait_for_selector(f"#case-list option[value='{wanted}']")
    popup.close()

    server.stop()
    popup = open_popup(browser, page)
    try:
        popup.select_option("#case-mode", "attach")
        popup.wait_for_selector(f"#case-list option[value='{wanted}']")
        assert "Server tidak terjangkau" in popup.locator("#case-list-status").inner_text()
        popup.fill("#case-search", marker)
        wait_until(lambda: popup.locator("#case-list option").count() == 1, message="a search")
        popup.select_option("#case-list", str(wanted))
        popup.click("#capture")
        item = popup.locator("#queue-list li[data-status='queued']").last
        item.wait_for(timeout=40000)
        capture_id = item.get_attribute("data-capture-id")
        wait_until(lambda: f"→ kasus #{wanted}" in item.inner_text(), message="the queued case")
    finally:
        popup.close()
    record = next(r for r in browser.queue() if r["capture_id"] == capture_id)
    assert record["last_error"]["code"] == "unreachable"
    assert record["case_request"] == {"case_id": wanted}

    # The choice lives with the capture in IndexedDB, not in the worker that may be stopped.
    browser.stop_workers()
    browser.wake_worker()
    server.start()
    browser.call("() => self.sipansos.processQueue({force: true})")
    wait_until(lambda: browser.receipt(capture_id), timeout=40, message="the receipt")
    assert browser.receipt(capture_id)["case"]["id"] == wanted
    assert list(cases_of(e2e_app, capture_id)) == [wanted]


# Replaces the queued capture's case field, as a client of another version might have stored it.
SET_CASE_REQUEST = """async ([captureId, caseRequest]) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("sipansos");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction("captures", "readwrite");
    const store = tx.objectStore("captures");
    const read = store.get(captureId);
    read.onsuccess = () => store.put({ ...read.result, case_request: caseRequest });
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}"""


def test_a_case_choice_the_server_cannot_read_does_not_hold_the_evidence_back(
    browser, server, open_page, fixture_server, e2e_app
):
    page = open_page(fixture_server.url("posts.html"))
    server.stop()
    capture_id = browser.capture(page, case={"new_case": {"title": "Perkara", "category": None}})
    browser.call(SET_CASE_REQUEST, [capture_id, {"case_id": "dua belas"}])
    server.start()
    browser.call("() => self.sipansos.processQueue({force: true})")
    entry = wait_until(
        lambda: next((e for e in browser.history() if e["capture_id"] == capture_id), None),
        message="the receipt",
    )
    # Refused with the case field (nothing stored), then stored without it.
    assert server.switchboard.uploads[-2:] == [400, 201]
    assert entry["case_error"]["code"] == "invalid_case" and "case" not in entry["receipt"]
    assert cases_of(e2e_app, capture_id) == {}
