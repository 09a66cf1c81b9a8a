"""The dashboard (Dasbor): open cases by state and category, captures per platform per Jakarta
day, follow-up items overdue and due this week, and the chart with its vendored library."""

# ruff: noqa: F811 - pytest fixtures imported from tests/cases/conftest.py are test arguments

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from sipansos.extensions import db
from sipansos.models import CaseState
from sipansos.services import checklists, deadlines
from sipansos.services import dashboard as figures
from sipansos.services.captures import withdraw_capture
from sipansos.services.evidence_queries import local_day_start
from tests.cases.conftest import (  # noqa: F401
    ctx,
    make_capture,
    make_case,
    reference_data,
    users,
)
from tests.cases.flow import walk
from tests.conftest import login

CHART_DATA = re.compile(
    r'<script type="application/json" id="captures-chart-data">(.*?)</script>', re.S
)


def count_cell(html, attribute, value):
    match = re.search(rf'data-{attribute}="{re.escape(value)}">(\d+)<', html)
    assert match, f"no {attribute} cell for {value!r}"
    return int(match.group(1))


def figure(html, element_id):
    return int(re.search(rf'id="{element_id}">(\d+)<', html).group(1))


@pytest.fixture
def seeded(make_case, make_capture, users):
    """Cases in several states and categories, follow-up items, captures over several days."""
    today = deadlines.today()
    koordinator = users["koordinator"]
    known = today - timedelta(days=10)
    drafts = [
        make_case(title="Draf ASN satu", known_date=known),
        make_case(title="Draf ASN dua", known_date=known),
        make_case(title="Draf hoaks", category_code="hoaks", known_date=known),
        make_case(title="Draf tanpa kategori", category_code=None, known_date=known),
    ]
    registered = walk(
        make_case(title="Kades unggah dukungan", category_code="netralitas_kepala_desa",
                  known_date=known),
        koordinator,
        CaseState.DIREGISTRASI,
    )  # fmt: skip
    informasi = walk(make_case(title="Info awal", known_date=known), koordinator, "informasi_awal")
    finished = walk(make_case(title="Selesai ASN", known_date=known), koordinator, "selesai")

    # Items counted from known_date (today - 10): due today - 7 (late), today + 2 and today + 6
    # (this week), today + 7 (next week) and a done late one.
    case = drafts[0]
    late = checklists.add_item(case, koordinator, "Undang klarifikasi", days=3,
                               unit="calendar", anchor="known_date")  # fmt: skip
    soon = checklists.add_item(registered, koordinator, "Kirim surat ke BKN", days=12,
                               unit="calendar", anchor="known_date")  # fmt: skip
    last_day = checklists.add_item(case, koordinator, "Kajian", days=16, unit="calendar",
                                   anchor="known_date")  # fmt: skip
    checklists.add_item(case, koordinator, "Pleno", days=17, unit="calendar", anchor="known_date")
    done = checklists.add_item(case, koordinator, "Sudah", days=1, unit="calendar",
                               anchor="known_date")  # fmt: skip
    checklists.complete_item(done, koordinator)

    # Captures: Jakarta days start at 17:00 UTC of the day before.
    start_today = local_day_start(today)
    placed = [
        ("facebook", start_today + timedelta(minutes=30)),  # today in WIB, yesterday in UTC
        ("facebook", start_today + timedelta(hours=5)),
        ("facebook", start_today - timedelta(minutes=30)),  # yesterday in WIB
        ("tiktok", start_today - timedelta(days=3, hours=-2)),
        ("tiktok", start_today - timedelta(days=29) + timedelta(hours=1)),  # first day shown
        ("x", start_today - timedelta(days=30) + timedelta(hours=23)),  # 31 days ago: not shown
    ]
    captures = []
    for index, (platform, when) in enumerate(placed):
        capture = make_capture(url=f"https://example.org/{platform}/{index}")
        capture.platform, capture.received_at = platform, when
        captures.append(capture)
    withdrawn = make_capture(url="https://example.org/withdrawn")
    withdrawn.platform = "tiktok"
    db.session.commit()
    withdraw_capture(koordinator, withdrawn, "Salah tangkap")
    return {
        "today": today,
        "drafts": drafts,
        "registered": registered,
        "informasi": informasi,
        "finished": finished,
        "late": late,
        "soon": soon,
        "last_day": last_day,
    }


def test_figures_are_aggregated_by_state_category_platform_and_jakarta_day(seeded):
    today = seeded["today"]
    by_state = dict(figures.open_cases_by_state())
    assert by_state[CaseState.DRAF] == 4
    assert by_state[CaseState.DIREGISTRASI] == 1
    assert by_state[CaseState.INFORMASI_AWAL] == 1
    assert CaseState.SELESAI not in by_state and CaseState.ARSIP not in by_state
    assert list(by_state)[0] == CaseState.DRAF  # procedure order

    by_category = [(row.code, row.count) for row in figures.open_cases_by_category()]
    # Reference order, then the cases without a category; the finished case is not counted.
    assert by_category == [
        ("netralitas_asn", 3),
        ("netralitas_kepala_desa", 1),
        ("hoaks", 1),
        (None, 1),
    ]

    series = figures.captures_per_platform_per_day(today=today)
    assert series.days[0] == today - timedelta(days=29) and series.days[-1] == today
    assert list(series.counts) == ["facebook", "tiktok"]  # by total; x is too old
    assert series.counts["facebook"][-1] == 2 and series.counts["facebook"][-2] == 1
    assert series.counts["tiktok"][-4] == 1 and series.counts["tiktok"][0] == 1
    assert series.total == 5  # the withdrawn capture is not counted
    assert series.day_totals()[-1] == 2

    due = figures.checklist_deadlines(today=today)
    assert (due.overdue_count, due.due_soon_count) == (1, 2)
    assert due.overdue == [seeded["late"]]
    assert due.due_soon == [seeded["soon"], seeded["last_day"]]
    assert due.due_soon_until == today + timedelta(days=6)
    # A day later the first item due this week is still open but now counted as late.
    later = figures.checklist_deadlines(today=today + timedelta(days=3))
    assert (later.overdue_count, later.due_soon_count) == (2, 2)


def test_item_lists_are_bounded_but_counts_are_not(seeded, users):
    case = seeded["drafts"][1]
    for number in range(3):
        checklists.add_item(case, users["koordinator"], f"Langkah {number}", days=2,
                            unit="calendar", anchor="known_date")  # fmt: skip
    due = figures.checklist_deadlines(today=seeded["today"], limit=2)
    assert due.overdue_count == 4
    assert len(due.overdue) == 2


def test_closed_cases_drop_out_of_every_figure(seeded, users):
    case = seeded["drafts"][0]
    walk(case, users["koordinator"], "arsip")  # a draft may be archived directly
    assert dict(figures.open_cases_by_state())[CaseState.DRAF] == 3
    due = figures.checklist_deadlines(today=seeded["today"])
    assert (due.overdue_count, due.due_soon_count) == (0, 1)


def test_dashboard_page_shows_the_numbers_links_and_chart_data(seeded, client):
    login(client, "operator")
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)

    assert count_cell(html, "state", "draf") == 4
    assert count_cell(html, "state", "diregistrasi") == 1
    assert count_cell(html, "state", "dalam_kajian") == 0
    assert 'data-state="selesai"' not in html
    assert count_cell(html, "category", "netralitas_asn") == 3
    assert count_cell(html, "category", "") == 1
    assert figure(html, "open-cases-total") == 6
    assert figure(html, "overdue-total") == 1
    assert figure(html, "due-soon-total") == 2
    assert figure(html, "captures-total") == 5

    # Counts link to the case list with its filters; items link to their case.
    assert 'href="/cases?state=draf"' in html
    assert 'href="/cases?category=hoaks"' in html
    assert 'href="/cases?overdue=1"' in html
    for case in (seeded["drafts"][0], seeded["registered"]):
        assert f'href="/cases/{case.id}"' in html
    assert seeded["registered"].number in html
    assert "Undang klarifikasi" in html and "Kirim surat ke BKN" in html
    assert 'data-days-late="7"' in html
    assert "Pleno" not in html  # due next week

    # The table holds the same numbers as the chart (readable without JavaScript).
    assert re.search(r'<tr data-platform="facebook">.*?Facebook</a></th>', html, re.S)
    data = json.loads(CHART_DATA.search(html).group(1))
    assert data["days"][-1] == seeded["today"].isoformat() and len(data["days"]) == 30
    assert [s["label"] for s in data["series"]] == ["Facebook", "TikTok"]
    assert data["series"][0]["values"][-2:] == [1, 2]
    assert sum(data["series"][1]["values"]) == 2

    # The existing cards stay.
    assert 'href="/account/tokens"' in html


def test_chart_library_is_served_by_the_app_under_the_csp(seeded, client):
    login(client, "koordinator")
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts, "the chart scripts are missing"
    for attributes in scripts:
        # No inline script: either a same-origin file or a JSON data block.
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes
    assert "style=" not in html
    for path in (
        "/static/vendor/uplot/uPlot.iife.min.js",
        "/static/vendor/uplot/uPlot.min.css",
        "/static/dashboard.js",
    ):
        assert f'"{path}"' in html
    for path in ("/static/vendor/uplot/LICENSE", "/static/vendor/uplot/VERSION"):
        served = client.get(path)
        assert served.status_code == 200, path
        served.close()
    library = client.get("/static/vendor/uplot/uPlot.iife.min.js")
    assert b"uPlot (v1.6.32)" in library.data
    library.close()


def test_empty_dashboard_still_renders(client, users):
    login(client, "admin")
    html = client.get("/").get_data(as_text=True)
    assert figure(html, "open-cases-total") == 0
    assert "captures-chart-data" not in html  # no chart without captures
    assert 'href="/account/tokens"' in html


def test_capture_days_follow_jakarta_not_utc(ctx, make_capture):
    """A capture at 23:30 UTC counts on the next Jakarta day (06:30 WIB)."""
    capture = make_capture()
    capture.received_at = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    db.session.commit()
    series = figures.captures_per_platform_per_day(days=3, today=datetime(2026, 11, 21).date())
    assert series.counts == {"facebook": [0, 0, 1]}
