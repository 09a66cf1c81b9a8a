"""WACZ evidence packages: accepted by Webrecorder's validator, and checkable by hand."""

import base64
import hashlib
import json
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from sqlalchemy import select

from sipansos.extensions import db
from sipansos.models import AuditEvent, User
from sipansos.services import case_records, evidence_queries
from sipansos.services.wacz import build_wacz
from sipansos.storage import get_store
from tests.capture_helpers import mhtml_bytes, png_bytes
from tests.evidence.conftest import capture_row

# The console script: ``python -m wacz`` always exits 0.
WACZ_CLI = str(Path(sys.executable).with_name("wacz"))
PAGE = "<html><body><article><p>Ayo pilih nomor 2!</p></article></body></html>"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def wacz_validate(path):
    """Webrecorder's own validator (``wacz validate -f``): (passed, output)."""
    result = subprocess.run(
        [WACZ_CLI, "validate", "-f", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def stored(api_secret, store_capture):
    files = {
        "screenshot-full-0.png": ("screenshot_full", "image/png", png_bytes(100, 300)),
        "Viewport.png": ("screenshot_viewport", "image/png", png_bytes(100, 60)),
        "page.mhtml": ("page_mhtml", "multipart/related", mhtml_bytes(PAGE)),
        "dom.html": ("dom_html", "text/html", ("<!DOCTYPE html>" + PAGE).encode()),
    }
    return store_capture(api_secret("siti"), files)


def write_package(app, capture_ids, path):
    with app.app_context():
        captures = [capture_row(app, capture_id) for capture_id in capture_ids]
        public_key = app.extensions["receipt_key"].public_key()
        with build_wacz(captures, store=get_store(), public_key=public_key, title="Uji") as package:
            path.write_bytes(package.read())
    return path


def test_package_passes_the_wacz_validator_and_holds_every_artifact(app, stored, tmp_path):
    manifest, files = stored
    path = write_package(app, [manifest["capture_id"]], tmp_path / "bukti.wacz")

    passed, output = wacz_validate(path)
    assert passed, output

    capture_id = manifest["capture_id"]
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        datapackage = json.loads(package.read("datapackage.json"))
        digest = json.loads(package.read("datapackage-digest.json"))
        for name, data in files.items():
            assert package.read(f"evidence/{capture_id}_{name}") == data
        pages = package.read("pages/pages.jsonl").decode().splitlines()
        index = package.read("indexes/index.cdx").decode()
        receipt = json.loads(package.read(f"receipts/{capture_id}_receipt.json"))
        stored_manifest = package.read(f"receipts/{capture_id}_manifest.json")
        key = load_pem_public_key(package.read("receipts/public-key.pem"))
        assert "openssl pkeyutl -verify" in package.read("receipts/README.txt").decode()
        assert all(i.compress_type == zipfile.ZIP_STORED for i in package.infolist())

    assert datapackage["wacz_version"] == "1.1.1"
    listed = {r["path"]: r["hash"] for r in datapackage["resources"]}
    assert set(listed) == names - {"datapackage.json", "datapackage-digest.json"}
    for name, data in files.items():
        assert listed[f"evidence/{capture_id}_{name}"] == f"sha256:{sha256(data)}"
    assert json.loads(pages[1])["url"] == manifest["url"]
    # The DOM answers for the page URL in the WARC index (SURT form of the host).
    assert "com,facebook)/someone/posts/123 " in index
    assert digest["hash"].startswith("sha256:")

    # What the README tells an outsider to check, done here with the same primitives.
    assert hashlib.sha256(stored_manifest).hexdigest() == receipt["manifest_sha256"]
    artifacts = {a["name"]: a["sha256"] for a in json.loads(stored_manifest)["artifacts"]}
    assert artifacts == {name: sha256(data) for name, data in files.items()}
    key.verify(base64.b64decode(receipt["signature"]), receipt["signed_message"].encode())


def test_one_changed_byte_fails_validation(app, stored, tmp_path):
    manifest, files = stored
    path = write_package(app, [manifest["capture_id"]], tmp_path / "bukti.wacz")
    member = f"evidence/{manifest['capture_id']}_dom.html"
    with zipfile.ZipFile(path) as original:
        entries = [(info, original.read(info.filename)) for info in original.infolist()]
    tampered = tmp_path / "diubah.wacz"
    with zipfile.ZipFile(tampered, "w") as package:
        for info, data in entries:
            if info.filename == member:
                data = data.replace(b"nomor 2", b"nomor 1")
            package.writestr(info, data)

    passed, output = wacz_validate(tampered)
    assert not passed
    assert "Validation failed" in output


def test_a_case_package_holds_several_captures(app, api_secret, store_capture, tmp_path):
    secret = api_secret("budi")
    first, _ = store_capture(secret)
    second, _ = store_capture(secret, url="https://x.com/budi/status/2")
    path = write_package(
        app, [first["capture_id"], second["capture_id"]], tmp_path / "perkara.wacz"
    )
    passed, output = wacz_validate(path)
    assert passed, output
    with zipfile.ZipFile(path) as package:
        pages = package.read("pages/pages.jsonl").decode().splitlines()
    assert [json.loads(line)["id"] for line in pages[1:]] == [
        first["capture_id"].replace("-", ""),
        second["capture_id"].replace("-", ""),
    ]


def audit_events(app, action):
    with app.app_context():
        return [
            (e.actor_username, e.target_type, e.target_id, e.details)
            for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        ]


def test_download_of_a_capture_package_is_audited(
    app, client, login_as, api_secret, store_capture, tmp_path
):
    # Signed in before the upload, as the evidence tests do (see tests/evidence/test_detail.py).
    login_as("koordinator", "koordinator")
    manifest, _files = store_capture(api_secret("siti"))
    response = client.get(f"/evidence/{manifest['capture_id']}/export.wacz")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert (
        f"sipansos-bukti-{manifest['capture_id']}.wacz" in response.headers["Content-Disposition"]
    )
    path = tmp_path / "unduhan.wacz"
    path.write_bytes(response.data)
    passed, output = wacz_validate(path)
    assert passed, output
    capture = capture_row(app, manifest["capture_id"])
    assert audit_events(app, "capture_exported") == [
        (
            "koordinator",
            "captures",
            str(capture.id),
            {"format": "wacz", "capture_id": manifest["capture_id"]},
        )
    ]


def test_case_package_holds_the_evidence_of_the_case(
    app, client, login_as, api_secret, store_capture, tmp_path
):
    login_as("koordinator", "koordinator")
    secret = api_secret("budi")
    first, _ = store_capture(secret)
    second, _ = store_capture(secret, url="https://x.com/budi/status/2")
    store_capture(secret, url="https://x.com/budi/status/3")  # not in the case
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == "koordinator"))
        case = case_records.create_case(actor, title="Kepala desa mendukung calon")
        for capture_id in (first["capture_id"], second["capture_id"]):
            capture = evidence_queries.get_capture(uuid.UUID(capture_id))
            case_records.add_evidence(case, actor, capture)
        case_id = case.id

    path = tmp_path / "perkara.wacz"
    with client.get(f"/cases/{case_id}/export.wacz") as response:
        assert response.status_code == 200
        path.write_bytes(response.data)
    passed, output = wacz_validate(path)
    assert passed, output
    with zipfile.ZipFile(path) as package:
        pages = package.read("pages/pages.jsonl").decode().splitlines()
    assert [json.loads(line)["url"] for line in pages[1:]] == [
        first["url"],
        "https://x.com/budi/status/2",
    ]
    [(actor_name, target_type, target_id, details)] = audit_events(app, "case_exported")
    assert (actor_name, target_type, target_id) == ("koordinator", "cases", str(case_id))
    assert details["captures"] == [first["capture_id"], second["capture_id"]]
    assert client.get("/cases/999/export.wacz").status_code == 404


def test_evidence_and_case_pages_offer_the_package(
    app, client, login_as, api_secret, store_capture
):
    login_as("operator", "operator")
    manifest, _files = store_capture(api_secret("siti"))
    html = client.get(f"/evidence/{manifest['capture_id']}").get_data(as_text=True)
    assert f'href="/evidence/{manifest["capture_id"]}/export.wacz"' in html
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == "operator"))
        case = case_records.create_case(actor, title="Tanpa bukti")
        empty_id = case.id
        case = case_records.create_case(actor, title="Dengan bukti")
        capture = evidence_queries.get_capture(uuid.UUID(manifest["capture_id"]))
        case_records.add_evidence(case, actor, capture)
        case_id = case.id
    assert f'href="/cases/{case_id}/export.wacz"' in client.get(f"/cases/{case_id}").get_data(
        as_text=True
    )
    assert "export.wacz" not in client.get(f"/cases/{empty_id}").get_data(as_text=True)
