"""Evidence storage: a content-addressed, tamper-evident store on S3-compatible storage.

The rest of the app reaches it through ``get_store()``; only this package knows about S3.
"""

from flask import current_app

from .s3 import (
    DigestMismatch,
    EvidenceDeletionForbidden,
    EvidenceReader,
    ObjectNotFound,
    S3EvidenceStore,
    StorageError,
    StorageUnavailable,
    StoredObject,
    TooLarge,
    check_sha256,
    object_key,
)

EXTENSION_KEY = "evidence_store"

__all__ = [
    "DigestMismatch",
    "EvidenceDeletionForbidden",
    "EvidenceReader",
    "ObjectNotFound",
    "S3EvidenceStore",
    "StorageError",
    "StorageUnavailable",
    "StoredObject",
    "TooLarge",
    "check_sha256",
    "get_store",
    "init_app",
    "object_key",
]


def init_app(app):
    """Build the evidence store from the app's ``S3_*`` settings; S3 is not contacted here."""
    app.extensions[EXTENSION_KEY] = S3EvidenceStore.from_config(app.config)


def get_store() -> S3EvidenceStore:
    """The evidence store of the current app."""
    return current_app.extensions[EXTENSION_KEY]
