from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import AuditEvent, User
from tests.conftest import PASSWORD


def _issue(client, username, password=PASSWORD, name="Chrome kantor"):
    return client.post(
        "/api/v1/tokens", json={"username": username, "password": password, "name": name}
    )


def test_extension_signs_in_with_password_and_gets_a_named_token(app, client, make_user):
    make_user("siti")
    response = _issue(client, "siti")
    assert response.status_code == 201
    body = response.json
    assert body["name"] == "Chrome kantor" and body["secret"].startswith("sps_")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['secret']}"})
    assert me.json["user"] == {
        "id": me.json["user"]["id"],
        "username": "siti",
        "full_name": "Siti",
        "role": "operator",
    }
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-2:] == ["login", "token_created"]


def test_wrong_password_gets_401_json(client, make_user):
    make_user("siti")
    response = _issue(client, "siti", "nope nope nope")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert "Wrong username or password" in response.json["error"]["message"]


def test_invalid_body_gets_422_with_field_details(client):
    response = client.post("/api/v1/tokens", json={"username": "siti"})
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "unprocessable_entity"
    assert set(error["details"]["json"]) == {"password", "name"}


def test_sign_out_revokes_the_token(client, make_user):
    make_user("siti")
    secret = _issue(client, "siti").json["secret"]
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_deactivated_users_tokens_stop_working(app, client, make_user):
    from sipansos.services import accounts

    user_id = make_user("siti")
    admin_id = make_user("boss", role="admin")
    secret = _issue(client, "siti").json["secret"]
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    with app.app_context():
        accounts.set_active(db.session.get(User, admin_id), db.session.get(User, user_id), False)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert _issue(client, "siti").status_code == 401


def test_user_with_temporary_password_must_use_the_web_first(app, client):
    from sipansos.services import accounts

    with app.app_context():
        accounts.create_user(
            None, username="baru", full_name="Baru", role="operator", password="temporary-pass-1"
        )
    response = _issue(client, "baru", "temporary-pass-1")
    assert response.status_code == 403 and response.is_json


def test_token_sign_in_is_rate_limited(app, client, make_user):
    make_user("siti")
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    codes = [_issue(client, "siti", "wrong wrong wrong").status_code for _ in range(limit + 1)]
    assert codes[-1] == 429
    assert client.post("/api/v1/tokens", json={}).json["error"]["code"] == "too_many_requests"


def test_missing_or_malformed_authorization(client):
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer sps_nope"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401 and response.is_json


def test_api_errors_are_json_never_html(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json["error"] == {
        "status": 404,
        "code": "not_found",
        "message": response.json["error"]["message"],
    }
    response = client.post("/api/v1/me")
    assert response.status_code == 405 and response.is_json


def test_health_and_openapi(client):
    assert client.get("/api/v1/health").json == {"status": "ok", "service": "sipansos"}
    spec = client.get("/api/v1/openapi.json").json
    assert spec["info"]["title"] == "SIPANSOS API"
    assert "/api/v1/tokens" in spec["paths"] and "/api/v1/me" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
