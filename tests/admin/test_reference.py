"""Reference data pages (Referensi): admins edit every kind; others are refused; template edits
never reach an open case's checklist; holidays move working-day deadlines; all is audited."""

from datetime import date

import pytest
from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import (
    Agency,
    AuditEvent,
    Case,
    CaseState,
    HariLibur,
    LegalBasis,
    Route,
    RouteChecklistItem,
    ViolationCategory,
)
from sipansos.services import cases, deadlines, reference
from tests.cases.flow import walk
from tests.conftest import login, post_form
from tests.terlapor.conftest import in_app, user


@pytest.fixture
def seeded(app, make_user):
    """The default reference data and one user per role."""
    with in_app(app):
        reference.load_default_reference_data()
    for role in ("operator", "koordinator", "admin"):
        make_user(role, role=role)


@pytest.fixture
def admin(client, seeded):
    assert login(client, "admin").status_code == 302
    return client


def _post(client, path, data=None, page=None):
    return post_form(client, path, data, token_page=page or path)


def _events(action):
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
    ).all()


def _by_code(model, code):
    return db.session.scalar(select(model).where(model.code == code))


def _route(code):
    return reference.route_by_code(code)


def test_index_counts_each_kind_and_the_unverified(admin):
    html = admin.get("/admin/reference").get_data(as_text=True)
    for path in ("categories", "legal-bases", "agencies", "routes", "holidays"):
        assert f'href="/admin/reference/{path}"' in html
    assert "badge unverified" in html
    assert 'href="/admin/reference"' in html  # the nav link


# (kind, code of a seeded row, form fields for an edit, what the row then holds)
EDITS = [
    ("categories", ViolationCategory, "hoaks",
     {"name": "Hoaks / Disinformasi", "description": "Konten bohong", "position": "3"},
     {"name": "Hoaks / Disinformasi", "description": "Konten bohong", "position": 3,
      "active": False}),
    ("legal-bases", LegalBasis, "uu10_2016_p71",
     {"regulation": "UU 10/2016", "article": "Pasal 71 ayat (1)", "summary": "",
      "verified": "y", "active": "y"},
     {"article": "Pasal 71 ayat (1)", "summary": None, "active": True}),
    ("agencies", Agency, "bkn",
     {"name": "Badan Kepegawaian Negara", "note": "Deputi Wasdal", "verified": "y",
      "active": "y"},
     {"name": "Badan Kepegawaian Negara", "note": "Deputi Wasdal", "active": True}),
]  # fmt: skip


@pytest.mark.parametrize("kind,model,code,form,expected", EDITS, ids=[e[0] for e in EDITS])
def test_admin_edits_and_adds_each_kind(app, admin, kind, model, code, form, expected):
    with in_app(app):
        row_id = _by_code(model, code).id
    listing = admin.get(f"/admin/reference/{kind}").get_data(as_text=True)
    assert f'href="/admin/reference/{kind}/{row_id}"' in listing
    path = f"/admin/reference/{kind}/{row_id}"
    assert admin.get(path).status_code == 200
    response = _post(admin, path, form)
    assert response.status_code == 302, response.get_data(as_text=True)
    with in_app(app):
        row = db.session.get(model, row_id)
        assert {key: getattr(row, key) for key in expected} == expected
        [event] = _events("reference_updated")
        assert event.actor_username == "admin" and event.target_id == str(row_id)
        assert event.target_type == model.__tablename__

    new = {"categories": {"new-name": "Politik Uang"},
           "legal-bases": {"new-regulation": "UU 7/2017", "new-article": "Pasal 280"},
           "agencies": {"new-name": "Inspektorat Daerah", "new-verified": ""}}[kind]  # fmt: skip
    response = _post(admin, f"/admin/reference/{kind}", new)
    assert response.status_code == 302
    with in_app(app):
        [event] = _events("reference_created")
        added = db.session.get(model, int(event.target_id))
        assert added.code in {"politik_uang", "uu_7_2017_pasal_280", "inspektorat_daerah"}
        assert added.active
        if kind == "agencies":
            assert added.verified is False
        code = added.code
    assert code in admin.get(f"/admin/reference/{kind}").get_data(as_text=True)


def test_a_form_error_keeps_the_row_unchanged(app, admin):
    with in_app(app):
        row_id = _by_code(Agency, "bkn").id
    response = _post(admin, f"/admin/reference/agencies/{row_id}", {"name": ""})
    assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True)
    with in_app(app):
        assert db.session.get(Agency, row_id).name.startswith("Badan Kepegawaian Negara (BKN)")
        assert _events("reference_updated") == []
    assert admin.get("/admin/reference/nothing").status_code == 404


@pytest.mark.parametrize("role", ["koordinator", "operator"])
def test_only_admins_may_edit(app, client, seeded, role):
    assert login(client, role).status_code == 302
    with in_app(app):
        route = _route("pns")
        route_id, item_id = route.id, route.items[0].id
        agency_id = _by_code(Agency, "bkn").id
    for path in ("/admin/reference", "/admin/reference/agencies", "/admin/reference/routes",
                 f"/admin/reference/routes/{route_id}", "/admin/reference/holidays"):  # fmt: skip
        assert client.get(path).status_code == 403, path
    posts = [
        (f"/admin/reference/agencies/{agency_id}", {"name": "X"}),
        ("/admin/reference/agencies", {"new-name": "X"}),
        (f"/admin/reference/routes/{route_id}/items", {"item-title": "X"}),
        (f"/admin/reference/routes/{route_id}/items/{item_id}/remove", {}),
        (f"/admin/reference/routes/{route_id}/items/{item_id}/move", {"direction": "down"}),
        ("/admin/reference/holidays", {"date": "2026-12-24", "name": "X"}),
        (f"/admin/reference/agencies/{agency_id}/verify", {}),
    ]
    for path, data in posts:
        assert _post(client, path, data, page="/terlapor").status_code == 403, path
    with in_app(app):
        assert len(_route("pns").items) == 8
        assert _by_code(Agency, "bkn").name != "X"
        assert (
            db.session.scalar(select(HariLibur).where(HariLibur.date == date(2026, 12, 24))) is None
        )
        assert _events("reference_updated") == [] and _events("holiday_added") == []


def _titles(route_code):
    return [(i.position, i.title) for i in _route(route_code).items]


def test_route_checklist_template_is_edited_reordered_and_extended(app, admin):
    with in_app(app):
        route = _route("pns")
        route_id = route.id
        first, second, third = (i.id for i in route.items[:3])
        before = _titles("pns")
    base = f"/admin/reference/routes/{route_id}"
    page = admin.get(base).get_data(as_text=True)
    assert f'action="{base}/items/{second}/move"' in page

    # Edit an item: new title, who acts and a working-day deadline.
    response = _post(
        admin,
        f"{base}/items/{second}",
        {"title": "Undang terlapor untuk klarifikasi", "actor": "Koordinator Divisi",
         "deadline_days": "2", "deadline_unit": "working", "deadline_anchor": "registered_date",
         "verified": "y"},
    )  # fmt: skip
    assert response.status_code == 302
    # Move the third item up, then the first one down.
    assert _post(admin, f"{base}/items/{third}/move", {"direction": "up"}, base).status_code == 302
    _post(admin, f"{base}/items/{first}/move", {"direction": "down"}, base)
    # Add an item; an incomplete deadline is refused.
    _post(admin, f"{base}/items", {"item-title": "Arsipkan", "item-deadline_days": "3"}, base)
    response = _post(
        admin,
        f"{base}/items",
        {"item-title": "Catat putusan PTUN", "item-actor": "PPK", "item-deadline_days": "30",
         "item-deadline_unit": "calendar", "item-deadline_anchor": "previous_item"},
        base,
    )  # fmt: skip
    assert response.status_code == 302
    with in_app(app):
        items = _route("pns").items
        assert [i.id for i in items[:3]] == [third, first, second]
        assert [i.position for i in items] == list(range(1, 10))
        edited = db.session.get(RouteChecklistItem, second)
        assert (edited.title, edited.actor) == (
            "Undang terlapor untuk klarifikasi",
            "Koordinator Divisi",
        )
        assert (edited.deadline_days, edited.deadline_unit) == (2, "working")
        last = items[-1]
        assert (last.title, last.actor, last.deadline_days, last.deadline_anchor) == (
            "Catat putusan PTUN", "PPK", 30, "previous_item")  # fmt: skip
        assert "Arsipkan" not in [i.title for i in items]
        assert len(_events("reference_route_item_moved")) == 2
        assert len(_events("reference_route_item_added")) == 1
        [update] = _events("reference_updated")
        assert update.details["deadline_unit"] == {"from": "calendar", "to": "working"}

    # Remove the (now) second item.
    _post(admin, f"{base}/items/{first}/remove", {}, base)
    with in_app(app):
        items = _route("pns").items
        assert first not in [i.id for i in items] and len(items) == 8
        assert [i.position for i in items] == list(range(1, 9))
        [removed] = _events("reference_route_item_removed")
        assert removed.details["title"] == dict(before)[1]


def test_template_edits_do_not_touch_an_open_case_checklist(app, admin):
    with in_app(app):
        case = cases.create_case(user("operator"), title="Guru mengunggah dukungan",
                                 known_date=date(2026, 11, 2))  # fmt: skip
        walk(case, user("koordinator"), CaseState.DITERUSKAN_INSTANSI)
        assert case.route.code == "pns"
        case_id, route_id = case.id, case.route_id

        def snapshot():
            checklist = db.session.get(Case, case_id).checklist
            fields = ("id", "position", "title", "actor", "deadline_days", "deadline_unit",
                      "deadline_anchor", "due_date", "template_item_id", "route_code")  # fmt: skip
            return [tuple(getattr(i, f) for f in fields) for i in checklist]

        before = snapshot()
        items = [i.id for i in _route("pns").items]
    assert len(before) == 8
    base = f"/admin/reference/routes/{route_id}"
    _post(admin, f"{base}/items/{items[1]}", {"title": "Judul baru", "deadline_days": "1",
          "deadline_unit": "working", "deadline_anchor": "registered_date"})  # fmt: skip
    _post(admin, f"{base}/items/{items[4]}/move", {"direction": "up"}, base)
    _post(admin, f"{base}/items/{items[0]}/remove", {}, base)
    _post(admin, f"{base}/items", {"item-title": "Langkah tambahan"}, base)
    with in_app(app):
        assert _titles("pns")[0] == (1, "Judul baru")  # the template did change
        db.session.expire_all()
        assert snapshot() == before


def test_routes_are_created_with_copies(app, admin):
    with in_app(app):
        hoaks = _by_code(ViolationCategory, "hoaks").id
        kominfo = _by_code(Agency, "komdigi").id
        sekda, camat = _by_code(Agency, "sekda").id, _by_code(Agency, "camat").id
    response = _post(
        admin,
        "/admin/reference/routes/new",
        {"name": "Kepala Desa – hoaks", "subject_status": "kepala_desa", "category_id": str(hoaks),
         "channel": "penerusan", "recipient_id": str(kominfo), "verified": "y"},
    )  # fmt: skip
    assert response.status_code == 302
    with in_app(app):
        route = _by_code(Route, "kepala_desa_hoaks")
        assert (route.subject_status, route.category_id, route.recipient_id) == (
            "kepala_desa", hoaks, kominfo)  # fmt: skip
        assert response.headers["Location"] == f"/admin/reference/routes/{route.id}"
        assert [r.code for r in reference.suggest_routes("kepala_desa", "hoaks")][0] == route.code
        route_id = route.id
    base = f"/admin/reference/routes/{route_id}"
    for agency in (sekda, camat, sekda, kominfo):  # the last two are refused
        _post(admin, f"{base}/copies", {"agency_id": str(agency)}, base)
    with in_app(app):
        route = db.session.get(Route, route_id)
        assert [c.agency_id for c in route.copies] == [sekda, camat]
        copy_id = route.copies[0].id
    html = admin.get(base).get_data(as_text=True)
    assert "flash-error" in html
    _post(admin, f"{base}/copies/{copy_id}/remove", {}, base)
    # Edit the route itself: any status, Gakkumdu channel, no recipient.
    response = _post(admin, base, {"name": "Hoaks – desa", "subject_status": "",
                                   "category_id": str(hoaks), "channel": "gakkumdu",
                                   "recipient_id": "", "active": "y", "verified": "y"})  # fmt: skip
    assert response.status_code == 302
    with in_app(app):
        route = db.session.get(Route, route_id)
        assert [c.agency_id for c in route.copies] == [camat]
        assert (route.name, route.subject_status, route.channel, route.recipient_id) == (
            "Hoaks – desa", None, "gakkumdu", None)  # fmt: skip
        assert len(_events("reference_route_copy_added")) == 2
        assert len(_events("reference_route_copy_removed")) == 1
        assert _events("reference_created")[0].details["code"] == "kepala_desa_hoaks"


def test_a_holiday_moves_a_working_day_deadline(app, admin):
    # Wednesday 23 Dec 2026 + 1 working day: Thursday 24, unless the 24th is a holiday; the
    # seeded 25th (Christmas) and the weekend push it to Monday 28.
    with in_app(app):
        assert deadlines.add_days(date(2026, 12, 23), 1, "working") == date(2026, 12, 24)
    page = "/admin/reference/holidays"
    response = _post(admin, page, {"date": "2026-12-24", "name": "Cuti bersama Natal",
                                   "verified": "y"})  # fmt: skip
    assert response.status_code == 302
    with in_app(app):
        assert deadlines.add_days(date(2026, 12, 23), 1, "working") == date(2026, 12, 28)
        holiday = db.session.scalar(select(HariLibur).where(HariLibur.date == date(2026, 12, 24)))
        assert holiday.verified and holiday.name == "Cuti bersama Natal"
        holiday_id = holiday.id
        [event] = _events("holiday_added")
        assert event.details == {"date": "2026-12-24", "name": "Cuti bersama Natal"}
    response = _post(admin, page, {"date": "2026-12-24", "name": "Lagi"})
    assert response.status_code == 200 and "flash-error" in response.get_data(as_text=True)

    _post(admin, f"{page}/{holiday_id}/remove", {}, page)
    with in_app(app):
        assert deadlines.add_days(date(2026, 12, 23), 1, "working") == date(2026, 12, 24)
        assert _events("holiday_removed")[0].details["date"] == "2026-12-24"


@pytest.mark.parametrize(
    "kind,find",
    [
        ("legal-bases", lambda: _by_code(LegalBasis, "skb_netralitas_asn")),
        ("agencies", lambda: _by_code(Agency, "kapolres_propam")),
        ("routes", lambda: _route("polri")),
        ("route-items", lambda: _route("pns").items[2]),
        ("holidays", lambda: db.session.scalar(select(HariLibur).order_by(HariLibur.date))),
    ],
)
def test_unverified_rows_are_marked_and_can_be_verified(app, admin, kind, find):
    with in_app(app):
        row = find()
        assert row.verified is False
        row_id, model = row.id, type(row)
        page = {
            "route-items": f"/admin/reference/routes/{getattr(row, 'route_id', 0)}",
            "routes": "/admin/reference/routes",
            "holidays": "/admin/reference/holidays",
        }.get(kind, f"/admin/reference/{kind}")
    verify = f"/admin/reference/{kind}/{row_id}/verify"
    html = admin.get(page).get_data(as_text=True)
    assert f'action="{verify}"' in html and "badge unverified" in html
    response = _post(admin, verify, {}, page)
    assert response.status_code == 302
    with in_app(app):
        assert db.session.get(model, row_id).verified is True
        [event] = _events("reference_updated")
        assert event.details == {"verified": {"from": False, "to": True}}
    assert f'action="{verify}"' not in admin.get(page).get_data(as_text=True)
