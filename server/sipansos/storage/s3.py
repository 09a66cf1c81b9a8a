"""Content-addressed evidence store on S3-compatible object storage (SeaweedFS, MinIO, AWS).

Every object lives at ``sha256/<hex[0:2]>/<hex>``, so identical bytes are stored once and a key
names exactly one content. Evidence is never deleted through this module; where the bucket has
Object Lock, each new object also gets a retention date that the storage itself enforces.
"""

import base64
import hashlib
import io
import logging
import re
import tempfile
import threading
import urllib.parse
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError, FlexibleChecksumError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

log = logging.getLogger(__name__)

MiB = 1024 * 1024
READ_CHUNK = MiB
SPOOL_IN_MEMORY = 8 * MiB
MULTIPART_THRESHOLD = 64 * MiB
# Parts held in memory at once: MULTIPART_CHUNK × 4 (see _transfer), whatever the S3 speed.
MULTIPART_CHUNK = 8 * MiB
RETENTION_MODES = ("COMPLIANCE", "GOVERNANCE")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_NOT_FOUND = ("404", "NoSuchKey", "NotFound")

# One boto3 session for all stores: a new session loads the S3 model again (~0.3 s), and
# sessions are not thread-safe, so client creation takes the lock (clients are thread-safe).
_session = None
_session_lock = threading.Lock()


def _s3_client(**kwargs):
    global _session
    with _session_lock:
        if _session is None:
            _session = boto3.session.Session()
        return _session.client("s3", **kwargs)


class StorageError(Exception):
    """Base class of every evidence storage failure."""


class StorageUnavailable(StorageError):
    """The S3 endpoint cannot be reached."""


class ObjectNotFound(StorageError):
    """No object is stored for this SHA-256."""


class DigestMismatch(StorageError):
    """The bytes do not hash to the SHA-256 they were expected to have."""


class TooLarge(StorageError):
    """The body is larger than the allowed maximum."""


class EvidenceDeletionForbidden(StorageError):
    """Evidence is never deleted."""


@dataclass(frozen=True)
class StoredObject:
    """What the store knows about one evidence object."""

    sha256: str
    size: int
    key: str
    content_type: str
    created: bool = False


def check_sha256(value):
    """Return ``value`` if it is 64 lowercase hex characters; raise ``ValueError`` otherwise."""
    if not isinstance(value, str) or not _SHA256.fullmatch(value):
        raise ValueError(f"not a lowercase hex SHA-256: {value!r}")
    return value


def object_key(sha256):
    """The S3 key of the object whose content hashes to ``sha256``."""
    check_sha256(sha256)
    return f"sha256/{sha256[:2]}/{sha256}"


def _error_code(exc):
    return exc.response.get("Error", {}).get("Code", "")


def _content_disposition(filename):
    # Plain-ASCII fallback for old clients plus the exact name in RFC 6266 ``filename*``.
    fallback = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in filename)
    quoted = urllib.parse.quote(filename, safe="")
    return f"attachment; filename=\"{fallback or 'evidence'}\"; filename*=UTF-8''{quoted}"


class EvidenceReader:
    """A stored object being streamed; raises ``DigestMismatch`` at the end if the bytes differ.

    Readable with ``read()``, iterable in chunks, and closable (also as a context manager).
    """

    chunk_size = 64 * 1024

    def __init__(self, body, *, sha256, size, content_type, endpoint):
        self._body = body
        self._hash = hashlib.sha256()
        self._consumed = 0
        self._checked = False
        self._endpoint = endpoint
        self.sha256 = sha256
        self.size = size
        self.content_type = content_type

    def read(self, amt=None):
        """Read up to ``amt`` bytes (everything left when ``amt`` is None)."""
        if amt == 0:
            return b""
        with _translate_errors(self._endpoint):
            try:
                data = self._body.read(amt)
            except FlexibleChecksumError as exc:
                raise DigestMismatch(f"object {self.sha256} failed the S3 checksum") from exc
        self._hash.update(data)
        self._consumed += len(data)
        if not self._checked and (not data or self._consumed >= self.size):
            self._checked = True
            if self._hash.hexdigest() != self.sha256:
                raise DigestMismatch(f"object {self.sha256} does not hash to its name")
        return data

    def __iter__(self):
        while chunk := self.read(self.chunk_size):
            yield chunk

    def close(self):
        """Release the connection."""
        self._body.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


@contextmanager
def _translate_errors(endpoint):
    try:
        yield
    except (BotoConnectionError, HTTPClientError) as exc:
        raise StorageUnavailable(f"S3 endpoint {endpoint} is unreachable: {exc}") from exc
    except ClientError as exc:
        raise StorageError(f"S3 request to {endpoint} failed: {exc}") from exc


class S3EvidenceStore:
    """Evidence objects in one S3 bucket, addressed by the SHA-256 of their bytes."""

    def __init__(
        self,
        *,
        bucket,
        endpoint_url=None,
        region="us-east-1",
        access_key=None,
        secret_key=None,
        retention_days=0,
        retention_mode="COMPLIANCE",
        multipart_threshold=MULTIPART_THRESHOLD,
    ):
        if retention_mode not in RETENTION_MODES:
            raise ValueError(f"retention mode must be one of {RETENTION_MODES}")
        if int(retention_days) < 0:
            raise ValueError("retention days must be 0 or more")
        self.bucket = bucket
        self.region = region
        self.retention_days = int(retention_days)
        self.retention_mode = retention_mode
        self.multipart_threshold = multipart_threshold
        # Creating a client does not contact the endpoint, so this works offline.
        self._client = _s3_client(
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                connect_timeout=5,
                read_timeout=60,
                retries={"mode": "standard", "max_attempts": 3},
            ),
        )
        self.endpoint = self._client.meta.endpoint_url
        self._transfer = TransferConfig(
            multipart_threshold=multipart_threshold,
            multipart_chunksize=MULTIPART_CHUNK,
            max_concurrency=4,
        )
        # s3transfer reads each part of a file object into memory (10 parts by default).
        self._transfer.max_in_memory_upload_chunks = 4
        self._object_lock = None
        self._bucket_lock = threading.Lock()

    @classmethod
    def from_config(cls, config: Mapping, **overrides):
        """Build a store from the ``S3_*`` keys of a Flask config (or any mapping)."""
        settings = dict(
            endpoint_url=config.get("S3_ENDPOINT"),
            region=config.get("S3_REGION") or "us-east-1",
            bucket=config["S3_BUCKET"],
            access_key=config.get("S3_ACCESS_KEY"),
            secret_key=config.get("S3_SECRET_KEY"),
            retention_days=int(config.get("S3_RETENTION_DAYS") or 0),
            retention_mode=config.get("S3_RETENTION_MODE") or "COMPLIANCE",
        )
        return cls(**{**settings, **overrides})

    def close(self):
        """Close the HTTP connections of the underlying client."""
        self._client.close()

    def _errors(self):
        return _translate_errors(self.endpoint)

    def ensure_bucket(self) -> bool:
        """Create the bucket (with Object Lock) if missing; return whether Object Lock is on."""
        with self._bucket_lock, self._errors():
            try:
                self._client.head_bucket(Bucket=self.bucket)
            except ClientError as exc:
                if _error_code(exc) not in ("404", "NoSuchBucket", "NotFound"):
                    raise
                self._create_bucket()
            try:
                config = self._client.get_object_lock_configuration(Bucket=self.bucket)
                status = config["ObjectLockConfiguration"].get("ObjectLockEnabled")
            except ClientError as exc:
                if _error_code(exc) != "ObjectLockConfigurationNotFoundError":
                    raise
                status = None
            self._object_lock = status == "Enabled"
        if not self._object_lock:
            log.warning(
                "Object Lock is not enabled on bucket %s: evidence is not locked", self.bucket
            )
        return self._object_lock

    def _create_bucket(self):
        kwargs = {"Bucket": self.bucket, "ObjectLockEnabledForBucket": True}
        if self.region != "us-east-1":  # AWS rejects an explicit us-east-1 constraint
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        try:
            self._client.create_bucket(**kwargs)
        except ClientError as exc:
            if _error_code(exc) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise

    def _lock_enabled(self):
        if self._object_lock is None:
            self.ensure_bucket()
        return self._object_lock

    def put(
        self,
        stream,
        *,
        expected_sha256=None,
        content_type="application/octet-stream",
        max_bytes=None,
    ) -> StoredObject:
        """Store the bytes read from ``stream`` and describe the stored object.

        The body is hashed while it is read and spooled to a temporary file, so it is never
        held in memory whole. Raises ``TooLarge`` once more than ``max_bytes`` arrive and
        ``DigestMismatch`` if it does not hash to ``expected_sha256``; nothing is stored then.
        Content already stored is not uploaded again (``created=False``).
        """
        if expected_sha256 is not None:
            check_sha256(expected_sha256)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
            digest = hashlib.sha256()
            size = 0
            while chunk := stream.read(READ_CHUNK):
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise TooLarge(f"body exceeds the limit of {max_bytes} bytes")
                digest.update(chunk)
                spool.write(chunk)
            sha256 = digest.hexdigest()
            if expected_sha256 is not None and sha256 != expected_sha256:
                raise DigestMismatch(f"body hashes to {sha256}, expected {expected_sha256}")
            existing = self.head(sha256)
            if existing is not None:
                return existing
            spool.seek(0)
            created = self._upload(spool, sha256, size, content_type, digest.digest())
        return StoredObject(sha256, size, object_key(sha256), content_type, created)

    def _upload(self, spool, sha256, size, content_type, raw_digest):
        extra = {"ContentType": content_type, "Metadata": {"sha256": sha256}}
        if self._lock_enabled() and self.retention_days > 0:
            extra["ObjectLockMode"] = self.retention_mode
            extra["ObjectLockRetainUntilDate"] = datetime.now(UTC) + timedelta(
                days=self.retention_days
            )
        key = object_key(sha256)
        with self._errors():
            if size < self.multipart_threshold:
                try:
                    # S3 checks the body against our SHA-256; If-None-Match stops a concurrent
                    # upload of the same bytes from adding a second version.
                    self._client.put_object(
                        Bucket=self.bucket,
                        Key=key,
                        Body=spool,
                        ContentLength=size,
                        ChecksumSHA256=base64.b64encode(raw_digest).decode(),
                        IfNoneMatch="*",
                        **extra,
                    )
                except ClientError as exc:
                    if _error_code(exc) == "PreconditionFailed":
                        return False
                    if _error_code(exc) == "BadDigest":
                        raise DigestMismatch(f"S3 received other bytes than {sha256}") from exc
                    raise
            else:
                # S3 has no whole-object SHA-256 for multipart uploads: each part carries its
                # own SHA-256 (checked by S3) and the object gets a checksum of those.
                self._client.upload_fileobj(
                    spool,
                    self.bucket,
                    key,
                    ExtraArgs={**extra, "ChecksumAlgorithm": "SHA256"},
                    Config=self._transfer,
                )
        return True

    def put_bytes(self, data, **kwargs) -> StoredObject:
        """Store ``data``; takes the keyword arguments of ``put``."""
        return self.put(io.BytesIO(data), **kwargs)

    def open(self, sha256) -> EvidenceReader:
        """Stream the object; the reader raises ``DigestMismatch`` at the end if it was altered."""
        key = object_key(sha256)
        with self._errors():
            try:
                response = self._client.get_object(Bucket=self.bucket, Key=key)
            except ClientError as exc:
                if _error_code(exc) in _NOT_FOUND:
                    raise ObjectNotFound(f"no evidence object {sha256}") from exc
                raise
        return EvidenceReader(
            response["Body"],
            sha256=sha256,
            size=response["ContentLength"],
            content_type=response.get("ContentType", "application/octet-stream"),
            endpoint=self.endpoint,
        )

    def head(self, sha256) -> StoredObject | None:
        """Describe the stored object, or return None if there is none."""
        key = object_key(sha256)
        with self._errors():
            try:
                response = self._client.head_object(Bucket=self.bucket, Key=key)
            except ClientError as exc:
                if _error_code(exc) in _NOT_FOUND:
                    return None
                raise
        content_type = response.get("ContentType", "application/octet-stream")
        return StoredObject(sha256, response["ContentLength"], key, content_type, created=False)

    def exists(self, sha256) -> bool:
        """Whether an object is stored for ``sha256``."""
        return self.head(sha256) is not None

    def presigned_url(self, sha256, *, expires_in=300, filename=None) -> str:
        """A time-limited GET URL; with ``filename`` the download is offered as an attachment.

        Only signs locally: it does not check that the object exists.
        """
        params = {"Bucket": self.bucket, "Key": object_key(sha256)}
        if filename:
            params["ResponseContentDisposition"] = _content_disposition(filename)
        return self._client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=expires_in
        )

    def verify(self, sha256) -> bool:
        """Read the whole object back and return whether it still hashes to ``sha256``."""
        try:
            with self.open(sha256) as reader:
                for _chunk in reader:
                    pass
        except DigestMismatch:
            return False
        return True

    def delete(self, sha256):
        """Refuse: evidence is never deleted (Object Lock enforces the same on the storage)."""
        raise EvidenceDeletionForbidden(f"evidence {sha256!r} cannot be deleted")
