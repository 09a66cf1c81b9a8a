"""The case list: every filter, search over case text and captured post text, sorting, pages,
counts per status, and the page itself (each test on SQLite and PostgreSQL)."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from sipansos.extensions import db
from sipansos.models import CaseChecklistItem, CaseState
from sipansos.services import case_queries as queries
from sipansos.services import cases, checklists, terlapor
from sipansos.services.case_queries import CaseFilters
from tests.cases.flow import walk

from .conftest import category


def titles(filters=None, sort="title", **kwargs):
    page = queries.list_cases(filters or CaseFilters(), sort, **kwargs)
    assert page.total == len(page.items) or page.pages > 1 or page.truncated
    return [row.case.title for row in page.items]


ASN = "Kepala sekolah mengunggah dukungan"
HOAX = "Video hoaks pemungutan suara"
QUIET = "Rapat umum di luar jadwal"


def on_platform(capture, platform):
    """``make_capture`` always says Facebook; set the platform before the capture is used."""
    capture.platform = platform
    db.session.commit()
    return capture


@pytest.fixture
def scene(make_case, make_capture, users):
    """Three cases that differ in every filtered attribute."""
    koordinator = users["koordinator"]
    budi = terlapor.create_terlapor(
        users["operator"],
        name="Budi Santoso",
        nip="198001012005011001",
        employment_status="pns",
        agency="Dinas Pendidikan Kabupaten Contoh",
        accounts=[{"platform": "facebook", "handle": "@budi_guru"}],
    )
    siti = terlapor.create_terlapor(
        users["operator"], name="Siti Aminah", employment_status="kepala_desa",
        agency="Pemerintah Desa Sukamaju",
    )  # fmt: skip
    asn = make_case(
        title="Kepala sekolah mengunggah dukungan",
        terlapor=[budi],
        captures=[
            make_capture(
                url="https://www.facebook.com/budi/posts/1",
                post_text="Ayo dukung pasangan nomor urut dua, demi sekolah kita",
            )
        ],
    )
    walk(asn, koordinator, CaseState.DIREGISTRASI.value)
    hoax = cases.create_case(
        koordinator,
        title="Video hoaks pemungutan suara",
        category=category("hoaks"),
        known_date=date(2026, 10, 20),
        terlapor=[siti],
    )
    cases.add_evidence(
        hoax,
        users["admin"],
        on_platform(
            make_capture(
                url="https://www.tiktok.com/@warga/video/2",
                post_text="Kotak suara sudah dicoblos sebelum hari pemungutan",
                post_author_handle="@warga_sukamaju",
            ),
            "tiktok",
        ),
    )
    quiet = make_case(
        title="Rapat umum di luar jadwal", category_code=None, known_date=None,
        summary="Pengerahan massa",
    )  # fmt: skip
    cases.update_case(quiet, users["operator"], kajian_notes="Diduga mobilisasi aparatur desa")
    item = CaseChecklistItem
    db.session.add_all(
        [
            item(case=quiet, position=1, title="Kirim surat", due_date=date(2026, 1, 5)),
            item(case=quiet, position=2, title="Terima balasan", due_date=date(2099, 1, 1)),
            item(case=asn, position=1, title="NIP", due_date=date(2026, 1, 5), done=True),
            item(case=asn, position=2, title="Penerusan", due_date=date(2099, 2, 1)),
        ]
    )
    db.session.commit()
    return {"asn": asn, "hoax": hoax, "quiet": quiet, "budi": budi, "siti": siti}


ALL = [ASN, QUIET, HOAX]  # sorted by title


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (CaseFilters(), ALL),
        (CaseFilters(state="diregistrasi"), [ASN]),
        (CaseFilters(state="draf"), [QUIET, HOAX]),
        (CaseFilters(category="hoaks"), [HOAX]),
        (CaseFilters(category="netralitas_asn"), [ASN]),
        (CaseFilters(platform="tiktok"), [HOAX]),
        (CaseFilters(platform="facebook"), [ASN]),
        (CaseFilters(platform="x"), []),
        (CaseFilters(subject_status="kepala_desa"), [HOAX]),
        (CaseFilters(subject_status="pns"), [ASN]),
        (CaseFilters(agency="dinas pendidikan"), [ASN]),
        (CaseFilters(agency="DESA"), [HOAX]),
        (CaseFilters(agency="50%"), []),
        (CaseFilters(subject_status="pns", agency="desa"), []),
        (CaseFilters(date_from=date(2026, 11, 1)), [ASN]),
        (CaseFilters(date_to=date(2026, 10, 31)), [HOAX]),
        (CaseFilters(date_from=date(2026, 10, 20), date_to=date(2026, 10, 20)),
         [HOAX]),
        (CaseFilters(overdue=True), [QUIET]),
        (CaseFilters(state="draf", category="hoaks"), [HOAX]),
    ],
)  # fmt: skip
def test_each_filter_selects_its_cases(scene, filters, expected):
    assert titles(filters) == expected


def test_operator_filter_matches_creator_or_evidence_adder(scene, users):
    operator, koordinator, admin = users["operator"], users["koordinator"], users["admin"]
    assert titles(CaseFilters(operator_id=operator.id)) == [
        ASN,
        QUIET,
    ]
    assert titles(CaseFilters(operator_id=koordinator.id)) == [HOAX]
    # The admin created no case but added the TikTok capture to the hoax case.
    assert titles(CaseFilters(operator_id=admin.id)) == [HOAX]
    assert [u.username for u in queries.operators()] == [
        "admin",
        "koordinator",
        "operator",
        "pensiun",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sekolah", [ASN]),  # title
        ("PENGERAHAN", [QUIET]),  # summary, any case
        ("mobilisasi", [QUIET]),  # kajian notes
        ("Aminah", [HOAX]),  # terlapor name
        ("198001012005011001", [ASN]),  # NIP
        ("budi_guru", [ASN]),  # account handle
        ("dicoblos", [HOAX]),  # captured post text
        ("warga_sukamaju", [HOAX]),  # post author handle
        ("nomor urut dua", [ASN]),  # all words, post text
        ('"kotak suara"', [HOAX]),  # phrase
        ('"suara kotak"', []),
        ("suara -hoaks", []),
        ("sekolah or dicoblos", [ASN, HOAX]),
        ("tidakada", []),
    ],
)  # fmt: skip
def test_search_finds_case_text_terlapor_and_post_text(scene, text, expected):
    assert titles(CaseFilters(text=text)) == expected


def test_search_by_register_number_and_its_parts(scene):
    number = scene["asn"].number
    assert titles(CaseFilters(text=number)) == [ASN]
    sequence = number.split("/")[0]
    assert titles(CaseFilters(text=sequence)) == [ASN]


def test_search_document_follows_every_change(scene, make_capture, users):
    operator, koordinator = users["operator"], users["koordinator"]
    quiet, hoax, budi = scene["quiet"], scene["hoax"], scene["budi"]

    def found(text):
        db.session.expire_all()
        return titles(CaseFilters(text=text))

    cases.update_case(quiet, operator, title="Kampanye terselubung di balai desa")
    assert found("terselubung") == ["Kampanye terselubung di balai desa"]
    assert found("jadwal") == []

    capture = make_capture(url="https://x.com/a/status/9", post_text="Serangan fajar")
    cases.add_evidence(quiet, operator, capture)
    assert found("fajar") == ["Kampanye terselubung di balai desa"]
    cases.remove_evidence(quiet, koordinator, capture, reason="Salah unggah")
    assert found("fajar") == []

    cases.add_terlapor(hoax, koordinator, budi)
    assert found("santoso") == [ASN, HOAX]
    terlapor.update_terlapor(operator, budi, name="Budiman Santosa")
    assert found("santoso") == []
    assert len(found("budiman")) == 2
    terlapor.add_account(operator, budi, platform="instagram", handle="@pak_budiman")
    assert len(found("pak_budiman")) == 2
    cases.remove_terlapor(hoax, koordinator, budi)
    assert found("budiman") == [ASN]


def test_filter_facets_follow_every_change(scene, make_capture, users):
    """Platform, terlapor status and agency, operator and overdue are read off the case row;
    every write path keeps them true."""
    operator, koordinator, admin = users["operator"], users["koordinator"], users["admin"]
    quiet, hoax, siti = scene["quiet"], scene["hoax"], scene["siti"]
    renamed = "Kampanye terselubung di balai desa"

    def found(**filters):
        db.session.expire_all()
        return titles(CaseFilters(**filters))

    cases.update_case(quiet, operator, title=renamed)
    capture = on_platform(make_capture(url="https://x.com/a/status/7", post_text="Ayo"), "x")
    cases.add_evidence(quiet, admin, capture)
    assert found(platform="x") == [renamed]
    assert found(operator_id=admin.id) == [renamed, HOAX]
    cases.remove_evidence(quiet, koordinator, capture, reason="Salah unggah")
    assert found(platform="x") == [] and found(operator_id=admin.id) == [HOAX]

    cases.add_terlapor(quiet, koordinator, siti)
    assert found(subject_status="kepala_desa") == [renamed, HOAX]
    assert found(agency="sukamaju") == [renamed, HOAX]
    terlapor.update_terlapor(operator, siti, employment_status="pppk", agency="Kecamatan Wetan")
    assert found(subject_status="kepala_desa") == [] and found(agency="sukamaju") == []
    assert found(subject_status="pppk") == [renamed, HOAX]
    assert found(agency="camatan wet") == [renamed, HOAX]
    cases.remove_terlapor(quiet, koordinator, siti)
    assert found(subject_status="pppk", platform="tiktok") == [HOAX]
    # With other facets the state is a facet too: a transition moves the case.
    assert found(subject_status="pppk", state="draf") == [HOAX]
    walk(hoax, koordinator, CaseState.DIREGISTRASI.value)
    assert found(subject_status="pppk", state="draf") == []
    assert found(subject_status="pppk", state="diregistrasi") == [HOAX]
    assert found(agency="wetan") == [HOAX]

    # The quiet case is overdue by its item due 5 Jan 2026.
    overdue_item = next(i for i in quiet.checklist if i.due_date == date(2026, 1, 5))
    checklists.complete_item(overdue_item, koordinator)
    assert found(overdue=True) == []
    item = checklists.add_item(hoax, koordinator, "Klarifikasi", days=1, unit="calendar",
                               anchor="known_date")  # fmt: skip
    assert found(overdue=True) == [HOAX]
    rows = {row.case.title: row for row in queries.list_cases(CaseFilters(), "title").items}
    # Known 20 Oct 2026, one calendar day.
    assert (rows[HOAX].next_due, rows[HOAX].overdue) == (date(2026, 10, 21), True)
    checklists.complete_item(item, koordinator)
    assert found(overdue=True) == []
    checklists.reopen_item(item, koordinator, reason="Surat salah alamat")
    assert found(overdue=True) == [HOAX]


@pytest.mark.parametrize("sort", [*queries.SORT_KEYS, *("-" + s for s in queries.SORT_KEYS)])
def test_every_way_of_reading_a_page_agrees(app, make_case, users, monkeypatch, sort):
    """A page is read from all matching rows sorted (a result counted to the end), from a
    window at the start of the sort order (a larger one), or again from all matching rows when
    the window holds too few matches: all give the same rows in the same order."""
    for n in range(9):
        case = make_case(title=f"Kasus {n}", known_date=date(2026, 10, 1 + n % 3))
        if n % 2:
            walk(case, users["koordinator"], CaseState.DIREGISTRASI.value)
    # Every third case matches: no two of the first rows of any sort order both do.
    filters = CaseFilters(date_from=date(2026, 10, 2), date_to=date(2026, 10, 2))
    reads = []
    original = queries._page_in_window

    def page_in_window(*args):
        ids = original(*args)
        reads.append("window" if ids is not None else "all matches")
        return ids

    monkeypatch.setattr(queries, "_page_in_window", page_in_window)

    def every_page(max_rows, window_per_row):
        monkeypatch.setitem(app.config, "CASE_LIST_MAX_ROWS", max_rows)
        monkeypatch.setattr(queries, "WINDOW_PER_ROW", window_per_row)
        first = queries.list_cases(filters, sort, per_page=2)
        pages = [first] + [
            queries.list_cases(filters, sort, page=n, per_page=2) for n in range(2, first.pages + 1)
        ]
        return [[row.case.id for row in page.items] for page in pages]

    counted = every_page(100, 100)
    assert len(sum(counted, [])) == 3 and not reads
    assert every_page(2, 100) == counted[:1]
    assert every_page(2, 1) == counted[:1]
    if sort.lstrip("-") != "state":  # by state each state's rows are read on their own
        assert reads == ["window", "all matches"]


def test_state_counts_ignore_the_state_filter(scene):
    counts = queries.counts_by_state(CaseFilters(state="diregistrasi"))
    assert list(counts)[0] == CaseState.DRAF and len(counts) == len(CaseState)
    assert counts[CaseState.DRAF] == 2 and counts[CaseState.DIREGISTRASI] == 1
    assert sum(counts.values()) == 3
    counts = queries.counts_by_state(CaseFilters(text="suara"))
    assert counts[CaseState.DRAF] == 1 and sum(counts.values()) == 1
    assert cases.count_by_state() == queries.counts_by_state()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ALL),
        ("-title", ALL[::-1]),
        # Procedure order: Draf before Diregistrasi; ties by id (the hoax case is older).
        ("state", [HOAX, QUIET,
                   ASN]),
        # Without a number (drafts) after the numbered cases, and first when descending.
        ("number", [ASN, HOAX,
                    QUIET]),
        ("-number", [QUIET, HOAX,
                     ASN]),
        ("known_date", [HOAX, ASN,
                        QUIET]),
        ("-known_date", [QUIET, ASN,
                         HOAX]),
    ],
)  # fmt: skip
def test_sorting(scene, sort, expected):
    assert titles(sort=sort) == expected


@pytest.mark.parametrize("limit", [None, 4], ids=["counted", "count-limited"])
def test_sort_by_state_pages_across_states(app, make_case, users, monkeypatch, limit):
    if limit:  # the tabs are not counted: each state's rows are counted as far as the page
        monkeypatch.setitem(app.config, "CASE_LIST_MAX_ROWS", limit)
    koordinator = users["koordinator"]
    for n in range(3):
        make_case(title=f"Draf {n}")
    for n in range(2):
        walk(make_case(title=f"Reg {n}"), koordinator, CaseState.DIREGISTRASI.value)
    walk(make_case(title="Temuan 0"), koordinator, CaseState.TEMUAN.value)
    ascending = ["Draf 0", "Draf 1", "Draf 2", "Temuan 0", "Reg 0", "Reg 1"]
    descending = ["Reg 1", "Reg 0", "Temuan 0", "Draf 2", "Draf 1", "Draf 0"]
    for per_page in (1, 2, 4, 6):
        for sort, expected in (("state", ascending), ("-state", descending)):
            if limit:  # only the pages up to the limit can be reached
                pages = range(1, -(-limit // per_page) + 1)
                expected = expected[: max(limit, per_page)]
            else:
                pages = range(1, 7 // per_page + 2)
            rows = [t for p in pages for t in titles(sort=sort, page=p, per_page=per_page)]
            assert rows[: len(expected)] == expected, (sort, per_page)
    assert titles(CaseFilters(state="draf"), sort="-state") == ["Draf 2", "Draf 1", "Draf 0"]
    assert titles(CaseFilters(text="Reg"), sort="state", page=2, per_page=1) == ["Reg 1"]


def test_sort_by_updated_follows_the_last_change(scene, users):
    cases.update_case(scene["quiet"], users["operator"], summary="Massa dikerahkan")
    assert titles(sort="-updated")[0] == QUIET
    assert titles(sort="updated")[-1] == QUIET
    with pytest.raises(ValueError, match="unknown sort"):
        titles(sort="created")


def test_pages_split_the_sorted_rows_without_overlap(make_case):
    for n in range(7):
        make_case(title=f"Kasus {n}", known_date=date(2026, 10, 1 + n))
    pages = [
        queries.list_cases(CaseFilters(), "-known_date", page=p, per_page=3) for p in (1, 2, 3)
    ]
    assert [[row.case.title for row in page.items] for page in pages] == [
        ["Kasus 6", "Kasus 5", "Kasus 4"],
        ["Kasus 3", "Kasus 2", "Kasus 1"],
        ["Kasus 0"],
    ]
    assert [(p.page, p.pages, p.total, p.has_prev, p.has_next) for p in pages] == [
        (1, 3, 7, False, True),
        (2, 3, 7, True, True),
        (3, 3, 7, True, False),
    ]
    # A page past the end is the last one; page 0 or less is the first.
    assert queries.list_cases(CaseFilters(), "title", page=99, per_page=3).page == 3
    assert queries.list_cases(CaseFilters(), "title", page=-1, per_page=3).page == 1


def test_paging_stops_at_max_rows(app, make_case, monkeypatch):
    monkeypatch.setitem(app.config, "CASE_LIST_MAX_ROWS", 4)
    for n in range(6):
        make_case(title=f"Kasus {n}")
    page = queries.list_cases(CaseFilters(), "title", page=9, per_page=2)
    # Counting stopped after the limit: the total says "more than 4", not how many.
    assert (page.total, page.pages, page.page, page.truncated) == (5, 2, 2, True)
    assert [row.case.title for row in page.items] == ["Kasus 2", "Kasus 3"]


def test_counts_stop_at_the_limit(app, make_case, users, monkeypatch):
    monkeypatch.setitem(app.config, "CASE_LIST_MAX_ROWS", 4)
    for n in range(3):
        make_case(title=f"Draf {n}")
    for n in range(3):
        walk(make_case(title=f"Reg {n}"), users["koordinator"], CaseState.DIREGISTRASI.value)
    counts = queries.bounded_counts(CaseFilters())
    # Six match: counting stopped at five, and no per-state numbers from a partial count.
    assert (counts.complete, counts.total, counts.limit, counts.by_state) == (False, 5, 4, {})
    # Up to the limit the counts are exact, per state too.
    counts = queries.bounded_counts(CaseFilters(text="Reg"))
    assert counts.complete and counts.total == 3
    assert counts.by_state[CaseState.DIREGISTRASI] == 3 and counts.by_state[CaseState.DRAF] == 0
    exact = queries.bounded_counts(CaseFilters(), limit=6)
    assert exact.complete and exact.by_state == queries.counts_by_state()
    # A state's own list is counted on its own when the tabs were not: three, one page.
    page = queries.list_cases(CaseFilters(state="draf"), "title", per_page=2)
    assert (page.total, page.pages, page.truncated) == (3, 2, False)
    page = queries.list_cases(CaseFilters(state="draf"), "title", page=2, per_page=2)
    assert [row.case.title for row in page.items] == ["Draf 2"]


def test_a_state_over_the_limit_is_not_counted_per_state_again(app, make_case, monkeypatch):
    monkeypatch.setitem(app.config, "CASE_LIST_MAX_ROWS", 2)
    for n in range(3):
        make_case(title=f"Draf {n}")
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        counts = queries.bounded_counts(CaseFilters(state="draf"))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    # Three drafts: more than the limit, so the tabs cannot be complete either.
    assert (counts.complete, counts.selected, counts.by_state) == (False, 3, {})
    assert sum("GROUP BY" in sql for sql in statements) == 0
    page = queries.list_cases(CaseFilters(state="draf"), "title", per_page=1, counts=counts)
    assert (page.total, page.pages, page.truncated) == (3, 2, True)
    # Within the limit the state is counted and the tabs too.
    counts = queries.bounded_counts(CaseFilters(state="draf", text="Draf 1"))
    assert counts.complete and counts.selected == 1 and counts.by_state[CaseState.DRAF] == 1


def test_rows_carry_evidence_count_and_next_deadline(scene):
    rows = {row.case.title: row for row in queries.list_cases(CaseFilters(), "title").items}
    asn, quiet = rows[ASN], rows[QUIET]
    assert (asn.evidence_count, asn.next_due, asn.overdue) == (1, date(2099, 2, 1), False)
    assert (quiet.evidence_count, quiet.next_due, quiet.overdue) == (0, date(2026, 1, 5), True)


def test_search_index_exists_on_each_database(ctx, db_kind):
    indexes = {i["name"]: i for i in sa.inspect(db.engine).get_indexes("cases")}
    assert "ix_cases_search_document" in indexes
    if db_kind == "postgresql":
        sql = db.session.scalar(
            sa.text("select indexdef from pg_indexes where indexname = 'ix_cases_search_document'")
        )
        assert "USING gin" in sql


def _planner_settings():
    return db.session.execute(
        sa.text("SELECT current_setting('plan_cache_mode'), current_setting('enable_seqscan')")
    ).one()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (CaseFilters(), ("auto", "on")),
        (CaseFilters(state="draf"), ("auto", "on")),
        (CaseFilters(platform="tiktok"), ("force_custom_plan", "on")),
        (CaseFilters(text="dukung", state="draf"), ("force_custom_plan", "off")),
    ],
    ids=["unfiltered", "state-only", "facet", "search"],
)
def test_filtered_queries_are_planned_for_their_values(ctx, db_kind, filters, expected):
    """Prepared statements would get one plan for every facet or word (see _plan_for_filters);
    the settings hold for the list's transaction only."""
    if db_kind != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")
    db.session.commit()
    queries.list_cases(filters)
    assert tuple(_planner_settings()) == expected
    db.session.commit()
    assert tuple(_planner_settings()) == ("auto", "on")


# --- the page -------------------------------------------------------------------------------


@pytest.fixture
def browser(client, scene):
    from tests.conftest import login

    assert login(client, "operator").status_code == 302
    return client


def page_text(client, query=""):
    response = client.get(f"/cases{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_page_lists_cases_with_their_columns(browser, scene):
    html = page_text(browser)
    asn = scene["asn"]
    assert asn.number in html and f'href="/cases/{asn.id}"' in html
    assert "Budi Santoso" in html and "Netralitas ASN" in html
    assert "Diregistrasi" in html and "Draf" in html
    assert "5 Jan 2026" in html  # the overdue item of the quiet case
    assert 'class="overdue"' in html
    # The tabs count every state present; the "New case" button opens the form.
    assert re.search(r'aria-current="page">[^<]+<span class="count">3</span>', html)
    assert 'state=diregistrasi">Diregistrasi <span class="count">1</span>' in html
    assert 'href="/cases/new"' in html


def test_page_filters_and_searches(browser):
    html = page_text(browser, "?q=dicoblos")
    assert HOAX in html and "Kepala sekolah" not in html
    html = page_text(browser, "?platform=facebook&overdue=y")
    assert "Tidak ada kasus" in html or "No cases match" in html
    html = page_text(browser, "?subject_status=pns&date_from=2026-11-01&date_to=2026-11-30")
    assert ASN in html and "Video hoaks" not in html
    # The tab links keep the other filters.
    html = page_text(browser, "?category=hoaks")
    assert "category=hoaks&amp;state=draf" in html or "state=draf&amp;category=hoaks" in html


def test_page_says_when_counting_stopped(app, browser, make_case, monkeypatch):
    monkeypatch.setitem(app.config, "CASE_LIST_MAX_ROWS", 2)
    html = page_text(browser)
    # Three cases, limit two: no number per status, every status still a tab.
    assert re.search(
        r'aria-current="page">[^<]+<span class="count">(lebih dari|more than) 2<', html
    )
    assert 'state=diregistrasi">Diregistrasi</a>' in html
    assert 'state=arsip">Arsip</a>' in html
    assert '<span class="count">1</span>' not in html
    assert "tidak dihitung per status" in html or "not counted per status" in html
    assert "dapat dibuka per halaman" in html or "can be paged through" in html
    # A filter that matches fewer than the limit gets exact counts again.
    html = page_text(browser, "?q=dicoblos")
    assert re.search(r'aria-current="page">[^<]+<span class="count">1</span>', html)


def test_page_sorts_and_pages_keeping_filters(browser, make_case):
    for n in range(30):
        make_case(title=f"Kasus massal {n:02d}")
    html = page_text(browser, "?q=massal&sort=title")
    assert html.index("Kasus massal 00") < html.index("Kasus massal 24")
    assert "Kasus massal 25" not in html
    assert "?q=massal&amp;sort=title&amp;page=2" in html
    # The header of the current sort column reverses it.
    assert "?q=massal&amp;sort=-title" in html and 'aria-sort="ascending"' in html
    html = page_text(browser, "?q=massal&sort=title&page=2")
    assert "Kasus massal 29" in html and "Kasus massal 24" not in html


@pytest.mark.parametrize(
    "query",
    [
        "?date_from=2026-13-45",
        "?state=bogus",
        "?sort=created",
        "?page=abc",
        "?operator=abc",
        "?category=tidak_ada",
        "?date_from=2026-11-30&date_to=2026-11-01",
        "?q=" + "x" * 300,
        "?q=%22%22%22",
        "?q=!!!",
    ],
)
def test_bad_filter_values_get_a_message_not_an_error(browser, query):
    html = page_text(browser, query)
    if "page=" not in query and "q=" not in query:
        assert "tidak diterapkan" in html or "was not applied" in html


def test_bad_date_message_says_what_to_type(browser):
    html = page_text(browser, "?date_from=25-11-2026")
    assert "YYYY-MM-DD" in html or "TTTT-BB-HH" in html
    # The filter is left out, the list still shows.
    assert "Video hoaks pemungutan suara" in html


def test_empty_list_says_so(client, login_as):
    login_as("operator")
    assert "Belum ada kasus." in page_text(client)
