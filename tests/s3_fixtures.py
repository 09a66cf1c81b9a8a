"""Pytest plugin: a real SeaweedFS for the session and evidence stores on it.

Loaded by the main conftest with ``pytest_plugins = ("tests.s3_fixtures",)``.
"""

import secrets

import pytest

from sipansos.local_s3 import LocalS3, free_ports
from sipansos.storage import S3EvidenceStore


@pytest.fixture(scope="session")
def local_s3(tmp_path_factory):
    """A SeaweedFS on free local ports with random credentials, stopped after the session."""
    server = LocalS3(
        tmp_path_factory.mktemp("seaweedfs"),
        access_key=secrets.token_hex(10),
        secret_key=secrets.token_urlsafe(30),
        ports=free_ports(),
    )
    with server:
        yield server


@pytest.fixture(scope="session")
def s3_settings(local_s3):
    """Flask ``S3_*`` settings for a fresh bucket on ``local_s3`` (1-day COMPLIANCE retention)."""
    return {
        "S3_ENDPOINT": local_s3.endpoint,
        "S3_REGION": "us-east-1",
        "S3_BUCKET": f"sipansos-test-{secrets.token_hex(6)}",
        "S3_ACCESS_KEY": local_s3.access_key,
        "S3_SECRET_KEY": local_s3.secret_key,
        "S3_RETENTION_DAYS": 1,
        "S3_RETENTION_MODE": "COMPLIANCE",
    }


@pytest.fixture
def evidence_store(s3_settings):
    """An ``S3EvidenceStore`` on the session bucket."""
    store = S3EvidenceStore.from_config(s3_settings)
    yield store
    store.close()
