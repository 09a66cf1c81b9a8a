import pytest
from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import AuditEvent, Role, User
from sipansos.services import accounts
from tests.conftest import PASSWORD, login, post_form


def _user(app, username):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def test_admin_creates_operator_who_signs_in_and_must_change_password(app, client, login_as):
    login_as("admin")
    response = post_form(
        client,
        "/admin/users/new",
        {
            "username": "Operator.Satu",
            "full_name": "Operator Satu",
            "email": "op1@example.id",
            "role": "operator",
            "password": "temporary-pass-1",
        },
        token_page="/admin/users/new",
    )
    assert response.status_code == 302
    user = _user(app, "operator.satu")
    assert user.role == Role.OPERATOR and user.must_change_password and user.active

    other = app.test_client()
    assert login(other, "operator.satu", "temporary-pass-1").status_code == 302
    assert other.get("/").headers["Location"] == "/account/password"


def test_duplicate_username_is_refused(app, client, login_as, make_user):
    login_as("admin")
    make_user("siti")
    response = post_form(
        client,
        "/admin/users/new",
        {
            "username": "SITI",
            "full_name": "Another Siti",
            "role": "operator",
            "password": "temporary-pass-1",
        },
        token_page="/admin/users/new",
    )
    assert response.status_code == 200
    assert "sudah dipakai" in response.get_data(as_text=True)


def test_invalid_form_keeps_input_and_shows_errors(client, login_as):
    login_as("admin")
    response = post_form(
        client,
        "/admin/users/new",
        {
            "username": "bad name!",
            "full_name": "",
            "role": "operator",
            "password": "short",
        },
        token_page="/admin/users/new",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="bad name!"' in html
    assert html.count('class="error"') >= 3


def test_search_users(client, login_as, make_user):
    login_as("admin")
    make_user("rahmat", role="koordinator")
    make_user("dewi", role="operator")
    html = client.get("/admin/users?q=rah").get_data(as_text=True)
    assert "rahmat" in html and "dewi" not in html
    html = client.get("/admin/users?role=operator").get_data(as_text=True)
    assert "dewi" in html and "rahmat" not in html


def test_edit_role_is_audited(app, client, login_as, make_user):
    login_as("admin")
    user_id = make_user("dewi", role="operator")
    response = post_form(
        client,
        f"/admin/users/{user_id}",
        {
            "full_name": "Dewi Lestari",
            "email": "",
            "role": "koordinator",
        },
        token_page=f"/admin/users/{user_id}",
    )
    assert response.status_code == 302
    assert _user(app, "dewi").role == Role.KOORDINATOR
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "user_updated"
    assert event.details["role"] == {"from": "operator", "to": "koordinator"}
    assert event.actor_username == "admin1"


def test_deactivate_and_reactivate(app, client, login_as, make_user):
    login_as("admin")
    user_id = make_user("dewi")
    post_form(client, f"/admin/users/{user_id}/active", {"active": "0"})
    assert not _user(app, "dewi").active
    assert login(app.test_client(), "dewi").status_code == 200  # refused
    post_form(client, f"/admin/users/{user_id}/active", {"active": "1"})
    assert _user(app, "dewi").active
    assert login(app.test_client(), "dewi").status_code == 302


def test_reset_password(app, client, login_as, make_user):
    login_as("admin")
    user_id = make_user("dewi")
    post_form(client, f"/admin/users/{user_id}/password", {"password": "fresh-temp-pass"})
    assert login(app.test_client(), "dewi", PASSWORD).status_code == 200
    other = app.test_client()
    assert login(other, "dewi", "fresh-temp-pass").status_code == 302
    assert other.get("/").headers["Location"] == "/account/password"


def test_admin_cannot_remove_own_admin_role(app, client, login_as, make_user):
    admin_id = login_as("admin")
    make_user("second", role="admin")
    response = post_form(
        client,
        f"/admin/users/{admin_id}",
        {
            "full_name": "Admin",
            "role": "operator",
        },
        token_page=f"/admin/users/{admin_id}",
    )
    assert "tidak dapat mencabut peran admin Anda sendiri" in response.get_data(as_text=True)
    assert _user(app, "admin1").role == Role.ADMIN


def test_admin_cannot_deactivate_self(app, client, login_as):
    admin_id = login_as("admin")
    response = post_form(client, f"/admin/users/{admin_id}/active", {"active": "0"})
    assert response.status_code == 302
    assert _user(app, "admin1").active
    assert client.get("/admin/users").status_code == 200


def test_last_active_admin_cannot_be_demoted_or_deactivated(app, make_user):
    solo_id = make_user("solo", role="admin")
    make_user("pergi", role="admin", active=False)  # an inactive admin does not count
    actor_id = make_user("koor", role="koordinator")
    with app.app_context():
        solo, actor = db.session.get(User, solo_id), db.session.get(User, actor_id)
        with pytest.raises(accounts.AccountError, match="admin aktif terakhir"):
            accounts.set_active(actor, solo, False)
        with pytest.raises(accounts.AccountError, match="admin aktif terakhir"):
            accounts.update_user(actor, solo, full_name="Solo", email=None, role="operator")
        db.session.rollback()
        solo = db.session.get(User, solo_id)
        assert solo.active and solo.role == Role.ADMIN


def test_admin_revokes_a_users_token(app, client, login_as, make_user):
    from sipansos.services import tokens

    login_as("admin")
    user_id = make_user("dewi")
    with app.app_context():
        token, secret = tokens.create_token(db.session.get(User, user_id), "Chrome")
        token_id = token.id
    post_form(client, f"/admin/users/{user_id}/tokens/{token_id}/revoke")
    assert (
        app.test_client()
        .get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        .status_code
        == 401
    )
