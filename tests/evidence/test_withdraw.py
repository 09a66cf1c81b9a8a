"""Tarik bukti: coordinators and admins withdraw evidence with a reason; nothing is deleted."""

import hashlib

import pytest
from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import AuditEvent, Capture, User
from sipansos.services import captures
from tests.conftest import post_form
from tests.evidence.conftest import capture_row, listed


def test_coordinator_withdraws_with_a_reason(app, client, login_as, api_secret, store_capture):
    manifest, files = store_capture(api_secret("siti"))
    coordinator_id = login_as("koordinator")
    path = f"/evidence/{manifest['capture_id']}"
    assert listed(client) == [manifest["capture_id"]]

    response = post_form(
        client, f"{path}/withdraw", {"reason": "Salah unggah: bukan akun terlapor"}, token_page=path
    )
    assert response.status_code == 302 and response.headers["Location"] == path

    assert listed(client) == []
    assert listed(client, "withdrawn=1") == [manifest["capture_id"]]
    html = client.get(path).get_data(as_text=True)
    assert "Bukti ini telah ditarik" in html
    assert "Salah unggah: bukan akun terlapor" in html and "Koordinator1" in html
    assert 'action="' + path + '/withdraw"' not in html  # no second withdrawal form

    capture = capture_row(app, manifest["capture_id"])
    assert capture.withdrawn_by_id == coordinator_id and capture.withdrawn_at is not None
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()))
        assert event.action == "capture_withdrawn" and event.actor_id == coordinator_id
        assert event.target_type == "captures" and event.target_id == str(capture.id)
        assert event.details["reason"] == "Salah unggah: bukan akun terlapor"
    # Still stored, still downloadable, still intact.
    name, data = next(iter(files.items()))
    download = client.get(f"{path}/artifacts/{name}")
    assert hashlib.sha256(download.data).hexdigest() == hashlib.sha256(data).hexdigest()

    again = post_form(client, f"{path}/withdraw", {"reason": "lagi"}, token_page=path)
    assert again.status_code == 302
    assert "sudah ditarik" in client.get(path).get_data(as_text=True)


def test_admin_may_withdraw_too(client, login_as, api_secret, store_capture):
    manifest, _ = store_capture(api_secret("siti"))
    login_as("admin")
    path = f"/evidence/{manifest['capture_id']}"
    response = post_form(client, f"{path}/withdraw", {"reason": "Duplikat"}, token_page=path)
    assert response.status_code == 302
    assert listed(client) == []


def test_operator_cannot_withdraw(app, client, login_as, api_secret, store_capture):
    manifest, _ = store_capture(api_secret("siti"))
    login_as("operator")
    path = f"/evidence/{manifest['capture_id']}"
    assert 'action="' + path + '/withdraw"' not in client.get(path).get_data(as_text=True)
    response = post_form(client, f"{path}/withdraw", {"reason": "Saya mau"}, token_page=path)
    assert response.status_code == 403
    assert capture_row(app, manifest["capture_id"]).withdrawn_at is None
    assert listed(client) == [manifest["capture_id"]]


def test_operator_does_not_see_withdrawn_evidence(
    app, client, make_user, login_as, api_secret, store_capture
):

    manifest, _ = store_capture(api_secret("siti"))
    coordinator_id = make_user("kord", role="koordinator")
    with app.app_context():
        capture = db.session.scalar(select(Capture))
        captures.withdraw_capture(db.session.get(User, coordinator_id), capture, "Duplikat")
    login_as("operator")
    html = client.get("/evidence?withdrawn=1").get_data(as_text=True)
    assert listed(client, "withdrawn=1") == [] and 'name="withdrawn"' not in html
    # The page itself still opens (a link in a case file keeps working), with the banner.
    assert "Bukti ini telah ditarik" in client.get(f"/evidence/{manifest['capture_id']}").get_data(
        as_text=True
    )


def test_withdraw_service_checks_role_and_reason(app, make_user, api_secret, store_capture):

    store_capture(api_secret("siti"))
    operator_id = make_user("op", role="operator")
    coordinator_id = make_user("kord", role="koordinator")
    with app.app_context():
        capture = db.session.scalar(select(Capture))
        with pytest.raises(PermissionError):
            captures.withdraw_capture(db.session.get(User, operator_id), capture, "alasan")
        with pytest.raises(ValueError, match="reason"):
            captures.withdraw_capture(db.session.get(User, coordinator_id), capture, " ")
        assert capture.withdrawn_at is None


def test_reason_is_required(app, client, login_as, api_secret, store_capture):
    manifest, _ = store_capture(api_secret("siti"))
    login_as("koordinator")
    path = f"/evidence/{manifest['capture_id']}"
    response = post_form(client, f"{path}/withdraw", {"reason": "   "}, token_page=path)
    assert response.status_code == 400
    assert "Tuliskan alasan" in response.get_data(as_text=True)
    assert capture_row(app, manifest["capture_id"]).withdrawn_at is None
    assert listed(client) == [manifest["capture_id"]]
