import hashlib
import json
import subprocess
import sys

import boto3
import pytest
from sqlalchemy import func, select, update

from sipansos.extensions import db
from sipansos.models import Artifact, AuditEvent, Capture, User
from sipansos.receipts import check_receipt
from sipansos.services import tokens
from sipansos.storage import get_store, object_key
from tests.capture_helpers import build_capture, png_bytes, post_capture, replace_file
from tests.conftest import as_database_owner


@pytest.fixture
def operator_secret(app, make_user):
    user_id = make_user("operator1", role="operator")
    with app.app_context():
        _token, secret = tokens.create_token(db.session.get(User, user_id), "Chrome")
    return secret


@pytest.fixture
def s3_client(s3_settings):
    return boto3.client(
        "s3",
        endpoint_url=s3_settings["S3_ENDPOINT"],
        aws_access_key_id=s3_settings["S3_ACCESS_KEY"],
        aws_secret_access_key=s3_settings["S3_SECRET_KEY"],
        region_name="us-east-1",
    )


def _stored_state(app, s3_client):
    """Capture rows and object versions in the bucket: what a refused upload must not change."""
    with app.app_context():
        rows = db.session.scalar(select(func.count(Capture.id)))
        bucket = app.config["S3_BUCKET"]
    if not any(b["Name"] == bucket for b in s3_client.list_buckets()["Buckets"]):
        return rows, 0
    versions = s3_client.list_object_versions(Bucket=bucket).get("Versions", [])
    return rows, len(versions)


def _public_key(client):
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    return load_pem_public_key(
        client.get("/api/v1/keys").json["keys"][0]["public_key_pem"].encode()
    )


def test_round_trip_of_a_realistic_capture(app, client, operator_secret):
    big = png_bytes(1000, 1500, noise=True)
    assert len(big) > 4_000_000
    manifest, files = build_capture()
    manifest, files = build_capture(
        {
            "screenshot-full-0.png": ("screenshot_full", "image/png", big),
            "screenshot-full-1.png": ("screenshot_full", "image/png", png_bytes(1000, 300)),
            "page.mhtml": ("page_mhtml", "multipart/related", files["page.mhtml"]),
            "dom.html": ("dom_html", "text/html", files["dom.html"]),
        }
    )
    response = post_capture(client, operator_secret, manifest, files)
    assert response.status_code == 201, response.json
    receipt = response.json
    assert receipt["capture_id"] == manifest["capture_id"]
    assert receipt["evidence_url"].endswith(f"/evidence/{manifest['capture_id']}")

    with app.app_context():
        store = get_store()
        for name, data in files.items():
            sha = hashlib.sha256(data).hexdigest()
            with store.open(sha) as reader:
                assert reader.read() == data, name
        capture = db.session.scalar(select(Capture))
        assert capture.post_author_handle == "budi.s" and capture.uploader.username == "operator1"
        assert [a.name for a in capture.artifacts] == list(files)
        assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.seq.desc())) == (
            "capture_received"
        )

    headers = {"Authorization": f"Bearer {operator_secret}"}
    manifest_bytes = client.get(
        f"/api/v1/captures/{manifest['capture_id']}/manifest", headers=headers
    ).data
    stored_manifest = json.loads(manifest_bytes)
    assert {a["name"]: a["sha256"] for a in stored_manifest["artifacts"]} == {
        a["name"]: a["sha256"] for a in manifest["artifacts"]
    }
    assert stored_manifest["server"]["uploader"] == "operator1"
    assert check_receipt(receipt, _public_key(client), manifest_bytes) == []


def test_receipt_verifies_offline_with_only_the_public_key(client, operator_secret, tmp_path):
    manifest, files = build_capture()
    receipt = post_capture(client, operator_secret, manifest, files).json
    key = client.get("/api/v1/keys").json["keys"][0]
    (tmp_path / "key.pem").write_text(key["public_key_pem"])
    (tmp_path / "receipt.json").write_text(json.dumps(receipt))
    (tmp_path / "manifest.json").write_bytes(
        client.get(
            f"/api/v1/captures/{manifest['capture_id']}/manifest",
            headers={"Authorization": f"Bearer {operator_secret}"},
        ).data
    )

    def run(*extra):
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "sipansos.receipts",
                str(tmp_path / "receipt.json"),
                "--public-key",
                str(tmp_path / "key.pem"),
                *extra,
            ],
            capture_output=True,
            text=True,
            check=False,
        )

    result = run("--manifest", str(tmp_path / "manifest.json"))
    assert result.returncode == 0, result.stderr
    forged = dict(receipt, manifest_sha256="0" * 64)
    (tmp_path / "receipt.json").write_text(json.dumps(forged))
    result = run()
    assert result.returncode == 1 and "signature does not match" in result.stderr


def test_retry_returns_the_same_receipt_and_stores_once(app, client, operator_secret, s3_client):
    manifest, files = build_capture()
    first = post_capture(client, operator_secret, manifest, files)
    state = _stored_state(app, s3_client)
    again = post_capture(client, operator_secret, manifest, files)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json == first.json
    assert _stored_state(app, s3_client) == state


def test_same_capture_id_with_other_content_is_a_conflict(app, client, operator_secret, s3_client):
    manifest, files = build_capture()
    post_capture(client, operator_secret, manifest, files)
    state = _stored_state(app, s3_client)
    other_manifest, other_files = build_capture(capture_id=manifest["capture_id"])
    replace_file(other_manifest, other_files, "viewport.png", png_bytes(81, 60))
    response = post_capture(client, operator_secret, other_manifest, other_files)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "capture_id_conflict"
    assert _stored_state(app, s3_client) == state


def _bad_hash(manifest, files):
    manifest["artifacts"][0]["sha256"] = "0" * 64


def _wrong_type(manifest, files):
    jpeg = b"\xff\xd8\xff\xe0" + b"JFIF" + b"\0" * 100
    replace_file(manifest, files, "viewport.png", jpeg)


def _text_as_png(manifest, files):
    replace_file(manifest, files, "viewport.png", b"just some text pretending to be a PNG")


def _size_mismatch(manifest, files):
    manifest["artifacts"][0]["size"] += 1


def _missing_artifact(manifest, files):
    del files["dom.html"]


def _unknown_artifact(manifest, files):
    files["extra.bin"] = b"surprise"


def _malformed_manifest(manifest, files):
    del manifest["url"]
    manifest["captured_at"] = "yesterday"


def _kind_type_mismatch(manifest, files):
    manifest["artifacts"][2]["media_type"] = "image/png"  # page_mhtml declared as PNG


@pytest.mark.parametrize(
    "spoil,status,code",
    [
        (_bad_hash, 400, "digest_mismatch"),
        (_wrong_type, 415, "media_type_mismatch"),
        (_text_as_png, 415, "media_type_mismatch"),
        (_size_mismatch, 400, "size_mismatch"),
        (_missing_artifact, 400, "missing_artifact"),
        (_unknown_artifact, 400, "unexpected_artifact"),
        (_malformed_manifest, 422, "invalid_manifest"),
        (_kind_type_mismatch, 422, "invalid_manifest"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_bad_input_is_refused_and_nothing_is_stored(
    app, client, operator_secret, s3_client, spoil, status, code
):
    manifest, files = build_capture()
    spoil(manifest, files)
    before = _stored_state(app, s3_client)
    response = post_capture(client, operator_secret, manifest, files)
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    assert _stored_state(app, s3_client) == before


def test_invalid_json_manifest(app, client, operator_secret, s3_client):
    before = _stored_state(app, s3_client)
    response = client.post(
        "/api/v1/captures",
        data={"manifest": "{not json"},
        headers={"Authorization": f"Bearer {operator_secret}"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_json"
    response = client.post(
        "/api/v1/captures",
        data={},
        headers={"Authorization": f"Bearer {operator_secret}"},
        content_type="multipart/form-data",
    )
    assert response.json["error"]["code"] == "missing_manifest"
    assert _stored_state(app, s3_client) == before


def test_oversize_body_is_refused(app, client, operator_secret, s3_client):
    manifest, files = build_capture()
    before = _stored_state(app, s3_client)
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 20_000
    try:
        replace_file(manifest, files, "screenshot-full-0.png", png_bytes(200, 200, noise=True))
        response = post_capture(client, operator_secret, manifest, files)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413 and response.is_json
    assert response.json["error"]["code"] == "request_entity_too_large"
    assert _stored_state(app, s3_client) == before


def test_revoked_token_cannot_upload(app, client, operator_secret, s3_client):
    with app.app_context():
        token = tokens.authenticate_token(operator_secret)
        tokens.revoke_token(token.user, token)
    before = _stored_state(app, s3_client)
    manifest, files = build_capture()
    response = post_capture(client, operator_secret, manifest, files)
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    assert _stored_state(app, s3_client) == before


def test_receipts_are_visible_to_uploader_and_coordinators_only(
    app, client, operator_secret, make_user
):
    manifest, files = build_capture()
    post_capture(client, operator_secret, manifest, files)
    path = f"/api/v1/captures/{manifest['capture_id']}"
    assert (
        client.get(path, headers={"Authorization": f"Bearer {operator_secret}"}).status_code == 200
    )
    for username, role, expected in (("lain", "operator", 404), ("koor", "koordinator", 200)):
        user_id = make_user(username, role=role)
        with app.app_context():
            _t, secret = tokens.create_token(db.session.get(User, user_id), "x")
        assert (
            client.get(path, headers={"Authorization": f"Bearer {secret}"}).status_code == expected
        )


def test_verify_passes_on_intact_evidence(app, client, operator_secret):
    manifest, files = build_capture()
    post_capture(client, operator_secret, manifest, files)
    result = app.test_cli_runner().invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert "Everything intact: 1 captures" in result.output


def test_verify_finds_a_changed_byte_in_storage(app, client, operator_secret, s3_client):
    manifest, files = build_capture()
    # Unique bytes: objects are shared by content, and this one is about to be spoiled.
    replace_file(manifest, files, "viewport.png", png_bytes(80, 60, noise=True))
    post_capture(client, operator_secret, manifest, files)
    original = files["viewport.png"]
    forged = original[:-20] + bytes([original[-20] ^ 1]) + original[-19:]
    sha = hashlib.sha256(original).hexdigest()
    # Someone with the S3 keys writes a new version over the evidence key.
    s3_client.put_object(Bucket=app.config["S3_BUCKET"], Key=object_key(sha), Body=forged)
    result = app.test_cli_runner().invoke(args=["verify"])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if manifest["capture_id"] in line]
    assert problems == [
        f"capture {manifest['capture_id']}: artifact 'viewport.png' ({sha}) altered in the "
        "evidence store (its bytes no longer hash to its name)"
    ]


def test_verify_finds_a_changed_hash_in_the_database(app, client, operator_secret):
    manifest, files = build_capture()
    post_capture(client, operator_secret, manifest, files)
    forged = hashlib.sha256(b"other evidence").hexdigest()
    with app.app_context():
        db.session.execute(
            update(Artifact).where(Artifact.name == "dom.html").values(sha256=forged)
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["verify"])
    assert result.exit_code == 1
    assert (
        f"capture {manifest['capture_id']}: database record differs from the signed manifest: "
        "artifact 'dom.html' sha256" in result.output
    )
    assert f"artifact 'dom.html' ({forged}) missing from the evidence store" in result.output
    assert "viewport.png" not in result.output


def test_verify_finds_an_edited_audit_row(app, client, operator_secret):
    manifest, files = build_capture()
    post_capture(client, operator_secret, manifest, files)
    with app.app_context(), as_database_owner() as conn:
        conn.execute(
            update(AuditEvent).where(AuditEvent.action == "capture_received").values(ip_address="x")
        )
    result = app.test_cli_runner().invoke(args=["verify"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("audit log:")]
    assert len(lines) == 1 and "content was altered" in lines[0]


def test_openapi_describes_the_capture_api(client):
    spec = client.get("/api/v1/openapi.json").json
    post = spec["paths"]["/api/v1/captures"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert "/api/v1/keys" in spec["paths"]
    assert "signature" in spec["components"]["schemas"]["Receipt"]["properties"]
