"""Capture ingest: check every artifact, store it content-addressed, sign a receipt.

Nothing reaches the evidence store before every artifact has been checked (names, sizes, SHA-256,
media type from the bytes), so a refused upload leaves no object and no row behind.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Artifact, Capture
from ..models.types import utcnow
from ..schemas.captures import CaptureManifestSchema
from ..storage import get_store
from . import audit
from .signing import key_id, sign_manifest_digest
from .sniff import matches, measure_stream, normalise, sniff

MANIFEST_FORMAT = "sipansos-capture/1"
# Share and tracking parameters that do not change which post a URL shows.
_TRACKING_PARAMS = {"fbclid", "igshid", "igsh", "gclid", "mibextid", "si", "ref", "s"}


class CaptureRejected(Exception):
    """The upload was refused; nothing was stored. ``status`` is the HTTP status to answer."""

    def __init__(self, status, code, message, details=None):
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = message
        self.details = details


@dataclass(frozen=True)
class Receipt:
    capture_id: str
    received_at: object
    manifest_sha256: str
    signature: str
    key_id: str


def canonical_json(value):
    """The one byte form of a JSON value that is hashed and signed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def post_key(url, permalink=None):
    """Captures showing the same post share this key: the permalink, else the URL without
    fragment and tracking parameters, lower-cased host; hashed to a fixed length."""
    parts = urlsplit(permalink or url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS
    ]
    path = parts.path.rstrip("/") or "/"
    normal = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))
    return hashlib.sha256(normal.encode()).hexdigest()


def receipt_for(capture):
    return Receipt(
        capture_id=str(capture.capture_uuid),
        received_at=capture.received_at,
        manifest_sha256=capture.manifest_sha256,
        signature=capture.signature,
        key_id=capture.signing_key_id,
    )


def find_capture(capture_uuid):
    return db.session.scalar(select(Capture).where(Capture.capture_uuid == capture_uuid))


def _check_artifact(artifact, stream):
    """Hash, measure and sniff one uploaded file; raise CaptureRejected on any mismatch."""
    sha256, size, head = measure_stream(stream)
    name = artifact["name"]
    if size != artifact["size"]:
        raise CaptureRejected(
            400,
            "size_mismatch",
            f"{name}: the manifest says {artifact['size']} bytes, {size} arrived",
            {"artifact": name, "declared": artifact["size"], "received": size},
        )
    if sha256 != artifact["sha256"]:
        raise CaptureRejected(
            400,
            "digest_mismatch",
            f"{name}: the bytes do not match the SHA-256 in the manifest",
            {"artifact": name, "declared": artifact["sha256"], "received": sha256},
        )
    if not matches(artifact["media_type"], head):
        raise CaptureRejected(
            415,
            "media_type_mismatch",
            f"{name}: declared {normalise(artifact['media_type'])}, "
            f"but the content is {sniff(head) or 'not a recognised type'}",
            {
                "artifact": name,
                "declared": normalise(artifact["media_type"]),
                "detected": sniff(head),
            },
        )


def _manifest_document(capture, artifacts, uploader):
    def iso(value):
        # Always UTC: the database gives back UTC, so a re-built manifest must match.
        return value.astimezone(UTC).isoformat() if value else None

    return {
        "format": MANIFEST_FORMAT,
        "capture_id": str(capture.capture_uuid),
        "source": capture.source,
        "url": capture.url,
        "title": capture.title,
        "platform": capture.platform,
        "category": capture.category,
        "note": capture.note,
        "client": {**capture.client_info, "captured_at": iso(capture.client_captured_at)},
        "post": {
            "author_name": capture.post_author_name,
            "author_handle": capture.post_author_handle,
            "author_url": capture.post_author_url,
            "post_id": capture.post_id,
            "posted_at": iso(capture.post_posted_at),
            "text": capture.post_text,
            "permalink": capture.post_permalink,
        },
        "server": {
            "received_at": iso(capture.received_at),
            "uploader": uploader.username,
            "uploader_id": uploader.id,
        },
        "artifacts": [
            {
                "name": a.name,
                "kind": a.kind,
                "media_type": a.media_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in artifacts
        ],
    }


def manifest_document(capture):
    """The canonical manifest of a stored capture, rebuilt from the database (for checks)."""
    return _manifest_document(capture, capture.artifacts, capture.uploader)


def ingest(uploader, raw_manifest, files, *, signing_key, source="extension", ip=None):
    """Store one capture. Returns ``(capture, created)``; ``created`` is False for a retry.

    ``files`` maps each artifact name to a readable, seekable binary stream.
    """
    if not isinstance(raw_manifest, dict):
        raise CaptureRejected(422, "invalid_manifest", "The manifest must be a JSON object.")
    try:
        manifest = CaptureManifestSchema().load(raw_manifest)
    except ValidationError as exc:
        raise CaptureRejected(
            422, "invalid_manifest", "The manifest is not valid.", exc.normalized_messages()
        ) from exc
    request_sha256 = hashlib.sha256(canonical_json(raw_manifest)).hexdigest()

    existing = find_capture(manifest["capture_id"])
    if existing is not None:
        return _retried(existing, uploader, request_sha256), False

    declared = [a["name"] for a in manifest["artifacts"]]
    missing = sorted(set(declared) - set(files))
    unexpected = sorted(set(files) - set(declared))
    if missing:
        raise CaptureRejected(
            400,
            "missing_artifact",
            f"Artifacts named in the manifest were not sent: {missing}",
            {"missing": missing},
        )
    if unexpected:
        raise CaptureRejected(
            400,
            "unexpected_artifact",
            f"Files were sent that the manifest does not name: {unexpected}",
            {"unexpected": unexpected},
        )
    for artifact in manifest["artifacts"]:
        _check_artifact(artifact, files[artifact["name"]])

    store = get_store()
    artifacts = []
    for position, artifact in enumerate(manifest["artifacts"]):
        media_type = normalise(artifact["media_type"])
        stored = store.put(
            files[artifact["name"]],
            expected_sha256=artifact["sha256"],
            # A bare multipart type without boundary breaks HTTP clients reading the object back.
            content_type="application/x-mimearchive"
            if media_type.startswith("multipart/")
            else media_type,
            max_bytes=artifact["size"],
        )
        artifacts.append(
            Artifact(
                position=position,
                name=artifact["name"],
                kind=artifact["kind"],
                media_type=normalise(artifact["media_type"]),
                size=stored.size,
                sha256=stored.sha256,
            )
        )

    post = manifest["post"]
    capture = Capture(
        capture_uuid=manifest["capture_id"],
        source=source,
        request_sha256=request_sha256,
        url=manifest["url"],
        post_key=post_key(manifest["url"], post.get("permalink")),
        title=manifest.get("title"),
        platform=manifest["platform"],
        category=manifest.get("category"),
        note=manifest.get("note"),
        client_captured_at=manifest["captured_at"],
        received_at=utcnow(),
        uploader=uploader,
        client_info={
            "browser": manifest["browser"],
            "extension_version": manifest.get("extension_version"),
            "viewport": manifest.get("viewport"),
            "page": manifest.get("page"),
        },
        post_author_name=post.get("author_name"),
        post_author_handle=post.get("author_handle"),
        post_author_url=post.get("author_url"),
        post_id=post.get("post_id"),
        post_posted_at=post.get("posted_at"),
        post_text=post.get("text"),
        post_permalink=post.get("permalink"),
        artifacts=artifacts,
    )
    manifest_bytes = canonical_json(_manifest_document(capture, artifacts, uploader))
    stored_manifest = store.put_bytes(manifest_bytes, content_type="application/json")
    capture.manifest_sha256 = stored_manifest.sha256
    capture.signature = sign_manifest_digest(signing_key, stored_manifest.sha256)
    capture.signing_key_id = key_id(signing_key.public_key())
    db.session.add(capture)
    audit.record(
        "capture_received",
        actor=uploader,
        target=capture,
        ip=ip,
        details={
            "capture_id": str(capture.capture_uuid),
            "source": source,
            "url": capture.url[:500],
            "artifacts": len(artifacts),
            "manifest_sha256": capture.manifest_sha256,
        },
    )
    try:
        db.session.commit()
    except IntegrityError:
        # The same capture id arrived twice at once; the other request stored it.
        db.session.rollback()
        existing = find_capture(manifest["capture_id"])
        if existing is None:
            raise
        return _retried(existing, uploader, request_sha256), False
    return capture, True


def _retried(existing, uploader, request_sha256):
    if existing.request_sha256 != request_sha256 or existing.uploader_id != uploader.id:
        raise CaptureRejected(
            409,
            "capture_id_conflict",
            "A different capture with this capture id is already stored.",
            {"capture_id": str(existing.capture_uuid)},
        )
    return existing


def withdraw_capture(actor, capture, reason, *, ip=None):
    """Withdraw a capture from the evidence list (coordinators and admins only).

    Nothing is deleted: the capture, its artifacts and its receipt stay as they are; it is only
    marked with who withdrew it, when and why. Raises ``PermissionError`` for other roles and
    ``ValueError`` without a reason or when it is already withdrawn.
    """
    from sqlalchemy import update

    from ..models import Role

    if not actor.has_role(Role.ADMIN, Role.KOORDINATOR):
        raise PermissionError("only coordinators and admins withdraw evidence")
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a reason is required")
    now = utcnow()
    # Conditional update: of two simultaneous withdrawals only the first is recorded.
    result = db.session.execute(
        update(Capture)
        .where(Capture.id == capture.id, Capture.withdrawn_at.is_(None))
        .values(withdrawn_at=now, withdrawn_by_id=actor.id, withdrawal_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ValueError("already withdrawn")
    audit.record(
        "capture_withdrawn",
        actor=actor,
        target=capture,
        ip=ip,
        details={"capture_id": str(capture.capture_uuid), "reason": reason[:1000]},
    )
    db.session.commit()
    db.session.refresh(capture)
    return capture
