"""S3EvidenceStore against a real SeaweedFS (never a mock)."""

import base64
import hashlib
import io
import os
import socket
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError
from flask import Flask

from sipansos.storage import (
    DigestMismatch,
    EvidenceDeletionForbidden,
    ObjectNotFound,
    S3EvidenceStore,
    StorageError,
    StorageUnavailable,
    TooLarge,
    get_store,
    init_app,
    object_key,
)
from sipansos.storage.s3 import MULTIPART_CHUNK

MiB = 1024 * 1024


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class EndlessStream:
    """A body that never ends, counting what was read from it."""

    def __init__(self):
        self.consumed = 0

    def read(self, size=-1):
        size = size if size and size > 0 else 64 * 1024
        self.consumed += size
        return b"\0" * size


@pytest.fixture
def s3_client(local_s3):
    client = local_s3.client()
    yield client
    client.close()


@pytest.mark.parametrize("multipart", [False, True], ids=["single-put", "multipart"])
def test_round_trip_of_a_20_mb_object(s3_settings, s3_client, multipart):
    data = os.urandom(20 * MiB)
    threshold = 8 * MiB if multipart else 64 * MiB
    store = S3EvidenceStore.from_config(s3_settings, multipart_threshold=threshold)
    try:
        stored = store.put(io.BytesIO(data), expected_sha256=sha256(data), content_type="image/png")
        assert stored.created
        assert (stored.sha256, stored.size) == (sha256(data), len(data))
        assert stored.key == f"sha256/{stored.sha256[:2]}/{stored.sha256}"

        digest = hashlib.sha256()
        with store.open(stored.sha256) as reader:
            assert reader.content_type == "image/png"
            for chunk in reader:
                digest.update(chunk)
        assert digest.hexdigest() == sha256(data)
        assert store.verify(stored.sha256)
    finally:
        store.close()

    head = s3_client.head_object(Bucket=store.bucket, Key=stored.key, ChecksumMode="ENABLED")
    assert head["Metadata"]["sha256"] == sha256(data)
    if multipart:
        # A checksum of the parts' SHA-256s: S3 has no whole-object SHA-256 for multipart.
        assert head["ChecksumType"] == "COMPOSITE"
        parts = -(-len(data) // MULTIPART_CHUNK)
        assert head["ChecksumSHA256"].endswith(f"-{parts}")
    else:
        expected = base64.b64encode(hashlib.sha256(data).digest()).decode()
        assert head["ChecksumSHA256"] == expected


def test_identical_content_is_stored_once(evidence_store, s3_client):
    data = os.urandom(1000)

    first = evidence_store.put_bytes(data, content_type="text/html")
    second = evidence_store.put_bytes(data, content_type="text/html")

    assert first.created and not second.created
    assert (second.sha256, second.key, second.size) == (first.sha256, first.key, first.size)
    listing = s3_client.list_object_versions(Bucket=evidence_store.bucket, Prefix=first.key)
    assert [v["Key"] for v in listing["Versions"]] == [first.key]


def test_presigned_url_downloads_the_bytes(evidence_store):
    data = os.urandom(5000)
    stored = evidence_store.put_bytes(data, content_type="image/png")

    url = evidence_store.presigned_url(stored.sha256, expires_in=60, filename='bukti "1" ü.png')
    with urllib.request.urlopen(url) as response:  # noqa: S310 - our own local endpoint
        body = response.read()
        disposition = response.headers["Content-Disposition"]

    assert body == data
    assert disposition.startswith('attachment; filename="bukti _1_ _.png"')
    assert "filename*=UTF-8''bukti%20%221%22%20%C3%BC.png" in disposition


def test_missing_object_raises_object_not_found(evidence_store):
    missing = sha256(os.urandom(32))

    with pytest.raises(ObjectNotFound, match=missing):
        evidence_store.open(missing)
    assert evidence_store.head(missing) is None
    assert not evidence_store.exists(missing)


def test_wrong_expected_digest_raises_and_stores_nothing(evidence_store):
    data = os.urandom(2000)
    claimed = sha256(b"something else")

    with pytest.raises(DigestMismatch):
        evidence_store.put_bytes(data, expected_sha256=claimed)

    assert not evidence_store.exists(sha256(data))
    assert not evidence_store.exists(claimed)


def test_too_large_body_raises_and_stores_nothing(evidence_store):
    data = os.urandom(3 * MiB)

    with pytest.raises(TooLarge):
        evidence_store.put_bytes(data, max_bytes=len(data) - 1)

    assert not evidence_store.exists(sha256(data))
    assert evidence_store.put_bytes(data, max_bytes=len(data)).created


def test_too_large_stops_reading_once_over_the_limit(evidence_store):
    stream = EndlessStream()

    with pytest.raises(TooLarge):
        evidence_store.put(stream, max_bytes=5 * MiB)

    assert stream.consumed <= 7 * MiB


def test_delete_is_forbidden(evidence_store):
    stored = evidence_store.put_bytes(os.urandom(100))

    with pytest.raises(EvidenceDeletionForbidden):
        evidence_store.delete(stored.sha256)

    assert evidence_store.exists(stored.sha256)
    deleting = [name for name in dir(evidence_store) if "delete" in name or "remove" in name]
    assert deleting == ["delete"]


def test_bucket_has_object_lock_and_objects_get_retention(evidence_store, s3_client):
    assert evidence_store.ensure_bucket() is True
    config = s3_client.get_object_lock_configuration(Bucket=evidence_store.bucket)
    assert config["ObjectLockConfiguration"]["ObjectLockEnabled"] == "Enabled"

    stored = evidence_store.put_bytes(os.urandom(100))

    retention = s3_client.get_object_retention(Bucket=evidence_store.bucket, Key=stored.key)
    assert retention["Retention"]["Mode"] == "COMPLIANCE"
    until = retention["Retention"]["RetainUntilDate"]
    now = datetime.now(UTC)
    assert now + timedelta(hours=23) < until < now + timedelta(hours=25)
    # Even the storage admin cannot delete the locked version.
    version = s3_client.head_object(Bucket=evidence_store.bucket, Key=stored.key)["VersionId"]
    with pytest.raises(ClientError, match="AccessDenied"):
        s3_client.delete_object(Bucket=evidence_store.bucket, Key=stored.key, VersionId=version)
    assert evidence_store.exists(stored.sha256)


def test_verify_detects_an_altered_object(evidence_store, s3_client):
    good = evidence_store.put_bytes(os.urandom(100))
    claimed = sha256(os.urandom(32))
    evidence_store.ensure_bucket()
    # Bytes that do not match their name, written around the store.
    s3_client.put_object(Bucket=evidence_store.bucket, Key=object_key(claimed), Body=b"forged")

    assert evidence_store.verify(good.sha256)
    assert not evidence_store.verify(claimed)
    with evidence_store.open(claimed) as reader, pytest.raises(DigestMismatch):
        reader.read()


@pytest.mark.parametrize("value", ["../../etc/passwd", "A" * 64, "a" * 63, "a" * 64 + "\n", None])
def test_malformed_sha256_is_rejected(evidence_store, value):
    for call in (
        evidence_store.open,
        evidence_store.head,
        evidence_store.exists,
        evidence_store.verify,
        evidence_store.presigned_url,
    ):
        with pytest.raises(ValueError):
            call(value)
    with pytest.raises(ValueError):
        evidence_store.put_bytes(b"x", expected_sha256=value or 1)


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_init_app_builds_the_store_without_contacting_s3(s3_settings):
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    app = Flask(__name__)
    app.config.update(s3_settings, S3_ENDPOINT=endpoint)

    init_app(app)

    with app.app_context():
        store = get_store()
    assert isinstance(store, S3EvidenceStore)
    assert (store.bucket, store.retention_days, store.retention_mode) == (
        s3_settings["S3_BUCKET"],
        1,
        "COMPLIANCE",
    )
    with pytest.raises(StorageUnavailable, match=endpoint) as excinfo:
        store.exists(sha256(b"x"))
    assert isinstance(excinfo.value, StorageError)
    store.close()


def test_bucket_without_object_lock_is_reported_and_still_stores(s3_settings, s3_client, caplog):
    bucket = f"{s3_settings['S3_BUCKET']}-unlocked"
    s3_client.create_bucket(Bucket=bucket)
    store = S3EvidenceStore.from_config(s3_settings, bucket=bucket)
    try:
        assert store.ensure_bucket() is False
        assert "Object Lock is not enabled" in caplog.text

        stored = store.put_bytes(os.urandom(100))

        with pytest.raises(ClientError, match="InvalidRequest"):
            s3_client.get_object_retention(Bucket=bucket, Key=stored.key)
        assert store.verify(stored.sha256)
    finally:
        store.close()
