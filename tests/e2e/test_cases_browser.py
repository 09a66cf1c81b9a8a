"""The case pages in headless Chromium: a koordinator signs in, opens the case list, filters it,
opens a case, ticks a follow-up step done and attaches the reply to it.

Runs against the real server on a real port (SQLite and the session's SeaweedFS). Selectors use
names, ids and data attributes rather than visible text, so the test holds in either language.
"""

import hashlib
from datetime import timedelta

import pytest

from sipansos.extensions import db
from sipansos.models import CaseChecklistItem, CaseState, User
from sipansos.services import accounts, case_records, cases, deadlines
from sipansos.services.reference import route_by_code
from sipansos.services.terlapor import create_terlapor
from tests.cases.flow import walk
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD

pytestmark = pytest.mark.e2e

KOORDINATOR = "koordinator-kasus"
SEARCH_WORD = "Sukamaju"
LETTER = "061/PP.01.02/K.JB-06/11/2026"
RECEIPT = b"%PDF-1.4\n% Tanda terima surat Penerusan oleh BKN\n%%EOF\n"


@pytest.fixture(scope="module")
def case_ids(e2e_app):
    """Two cases: a registered PNS case on the PNS route (its title holds the search word) and
    a draft about a hoax. Returns ``(pns_case_id, draft_case_id)``."""
    with e2e_app.app_context():
        koordinator = accounts.create_user(
            None,
            username=KOORDINATOR,
            full_name="Koordinator Divisi Penanganan",
            role="koordinator",
            password=PASSWORD,
            must_change_password=False,
        )
        person = create_terlapor(koordinator, name="Dedi Kurniawan", employment_status="pns")
        known = deadlines.today() - timedelta(days=6)
        pns = case_records.create_case(
            koordinator,
            title=f"Kepala SD Negeri {SEARCH_WORD} membagikan poster pasangan calon",
            known_date=known,
            terlapor=[person],
        )
        walk(pns, koordinator, CaseState.TEMUAN.value)
        cases.register_case(pns, koordinator, registered_date=known + timedelta(days=2))
        cases.choose_route(pns, koordinator, route_by_code("pns"))
        draft = case_records.create_case(
            koordinator, title="Akun anonim menyebarkan hoaks tentang TPS", known_date=known
        )
        ids = pns.id, draft.id
        db.session.remove()
    return ids


@pytest.fixture
def page(playwright, server):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    browser.close()


def test_koordinator_filters_the_list_opens_a_case_and_ticks_a_step(
    e2e_app, server, page, case_ids
):
    pns_id, draft_id = case_ids
    base = server.url

    page.goto(f"{base}/login")
    page.fill("#username", KOORDINATOR)
    page.fill("#password", PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(f"{base}/cases")
    assert page.locator(f'a[href="/cases/{pns_id}"]').count() >= 1
    assert page.locator(f'a[href="/cases/{draft_id}"]').count() >= 1

    search = page.locator('form[role="search"] input[name="q"]')
    search.fill(SEARCH_WORD)
    search.press("Enter")
    page.wait_for_url(lambda url: f"q={SEARCH_WORD}" in url)
    assert page.locator(f'a[href="/cases/{pns_id}"]').count() >= 1
    assert page.locator(f'a[href="/cases/{draft_id}"]').count() == 0

    page.locator(f'a[href="/cases/{pns_id}"]').first.click()
    page.wait_for_url(lambda url: url.split("#")[0].endswith(f"/cases/{pns_id}"))
    checklist = page.locator("#checklist")
    checklist.wait_for()
    first = checklist.locator("li.checklist-item").first
    item_id = int(first.get_attribute("data-item-id"))
    assert first.get_attribute("data-status") != "done"
    assert checklist.locator("[data-done]").get_attribute("data-done") == "0"

    done_form = first.locator('form[action$="/done"]')
    first.locator('details:has(form[action$="/done"]) > summary').click()
    assert done_form.locator('[name="done_on"]').input_value() == deadlines.today().isoformat()
    done_form.locator('[name="letter_number"]').fill(LETTER)
    done_form.locator('[name="note"]').fill("NIP dan status PNS dikonfirmasi BKPSDM.")
    done_form.locator("[type=submit]").click()

    page.wait_for_load_state()
    ticked = page.locator(f"#checklist-item-{item_id}")
    ticked.wait_for()
    assert ticked.get_attribute("data-status") == "done"
    assert LETTER in ticked.inner_text()
    assert page.locator(".flash-success").count() == 1
    assert page.locator("#checklist [data-done]").get_attribute("data-done") == "1"

    # The BKN receipt arrives: attach it to the step, then download it back.
    ticked.locator('details:has(form[action$="/documents"]) > summary').click()
    ticked.locator('form[action$="/documents"] [name="file"]').set_input_files(
        {"name": "tanda-terima-bkn.pdf", "mimeType": "application/pdf", "buffer": RECEIPT}
    )
    ticked.locator('form[action$="/documents"] [type=submit]').click()
    page.wait_for_load_state()
    link = page.locator(f"#checklist-item-{item_id} a[href*='/documents/']")
    link.wait_for()
    assert link.inner_text() == "tanda-terima-bkn.pdf"
    download = page.request.get(base + link.get_attribute("href"))
    assert download.ok and download.body() == RECEIPT
    assert download.headers["content-type"] == "application/pdf"

    with e2e_app.app_context():
        item = db.session.get(CaseChecklistItem, item_id)
        assert item.documents[0].sha256 == hashlib.sha256(RECEIPT).hexdigest()
        assert item.done and item.letter_number == LETTER
        assert item.done_on == deadlines.today()
        assert db.session.get(User, item.done_by_id).username == KOORDINATOR
        assert [e.kind for e in item.case.events[-2:]] == [
            "checklist_item_done",
            "document_attached",
        ]
        db.session.remove()
