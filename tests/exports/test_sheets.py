"""Spreadsheet exports (Rekapitulasi) of the case list and the evidence list: XLSX and CSV with
the list's filters, Indonesian headers, recapitulation counts, formula injection neutralised,
every download audited (each test on SQLite and PostgreSQL)."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import AuditEvent, CaseState
from sipansos.services import case_queries, cases, sheets, terlapor
from sipansos.services.case_queries import CaseFilters
from tests.cases import conftest as case_fixtures
from tests.cases.conftest import category
from tests.cases.flow import walk
from tests.conftest import login

# The case tests' fixtures (the seeded users, reference data, cases and captures).
ctx = case_fixtures.ctx
reference_data = case_fixtures.reference_data
users = case_fixtures.users
make_case = case_fixtures.make_case
make_capture = case_fixtures.make_capture

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def scene(make_case, make_capture, users):
    """Three cases: two netralitas ASN (one registered, one draft with a hostile title), one
    hoaks; four captures, one with post text that is a formula."""
    budi = terlapor.create_terlapor(
        users["operator"],
        name="Budi Santoso",
        nip="198001012005011001",
        employment_status="pns",
        agency="Dinas Pendidikan Kabupaten Contoh",
    )
    evil = make_capture(
        url="https://www.facebook.com/budi/posts/1",
        post_text='=HYPERLINK("http://evil.example/","klik")',
        post_author_name="@budi",
    )
    asn = make_case(title="Kepala sekolah mengunggah dukungan", terlapor=[budi], captures=[evil])
    walk(asn, users["koordinator"], CaseState.DIREGISTRASI.value)
    draft = make_case(title="+cmd|' /C calc'!A0", known_date=date(2026, 11, 5))
    cases.add_evidence(
        draft, users["operator"], make_capture(url="https://www.facebook.com/x/posts/2")
    )
    hoax = make_case(
        title="Video hoaks pemungutan suara", category_code="hoaks", known_date=date(2026, 10, 1)
    )
    tiktok = make_capture(url="https://www.tiktok.com/@warga/video/3", post_text="Kotak suara")
    tiktok.platform = "tiktok"
    make_capture(url="https://www.tiktok.com/@warga/video/4").platform = "tiktok"
    db.session.commit()
    return {"asn": asn, "draft": draft, "hoax": hoax, "evil": evil, "tiktok": tiktok}


@pytest.fixture
def browser(client, scene):
    assert login(client, "koordinator").status_code == 302
    return client


def xlsx(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.data))


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def recap(book):
    """The Rekapitulasi sheet as ``{group: {label: count}}`` (group "" holds the total)."""
    groups, current = {"": {}}, ""
    for label, *rest in book["Rekapitulasi"].iter_rows(min_row=2, values_only=True):
        if label is None:
            continue
        if not rest or rest[0] is None:
            current = label
            groups[current] = {}
        else:
            groups[current][label] = rest[0]
    return groups


def csv_rows(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))


def audit_events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_case_xlsx_has_the_filtered_rows_and_recap(browser, scene, ctx):
    book = xlsx(browser.get("/cases/export.xlsx?category=netralitas_asn&sort=title"))
    assert book.sheetnames == ["Perkara", "Rekapitulasi"]
    sheet = book["Perkara"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    rows = rows_of(sheet)
    assert rows[0] == [header for header, _ in sheets.CASE_COLUMNS]
    assert rows[0][:3] == ["Nomor", "Judul", "Status"]
    expected = case_queries.list_cases(CaseFilters(category="netralitas_asn"), "title")
    assert sorted(r[1] for r in rows[1:]) == sorted(
        ("'" + row.case.title) if row.case.title.startswith("+") else row.case.title
        for row in expected.items
    )
    by_title = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    asn = by_title["Kepala sekolah mengunggah dukungan"]
    db.session.refresh(scene["asn"])
    assert asn["Nomor"] == scene["asn"].number
    assert asn["Status"] == "Diregistrasi"
    assert asn["Terlapor"] == "Budi Santoso (198001012005011001)"
    assert asn["Status kepegawaian"] == "PNS"
    assert asn["Instansi"] == "Dinas Pendidikan Kabupaten Contoh"
    assert asn["Jumlah bukti"] == 1
    assert asn["Tanggal diketahui"].date() == date(2026, 11, 2)  # a real date cell
    assert asn["Tanggal registrasi"] is not None
    # Formula injection: the title starting with "+" is text, not a formula.
    assert by_title["'+cmd|' /C calc'!A0"]["Status"] == "Draf"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    counts = recap(book)
    assert counts[""] == {"Jumlah baris": 2}
    assert counts["Per status"] == {"Diregistrasi": 1, "Draf": 1}
    assert counts["Per kategori"] == {category("netralitas_asn").name: 2}
    assert counts["Per instansi"] == {"Dinas Pendidikan Kabupaten Contoh": 1, "(tidak ada)": 1}

    (event,) = audit_events("cases_exported")
    assert event.actor_username == "koordinator"
    assert event.details == {
        "format": "xlsx",
        "filters": {"category": "netralitas_asn", "overdue": False},
        "rows": 2,
    }


def test_case_csv_matches_the_xlsx(browser, scene, ctx):
    rows = csv_rows(browser.get("/cases/export.csv?date_to=2026-11-03"))
    assert rows[0] == [header for header, _ in sheets.CASE_COLUMNS]
    titles = sorted(r[1] for r in rows[1:])
    assert titles == ["Kepala sekolah mengunggah dukungan", "Video hoaks pemungutan suara"]
    hoax = next(r for r in rows if r[1].startswith("Video"))
    assert hoax[2] == "Draf" and hoax[8] == "2026-10-01"
    (event,) = audit_events("cases_exported")
    assert event.details["format"] == "csv" and event.details["rows"] == 2
    assert event.details["filters"]["date_to"] == "2026-11-03"


def test_case_export_takes_every_row_past_a_batch(scene, ctx, monkeypatch, users):
    real = case_queries.iter_matching
    monkeypatch.setattr(case_queries, "iter_matching", lambda f: real(f, batch_size=1))
    sheet = sheets.export_cases(users["admin"], CaseFilters(), "csv")
    with sheet.file:
        lines = sheet.file.read().decode("utf-8-sig").splitlines()
    assert sheet.rows == 3 and len(lines) == 4


def test_csv_neutralises_formulas(browser, scene, ctx):
    rows = csv_rows(browser.get("/cases/export.csv"))
    assert "'+cmd|' /C calc'!A0" in [r[1] for r in rows]
    evidence = csv_rows(browser.get("/evidence/export.csv?platform=facebook"))
    texts = [r[5] for r in evidence[1:]]
    assert '\'=HYPERLINK("http://evil.example/","klik")' in texts
    assert "'@budi" in [r[3] for r in evidence[1:]]


def test_evidence_xlsx_with_filter(browser, scene, ctx):
    book = xlsx(browser.get("/evidence/export.xlsx?platform=tiktok"))
    assert book.sheetnames == ["Bukti", "Rekapitulasi"]
    rows = rows_of(book["Bukti"])
    assert rows[0] == [header for header, _ in sheets.EVIDENCE_COLUMNS]
    assert rows[0][0] == "ID tangkapan"
    assert sorted(r[1] for r in rows[1:]) == [
        "https://www.tiktok.com/@warga/video/3",
        "https://www.tiktok.com/@warga/video/4",
    ]
    assert {r[2] for r in rows[1:]} == {"TikTok"}
    assert recap(book)["Per platform"] == {"TikTok": 2}
    assert recap(book)["Per operator"] == {"Operator": 2}  # the uploader's full name
    (event,) = audit_events("evidence_exported")
    assert event.details["filters"]["platform"] == "tiktok"
    assert event.details["rows"] == 2


def test_evidence_rows_name_their_cases(browser, scene, ctx):
    book = xlsx(browser.get("/evidence/export.xlsx?in_case=yes"))
    rows = rows_of(book["Bukti"])
    db.session.refresh(scene["asn"])
    by_url = {r[1]: r for r in rows[1:]}
    assert set(by_url) == {
        "https://www.facebook.com/budi/posts/1",
        "https://www.facebook.com/x/posts/2",
    }
    evil = by_url["https://www.facebook.com/budi/posts/1"]
    assert evil[0] == str(scene["evil"].capture_uuid)
    assert evil[5].startswith("'=HYPERLINK")
    assert evil[12] == scene["asn"].number
    assert by_url["https://www.facebook.com/x/posts/2"][12] == f"Draf #{scene['draft'].id}"
    assert evil[7] is not None  # received time, a real datetime cell


def test_long_post_text_is_truncated(ctx, make_capture, users):
    make_capture(post_text="kata " * 1000)
    sheet = sheets.export_evidence(users["admin"], sheets.evidence_queries.EvidenceFilters(), "csv")
    with sheet.file:
        (row,) = list(
            csv.reader(io.StringIO(sheet.file.read().decode("utf-8-sig")), delimiter=";")
        )[1:]
    assert len(row[5]) == sheets.POST_TEXT_LIMIT and row[5].endswith("…")


@pytest.mark.parametrize("role", ["operator", "koordinator", "admin"])
def test_every_role_may_export(client, scene, role):
    assert login(client, role).status_code == 302
    for path in ("/cases/export.xlsx", "/cases/export.csv", "/evidence/export.xlsx"):
        assert client.get(path).status_code == 200


def test_list_pages_link_the_exports_with_their_filters(browser, ctx):
    page = browser.get("/cases?category=hoaks").get_data(as_text=True)
    assert "/cases/export.xlsx?category=hoaks" in page
    assert "/cases/export.csv?category=hoaks" in page
    page = browser.get("/evidence?platform=tiktok").get_data(as_text=True)
    assert "/evidence/export.xlsx?platform=tiktok" in page
    assert "/evidence/export.csv?platform=tiktok" in page
    # Any query string makes a link, never an error.
    assert browser.get("/cases?fmt=x&_external=1&_scheme=ftp").status_code == 200


def test_a_bad_filter_is_left_out_not_a_500(browser, ctx):
    response = browser.get("/cases/export.csv?date_from=kemarin")
    assert len(csv_rows(response)) == 4
