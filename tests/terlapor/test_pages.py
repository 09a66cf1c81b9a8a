"""Terlapor pages: list and search, creating with accounts and duplicate checks, linking to a
case, the person's page, editing and adding accounts."""

import re
from datetime import date

from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import AuditEvent, Case, Terlapor, ViolationCategory
from sipansos.services import cases, terlapor
from tests.conftest import post_form
from tests.terlapor.conftest import NIP, in_app, user


def _new(client, data, query=""):
    path = f"/terlapor/new{query}"
    return post_form(client, path, data, token_page=path)


def _person(name):
    return db.session.scalar(select(Terlapor).where(Terlapor.name == name))


def _count_people():
    return db.session.scalar(select(db.func.count()).select_from(Terlapor))


def _actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]


def _make_case(app, title="Kepala sekolah mengunggah dukungan", people=()):
    with in_app(app):
        category = db.session.scalar(
            select(ViolationCategory).where(ViolationCategory.code == "netralitas_asn")
        )
        case = cases.create_case(
            user("operator"),
            title=title,
            category=category,
            known_date=date(2026, 11, 2),
            terlapor=[db.session.get(Terlapor, i) for i in people],
        )
        return case.id


def test_list_searches_by_name_nip_and_handle(app, client, sign_in, budi_id):
    with in_app(app):
        siti = terlapor.create_terlapor(user("operator"), name="Siti Aminah", nip=None)
        terlapor.add_account(user("operator"), siti, platform="instagram", handle="siti.amin")
    _make_case(app, people=[budi_id])
    _make_case(app, title="Komentar dukungan", people=[budi_id])
    sign_in("operator")

    html = client.get("/terlapor").get_data(as_text=True)
    assert "Drs. Budi Santoso, M.Pd." in html and "Siti Aminah" in html
    row = re.search(rf'terlapor/{budi_id}".*?</tr>', html, re.S).group(0)
    assert '<td class="case-count">2</td>' in row

    for query in ("santoso", "BUDI", "2005011", "1980 0115", "@budisantoso", "budi.s"):
        html = client.get("/terlapor", query_string={"q": query}).get_data(as_text=True)
        assert "Budi Santoso" in html and "Siti Aminah" not in html, query
    html = client.get("/terlapor", query_string={"q": "siti.am"}).get_data(as_text=True)
    assert "Siti Aminah" in html and "Budi Santoso" not in html
    html = client.get("/terlapor", query_string={"q": "%"}).get_data(as_text=True)
    assert "Budi" not in html and "Siti" not in html


def test_list_is_paginated(app, client, sign_in, user_ids):
    with in_app(app):
        for n in range(27):
            terlapor.create_terlapor(user("operator"), name=f"Orang {n:02d}")
    sign_in("koordinator")
    first = client.get("/terlapor").get_data(as_text=True)
    second = client.get("/terlapor?page=2").get_data(as_text=True)
    assert "Orang 00" in first and "Orang 24" in first and "Orang 25" not in first
    assert "Orang 25" in second and "Orang 26" in second and "Orang 00" not in second
    assert "page=2" in first


def test_create_with_accounts(app, client, sign_in):
    sign_in("operator")
    response = _new(
        client,
        {
            "name": "Ahmad Fauzi, S.Pd.",
            "nip": "19850312 201001 1 002",
            "rank_grade": "Penata / III.c",
            "position": "Guru",
            "agency": "SDN 3 Gantung",
            "employment_status": "pns",
            "responsible_ppk": "Bupati Belitung Timur",
            "notes": "Akun utama di Facebook.",
            "accounts-0-platform": "facebook",
            "accounts-0-handle": "@ahmad.fauzi",
            "accounts-0-profile_url": "https://www.facebook.com/ahmad.fauzi",
            "accounts-1-platform": "tiktok",
            "accounts-1-handle": "fauzi85",
            "accounts-1-profile_url": "",
        },
    )
    assert response.status_code == 302
    with in_app(app):
        person = _person("Ahmad Fauzi, S.Pd.")
        assert response.headers["Location"] == f"/terlapor/{person.id}"
        assert person.nip == "198503122010011002" and person.employment_status == "pns"
        assert (person.rank_grade, person.responsible_ppk) == (
            "Penata / III.c",
            "Bupati Belitung Timur",
        )
        assert [(a.platform, a.handle_normalised, a.profile_url) for a in person.accounts] == [
            ("facebook", "ahmad.fauzi", "https://www.facebook.com/ahmad.fauzi"),
            ("tiktok", "fauzi85", None),
        ]
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "terlapor_created"))
        assert event.actor_username == "operator" and event.details["accounts"] == 2
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "@ahmad.fauzi" in html and "@fauzi85" in html and "SDN 3 Gantung" in html
    assert 'href="https://www.facebook.com/ahmad.fauzi"' in html


def test_bad_input_is_shown_and_nothing_is_saved(app, client, sign_in):
    sign_in("operator")
    response = _new(
        client,
        {
            "name": "Ahmad",
            "nip": "12345",
            "employment_status": "pns",
            "accounts-0-handle": "tanpa_platform",
            "accounts-1-platform": "x",
            "accounts-1-handle": "ahmad",
            "accounts-1-profile_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('class="error"') >= 3  # NIP, missing platform, profile URL
    assert "tanpa_platform" in html  # input kept
    with in_app(app):
        assert _count_people() == 0


def test_possible_duplicate_is_shown_then_saved_anyway(app, client, sign_in, budi_id):
    sign_in("operator")
    data = {
        "name": "Budi Santosa",
        "employment_status": "pppk",
        "accounts-0-platform": "facebook",
        "accounts-0-handle": "budi.s",
    }
    response = _new(client, data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    warning = re.search(r'class="banner duplicate-warning".*?</div>', html, re.S).group(0)
    assert f'href="/terlapor/{budi_id}"' in warning and "level-likely" in warning
    assert "save_anyway" in html and f'name="seen_matches" type="hidden" value="{budi_id}"' in html
    with in_app(app):
        assert _count_people() == 1

    # Ticking "save anyway" without having seen a match still warns.
    response = _new(client, {**data, "save_anyway": "y"})
    assert response.status_code == 200 and "duplicate-warning" in response.get_data(as_text=True)

    response = _new(client, {**data, "save_anyway": "y", "seen_matches": str(budi_id)})
    assert response.status_code == 302
    with in_app(app):
        assert _count_people() == 2
        assert _person("Budi Santosa").accounts[0].handle_normalised == "budi.s"


def test_a_duplicate_nip_is_refused_outright(app, client, sign_in, budi_id):
    sign_in("operator")
    response = _new(
        client,
        {
            "name": "Budi S.",
            "nip": "1980.0115.2005.0110.03",
            "employment_status": "pns",
            "save_anyway": "y",
            "seen_matches": str(budi_id),
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"Drs. Budi Santoso, M.Pd. (terlapor #{budi_id})" in html
    assert "level-certain" in html and 'name="save_anyway"' not in html
    with in_app(app):
        assert _count_people() == 1


def test_new_person_is_added_to_the_case(app, client, sign_in):
    case_id = _make_case(app)
    sign_in("operator")
    page = client.get(f"/terlapor/new?case={case_id}").get_data(as_text=True)
    assert f'href="/cases/{case_id}"' in page
    response = _new(
        client, {"name": "Rina Marlina", "employment_status": "ptt_honorer"}, f"?case={case_id}"
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/{case_id}"
    with in_app(app):
        case = db.session.get(Case, case_id)
        assert [p.name for p in case.terlapor] == ["Rina Marlina"]
        assert "case_terlapor_added" in _actions()
        assert case.events[-1].kind == "terlapor_added"
    assert client.get("/terlapor/new?case=999999").status_code == 404


def test_person_is_kept_when_the_case_refuses_them(app, client, sign_in):
    case_id = _make_case(app)
    with in_app(app):
        cases.submit_case(db.session.get(Case, case_id), user("operator"))
    sign_in("operator")  # operators change drafts only
    response = _new(client, {"name": "Rina Marlina", "employment_status": "lainnya"},
                    f"?case={case_id}")  # fmt: skip
    assert response.status_code == 302
    with in_app(app):
        person = _person("Rina Marlina")
        assert response.headers["Location"] == f"/terlapor/{person.id}"
        assert db.session.get(Case, case_id).terlapor == []
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "flash-error" in html and "Informasi Awal" in html


def test_person_page_shows_accounts_and_cases(app, client, sign_in, budi_id):
    case_id = _make_case(app, people=[budi_id])
    sign_in("operator")
    html = client.get(f"/terlapor/{budi_id}").get_data(as_text=True)
    assert NIP in html and "@budi.s" in html and "@budisantoso80" in html
    assert f'href="/cases/{case_id}"' in html and "Kepala sekolah mengunggah dukungan" in html
    assert "Draf" in html  # the case's state label
    assert f'href="/terlapor/{budi_id}/edit"' in html
    assert client.get("/terlapor/999999").status_code == 404


def test_edit_saves_changes_and_refuses_a_taken_nip(app, client, sign_in, budi_id):
    with in_app(app):
        other = terlapor.create_terlapor(user("operator"), name="Siti Aminah").id
    sign_in("koordinator")
    path = f"/terlapor/{budi_id}/edit"
    form = client.get(path).get_data(as_text=True)
    assert 'value="Drs. Budi Santoso, M.Pd."' in form and '<option selected value="pns">' in form
    response = post_form(
        client,
        path,
        {
            "name": "Budi Santoso",
            "nip": NIP,
            "employment_status": "pns",
            "position": "Guru",
            "agency": "",
        },  # fmt: skip
        token_page=path,
    )
    assert response.status_code == 302
    with in_app(app):
        person = db.session.get(Terlapor, budi_id)
        assert (person.name, person.position, person.agency) == ("Budi Santoso", "Guru", None)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "terlapor_updated"))
        assert event.actor_username == "koordinator"
        assert event.details["position"] == {"from": "Kepala Sekolah", "to": "Guru"}

    path = f"/terlapor/{other}/edit"
    response = post_form(
        client, path, {"name": "Siti Aminah", "nip": NIP, "employment_status": "pns"}, path
    )
    assert response.status_code == 200
    assert f"(terlapor #{budi_id})" in response.get_data(as_text=True)
    with in_app(app):
        assert db.session.get(Terlapor, other).nip is None


def test_accounts_are_added_on_the_person_page(app, client, sign_in, budi_id):
    with in_app(app):
        siti = terlapor.create_terlapor(user("operator"), name="Siti Aminah")
        terlapor.add_account(user("operator"), siti, platform="x", handle="bersama")
    sign_in("operator")
    path = f"/terlapor/{budi_id}"

    def add(**data):
        """Add an account and return the person's page the browser is sent back to."""
        response = post_form(client, f"{path}/accounts", data, token_page=path)
        assert response.status_code == 302 and response.headers["Location"] == path
        return client.get(path).get_data(as_text=True)

    html = add(platform="x", handle="@Bersama", profile_url="https://x.com/bersama")
    assert "@bersama" in html and "flash-success" in html
    assert "flash-info" in html and "Siti Aminah" in html  # the same account is Siti's

    for refused in (
        {"platform": "x", "handle": "bersama"},  # already there
        {"platform": "instagram", "handle": "budi", "profile_url": "javascript:alert(1)"},
        {"platform": "instagram", "handle": ""},
    ):
        html = add(**refused)
        assert "flash-error" in html and "flash-success" not in html, refused
    with in_app(app):
        person = db.session.get(Terlapor, budi_id)
        handles = [a.handle_normalised for a in person.accounts]
        assert handles == ["budi.s", "budisantoso80", "bersama"]
        assert _actions().count("terlapor_account_added") == 2  # Siti's and Budi's
