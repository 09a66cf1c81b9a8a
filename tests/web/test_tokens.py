import re

from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import ApiToken, AuditEvent
from tests.conftest import post_form

SECRET_RE = re.compile(r'id="new-token" value="(sps_[^"]+)"|value="(sps_[^"]+)"')


def _create_token(client, name):
    response = post_form(client, "/account/tokens", {"name": name}, token_page="/account/tokens")
    match = SECRET_RE.search(response.get_data(as_text=True))
    assert match, "secret not shown after creation"
    return match.group(1) or match.group(2)


def test_created_secret_works_and_is_shown_once(app, client, login_as):
    login_as("operator")
    secret = _create_token(client, "Chrome laptop kantor")
    api = app.test_client()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200
    assert me.json["user"]["username"] == "operator1"
    assert me.json["token"]["name"] == "Chrome laptop kantor"
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Chrome laptop kantor" in listing
    assert secret not in listing and secret[:12] in listing


def test_only_the_hash_is_stored(app, client, login_as):
    login_as("operator")
    secret = _create_token(client, "Edge")
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        stored = {c.name: getattr(token, c.name) for c in ApiToken.__table__.columns}
    assert all(secret not in str(value) for value in stored.values())
    import hashlib

    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()


def test_revoked_token_gets_401_json(app, client, login_as):
    login_as("operator")
    secret = _create_token(client, "Chrome")
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    post_form(client, f"/account/tokens/{token_id}/revoke", token_page="/account/tokens")
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    assert response.is_json
    assert response.json["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "token_created" in actions and "token_revoked" in actions
    assert "Chrome" not in client.get("/account/tokens").get_data(as_text=True).split("<h2>")[-1]


def test_user_cannot_revoke_someone_elses_token(app, client, login_as, make_user):
    from sipansos.models import User
    from sipansos.services import tokens

    other_id = make_user("lain")
    with app.app_context():
        token, secret = tokens.create_token(db.session.get(User, other_id), "Firefox")
        token_id = token.id
    login_as("operator")
    response = post_form(client, f"/account/tokens/{token_id}/revoke")
    assert response.status_code == 404
    assert (
        app.test_client()
        .get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        .status_code
        == 200
    )


def test_last_used_time_is_recorded(app, client, login_as):
    login_as("operator")
    secret = _create_token(client, "Chrome")
    with app.app_context():
        assert db.session.scalar(select(ApiToken.last_used_at)) is None
    app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    with app.app_context():
        assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_token_without_name_is_refused(client, login_as):
    login_as("operator")
    response = post_form(client, "/account/tokens", {"name": "  "}, token_page="/account/tokens")
    assert response.status_code == 200
    assert "sps_" not in response.get_data(as_text=True)
