"""Real captures for tests: PNG/MHTML/HTML bytes and the manifest the extension sends."""

import hashlib
import io
import json
import os
import uuid
from datetime import UTC, datetime

from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart


def png_bytes(width=64, height=48, *, noise=False, color=(200, 30, 30)):
    """A real PNG; with ``noise`` it barely compresses (for multi-megabyte artifacts)."""
    if noise:
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), color)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def mhtml_bytes(html="<html><body><p>Postingan</p></body></html>", url="https://example.com/p/1"):
    return (
        "From: <Saved by Blink>\r\n"
        "Snapshot-Content-Location: " + url + "\r\n"
        "Subject: Postingan\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="----B"\r\n'
        "\r\n------B\r\n"
        "Content-Type: text/html\r\nContent-Location: " + url + "\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n" + html + "\r\n------B--\r\n"
    ).encode()


def artifact(name, kind, media_type, data):
    return {
        "name": name,
        "kind": kind,
        "media_type": media_type,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def post_fields(**overrides):
    """The ``post`` part of a manifest, with fields replaced."""
    return {
        "author_name": "Budi Santoso",
        "author_handle": "budi.s",
        "author_url": "https://www.facebook.com/budi.s",
        "post_id": "123",
        "posted_at": "2026-11-20T08:00:00+07:00",
        "text": "Ayo pilih nomor 2!",
        "permalink": "https://www.facebook.com/someone/posts/123",
        **overrides,
    }


def build_capture(files=None, **fields):
    """``(manifest, files)`` for a capture; ``files`` maps name -> (kind, media_type, bytes)."""
    files = files or {
        "screenshot-full-0.png": ("screenshot_full", "image/png", png_bytes(80, 200)),
        "viewport.png": ("screenshot_viewport", "image/png", png_bytes(80, 60)),
        "page.mhtml": ("page_mhtml", "multipart/related", mhtml_bytes()),
        "dom.html": ("dom_html", "text/html", b"<!DOCTYPE html><html><body>Hi</body></html>"),
    }
    manifest = {
        "capture_id": str(uuid.uuid4()),
        "url": "https://www.facebook.com/someone/posts/123",
        "title": "Postingan dukungan",
        "captured_at": datetime.now(UTC).isoformat(),
        "platform": "facebook",
        "category": "netralitas_asn",
        "note": "Kepala sekolah mengunggah dukungan",
        "browser": {"name": "Chromium", "version": "156"},
        "extension_version": "0.1.0",
        "viewport": {"width": 1280, "height": 800},
        "page": {"width": 1280, "height": 4000},
        "post": post_fields(),
        "artifacts": [artifact(n, k, t, d) for n, (k, t, d) in files.items()],
        **fields,
    }
    return manifest, {name: data for name, (_k, _t, data) in files.items()}


def replace_file(manifest, files, name, data):
    """Swap an artifact's bytes and keep the manifest's size and SHA-256 in step."""
    files[name] = data
    entry = next(a for a in manifest["artifacts"] if a["name"] == name)
    entry.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())


def post_capture(client, secret, manifest, files):
    """POST a capture as the extension does: a manifest field and one file part per artifact."""
    data = {"manifest": json.dumps(manifest)}
    for name, content in files.items():
        data[name] = FileStorage(io.BytesIO(content), filename=name)
    # Encoded in memory: the test client would spool large bodies to a file it never closes.
    boundary, body = encode_multipart(data)
    return client.post(
        "/api/v1/captures",
        data=body,
        headers={"Authorization": f"Bearer {secret}"},
        content_type=f"multipart/form-data; boundary={boundary}",
    )
