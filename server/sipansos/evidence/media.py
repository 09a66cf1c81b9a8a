"""Serving stored evidence to the browser: downloads, image views, thumbnails, page replays.

Originals stream from the evidence store unchanged. Thumbnails are derived data: made on
request, sent with cache headers, and never written to the store, whose ``sha256/`` keys name
hashed originals only.
"""

import io
import logging
import warnings
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from markupsafe import escape
from PIL import Image, UnidentifiedImageError

from ..replay import build_replay, replay_headers
from ..services.evidence_queries import first_artifact
from ..storage import DigestMismatch, StorageError, get_store

log = logging.getLogger(__name__)

THUMBNAIL_BOX = (320, 240)
THUMBNAIL_VERSION = "t1"  # change when the rendering changes, so browsers fetch new ones
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}
# Types a browser could run or render as a page: always offered as opaque bytes.
_ACTIVE_TYPES = {"text/html", "multipart/related", "image/svg+xml", "application/xhtml+xml"}
LOCKED_DOWN_CSP = "default-src 'none'; sandbox"
_PRIVATE_CACHE = "private, max-age=86400"
# Thumbnail sources, best first: what the operator saw, the page, the post, an uploaded image.
_THUMBNAIL_KINDS = ("screenshot_viewport", "screenshot_full", "post_screenshot", "extra")


def _streamed(reader, artifact, *, mimetype, disposition):
    def chunks():
        try:
            yield from reader
        except DigestMismatch:
            # Headers are gone already; the short body tells the client the download failed.
            log.error("artifact %s (%s) failed its SHA-256 check", artifact.name, artifact.sha256)

    # The reader is open already, so the body needs no request context while it streams.
    response = current_app.response_class(chunks(), mimetype=mimetype, direct_passthrough=True)
    response.call_on_close(reader.close)
    response.content_length = artifact.size
    response.headers["Content-Disposition"] = disposition
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = LOCKED_DOWN_CSP
    response.headers["Cache-Control"] = "private, no-transform"
    return response


def download_response(artifact):
    """The artifact as an attachment, streamed from the store; pages are never rendered inline."""
    reader = get_store().open(artifact.sha256)
    media_type = artifact.media_type
    mimetype = "application/octet-stream" if media_type in _ACTIVE_TYPES else media_type
    # Artifact names are limited to [A-Za-z0-9._-], so they are safe inside the quotes.
    disposition = f'attachment; filename="{artifact.name}"'
    return _streamed(reader, artifact, mimetype=mimetype, disposition=disposition)


def image_response(artifact, request):
    """An image artifact for <img> tags, locked down so it can never act as a page."""
    if request.if_none_match.contains(artifact.sha256):
        # Content-addressed: the same name always has the same bytes.
        return _image_bytes(b"", artifact.media_type, etag=artifact.sha256, status=304)
    reader = get_store().open(artifact.sha256)
    response = _streamed(reader, artifact, mimetype=artifact.media_type, disposition="inline")
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    response.headers["Cache-Control"] = _PRIVATE_CACHE
    response.set_etag(artifact.sha256)
    return response


def is_image(artifact):
    """Whether the artifact may be shown through the image view."""
    return artifact.media_type in IMAGE_TYPES


def thumbnail_source(capture):
    """The artifact a capture's thumbnail is made from, or None (the placeholder is used)."""
    return first_artifact(capture, *_THUMBNAIL_KINDS, media_prefix="image/")


def render_thumbnail(data):
    """A JPEG no larger than ``THUMBNAIL_BOX`` made from image bytes; raises ValueError."""
    try:
        with warnings.catch_warnings():
            # An image of absurd pixel count is refused instead of decoded.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.draft("RGB", THUMBNAIL_BOX)
                image.thumbnail(THUMBNAIL_BOX)
                if image.mode in ("RGBA", "LA", "P"):
                    image = image.convert("RGBA")
                    background = Image.new("RGB", image.size, (255, 255, 255))
                    background.paste(image, mask=image.getchannel("A"))
                    image = background
                out = io.BytesIO()
                image.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
    except (
        UnidentifiedImageError,
        OSError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise ValueError(f"cannot make a thumbnail: {exc}") from exc
    return out.getvalue()


@lru_cache(maxsize=1)
def placeholder_thumbnail():
    """A neutral grey PNG for captures without a usable image."""
    out = io.BytesIO()
    Image.new("RGB", (THUMBNAIL_BOX[0] // 2, THUMBNAIL_BOX[1] // 2), (225, 229, 233)).save(
        out, "PNG", optimize=True
    )
    return out.getvalue()


def thumbnail_response(capture, request):
    """The capture's thumbnail, cached by the browser and revalidated by ETag."""
    source = thumbnail_source(capture)
    if source is None:
        return _image_bytes(placeholder_thumbnail(), "image/png", etag="placeholder")
    etag = f"{THUMBNAIL_VERSION}-{source.sha256}"
    if request.if_none_match.contains(etag):
        return _image_bytes(b"", "image/jpeg", etag=etag, status=304)
    try:
        with get_store().open(source.sha256) as reader:
            data = reader.read()
        body = render_thumbnail(data)
    except (StorageError, ValueError) as exc:
        log.warning("thumbnail of capture %s not made: %s", capture.capture_uuid, exc)
        response = _image_bytes(placeholder_thumbnail(), "image/png")
        response.headers["Cache-Control"] = "no-store"
        return response
    return _image_bytes(body, "image/jpeg", etag=etag)


def _image_bytes(body, mimetype, *, etag=None, status=200):
    response = current_app.response_class(body, status=status, mimetype=mimetype)
    response.headers["Cache-Control"] = _PRIVATE_CACHE
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if etag:
        response.set_etag(etag)
    return response


def read_artifact(artifact):
    """The whole artifact's bytes, checked against its SHA-256 (raises DigestMismatch)."""
    with get_store().open(artifact.sha256) as reader:
        return reader.read()


def replay_source(capture):
    """The artifact the page is rebuilt from: the MHTML snapshot, else the DOM HTML."""
    return first_artifact(capture, "page_mhtml", "dom_html")


_REPLAY_TOKEN_SALT = "sipansos-replay"  # noqa: S105 - a salt name, not a secret
REPLAY_TOKEN_SECONDS = 600


def _replay_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_REPLAY_TOKEN_SALT)


def replay_token(capture, page_origin):
    """A signed link token for the replay origin: which capture, and who may frame it."""
    return _replay_serializer().dumps({"c": str(capture.capture_uuid), "o": page_origin})


def check_replay_token(token, capture_uuid):
    """The page origin allowed to frame the replay, or None for a bad or expired token."""
    try:
        data = _replay_serializer().loads(token, max_age=REPLAY_TOKEN_SECONDS)
    except BadData:
        return None
    if data.get("c") != str(capture_uuid) or not str(data.get("o", "")).startswith("http"):
        return None
    return data["o"]


def replay_response(capture, *, frame_ancestor=None):
    """The captured page, rebuilt without scripts, for ``<iframe sandbox>`` on our own pages.

    ``build_replay`` prefers the MHTML's document and falls back to the DOM snapshot, taking
    resources from the MHTML either way, so both are passed when stored. The response sets its
    own CSP (with ``sandbox``) and ``X-Frame-Options: SAMEORIGIN``, which the app-wide defaults
    (``DENY``, ``frame-ancestors 'none'``) then leave alone.
    """
    mhtml_artifact = first_artifact(capture, "page_mhtml")
    html_artifact = first_artifact(capture, "dom_html")
    status = 200
    try:
        body = build_replay(
            mhtml=read_artifact(mhtml_artifact) if mhtml_artifact else None,
            html=read_artifact(html_artifact) if html_artifact else None,
            page_url=capture.url,
        )
    except ValueError as exc:
        log.warning("replay of capture %s not built: %s", capture.capture_uuid, exc)
        body = f"<p>{escape(_('The captured page cannot be rebuilt.'))}</p>".encode()
        status = 422
    response = current_app.response_class(body, status=status)
    response.headers.update(replay_headers())
    if frame_ancestor:
        # Served from the replay origin: only our page's origin may frame it.
        response.headers["Content-Security-Policy"] += f"; frame-ancestors {frame_ancestor}"
    else:
        response.headers["Content-Security-Policy"] += "; frame-ancestors 'self'"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "private, no-store"
    return response
