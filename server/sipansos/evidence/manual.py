"""Manual upload: the upload form plays the extension's part and builds a capture manifest.

Each file is measured, hashed and sniffed here, on the server, from the uploaded stream; the
capture is then stored by the same ``services.captures.ingest`` as the extension's uploads, which
checks every file again before anything reaches the store.
"""

import re
import uuid
from datetime import UTC, datetime

from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from ..schemas.captures import ARTIFACT_KINDS
from ..services.evidence_queries import LOCAL_ZONE
from ..services.sniff import measure_stream, sniff

ACCEPTED_TYPES = ARTIFACT_KINDS["extra"]
_UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


class UploadRefused(Exception):
    """A file cannot be accepted; the message (translated) says which and why."""


def artifact_name(filename, position):
    """A unique artifact name made from the uploaded file name: ``01-photo.jpg``."""
    base = _UNSAFE_NAME_CHARS.sub("_", secure_filename(filename or "")).strip("._") or "file"
    return f"{position + 1:02d}-{base}"[:200]


def inspect_file(storage, position):
    """Hash, measure and sniff one uploaded file; returns its manifest artifact entry."""
    sha256, size, head = measure_stream(storage.stream)
    shown_name = storage.filename or "?"
    if size == 0:
        raise UploadRefused(_("“%(name)s” is empty.", name=shown_name))
    media_type = sniff(head)
    if media_type not in ACCEPTED_TYPES:
        raise UploadRefused(
            _(
                "“%(name)s” was refused: its content is not a file type accepted as evidence "
                "(PNG, JPEG, WebP, GIF, PDF, MP4, WebM, HTML, MHTML, JSON or plain text).",
                name=shown_name,
            )
        )
    return {
        "name": artifact_name(storage.filename, position),
        "kind": "extra",
        "media_type": media_type,
        "size": size,
        "sha256": sha256,
    }


def local_to_utc(value):
    """A naive date-time typed in WIB as an aware UTC datetime."""
    return value.replace(tzinfo=LOCAL_ZONE).astimezone(UTC)


def _text(field):
    value = (field.data or "").strip()
    return value or None


def prepare(form, *, user_agent=None, now=None):
    """The manifest and the ``{artifact name: stream}`` map for ``services.captures.ingest``.

    Raises ``UploadRefused`` for an empty file or one whose content is not accepted.
    """
    artifacts = []
    files = {}
    for position, storage in enumerate(form.chosen_files()):
        artifact = inspect_file(storage, position)
        artifacts.append(artifact)
        files[artifact["name"]] = storage.stream
    captured_at = local_to_utc(form.captured_at.data) if form.captured_at.data else None
    manifest = {
        "capture_id": str(uuid.uuid4()),
        "url": form.url.data.strip(),
        "title": _text(form.title),
        "captured_at": (captured_at or now or datetime.now(UTC)).isoformat(),
        "platform": form.platform.data,
        "category": _text(form.category),
        "note": _text(form.note),
        "browser": {"user_agent": (user_agent or "")[:1000]},
        "post": {
            "author_name": _text(form.author_name),
            "author_handle": _text(form.author_handle),
            "text": _text(form.post_text),
        },
        "artifacts": artifacts,
    }
    return manifest, files
