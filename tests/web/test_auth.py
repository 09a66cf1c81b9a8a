from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import AuditEvent, User
from tests.conftest import PASSWORD, csrf_token, login, post_form


def _audit_actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]


def test_login_and_logout(app, client, make_user):
    make_user("siti", role="operator")
    response = login(client, "siti")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "siti" in client.get("/").get_data(as_text=True)

    response = post_form(client, "/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page
    assert _audit_actions(app)[-2:] == ["login", "logout"]


def test_login_is_case_insensitive_for_username(client, make_user):
    make_user("budi")
    assert login(client, "  BUDI ").status_code == 302


def test_wrong_password_is_refused_and_audited(app, client, make_user):
    make_user("siti")
    response = login(client, "siti", "wrong password!")
    assert response.status_code == 200
    assert "Username atau kata sandi salah" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    with app.app_context():
        event = db.session.scalars(select(AuditEvent)).all()[-1]
        assert event.action == "login_failed" and event.details == {"reason": "wrong_password"}
        assert event.actor_username == "siti"


def test_unknown_user_gets_the_same_message(app, client):
    response = login(client, "nobody", "whatever-password")
    assert "Username atau kata sandi salah" in response.get_data(as_text=True)
    assert _audit_actions(app) == ["login_failed"]


def test_login_rate_limit_triggers(app, client, make_user):
    make_user("siti")
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    statuses = [login(client, "siti", "wrong password!").status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit
    assert statuses[limit] == 429
    # Even the right password is refused until the window passes.
    assert login(client, "siti", PASSWORD).status_code == 429


def test_deactivated_user_cannot_log_in(client, make_user):
    make_user("lama", active=False)
    response = login(client, "lama")
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_deactivation_ends_an_open_session(app, client, make_user):
    user_id = make_user("siti")
    login(client, "siti")
    assert client.get("/").status_code == 200
    with app.app_context():
        from sipansos.services import accounts

        admin_id = make_user("boss", role="admin")
        accounts.set_active(db.session.get(User, admin_id), db.session.get(User, user_id), False)
    assert client.get("/").status_code == 302


def test_post_without_csrf_token_is_rejected(app, client, make_user):
    make_user("siti")
    response = client.post("/login", data={"username": "siti", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302
    login(client, "siti")
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still signed in


def test_change_own_password_ends_other_sessions(app, client, make_user):
    make_user("siti")
    other = app.test_client()
    login(client, "siti")
    login(other, "siti")
    new_password = "a much better passphrase"
    response = post_form(
        client,
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": new_password,
            "confirm": new_password,
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this browser stays signed in
    assert other.get("/").status_code == 302  # the other one is signed out
    post_form(client, "/logout")
    assert login(client, "siti", PASSWORD).status_code == 200
    assert login(client, "siti", new_password).status_code == 302
    assert "password_changed" in _audit_actions(app)


def test_change_password_checks_current_and_length(client, make_user):
    make_user("siti")
    login(client, "siti")
    wrong = post_form(
        client,
        "/account/password",
        {
            "current_password": "not it at all",
            "new_password": "another long one",
            "confirm": "another long one",
        },
    )
    assert "Kata sandi saat ini salah" in wrong.get_data(as_text=True)
    short = post_form(
        client,
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "short",
            "confirm": "short",
        },
    )
    assert short.status_code == 200
    post_form(client, "/logout")
    assert login(client, "siti").status_code == 302  # password unchanged


def test_temporary_password_must_be_changed_first(app, client):
    from sipansos.services import accounts

    with app.app_context():
        accounts.create_user(
            None, username="baru", full_name="Baru", role="operator", password="temporary-pass-1"
        )
    login(client, "baru", "temporary-pass-1")
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"
    assert client.get("/").headers["Location"] == "/account/password"
    post_form(
        client,
        "/account/password",
        {
            "current_password": "temporary-pass-1",
            "new_password": "my own passphrase",
            "confirm": "my own passphrase",
        },
        token_page="/account/password",
    )
    assert client.get("/").status_code == 200


def test_login_does_not_redirect_off_site(client, make_user):
    make_user("siti")
    token = csrf_token(client)
    response = client.post(
        "/login?next=https://evil.example/",
        data={"username": "siti", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_login_follows_local_next(client, make_user):
    make_user("siti")
    token = csrf_token(client)
    response = client.post(
        "/login?next=/account/tokens",
        data={"username": "siti", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/account/tokens"


def test_passwords_are_stored_as_argon2id(app, make_user):
    user_id = make_user("siti")
    with app.app_context():
        stored = db.session.get(User, user_id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
