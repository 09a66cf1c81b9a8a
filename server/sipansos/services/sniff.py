"""Media types from the bytes themselves: a client's declared type is checked, never trusted."""

import hashlib
import re

_MHTML_TYPE = re.compile(rb"content-type:\s*multipart/related", re.IGNORECASE)
_HTML_START = re.compile(rb"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)

SNIFF_BYTES = 8192
_READ_CHUNK = 1024 * 1024

# Declared types that mean the same thing.
ALIASES = {
    "application/x-mimearchive": "multipart/related",
    "message/rfc822": "multipart/related",
    "image/jpg": "image/jpeg",
}


def normalise(media_type):
    base = (media_type or "").split(";")[0].strip().lower()
    return ALIASES.get(base, base)


def sniff(head):
    """The media type that the first bytes (at least 4 KiB when available) show, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"GIF87a") or head.startswith(b"GIF89a"):
        return "image/gif"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    text = head.removeprefix(b"\xef\xbb\xbf")
    header_block = text.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    if _MHTML_TYPE.search(header_block):
        return "multipart/related"
    if _HTML_START.match(text):
        return "text/html"
    if _is_utf8_text(text):
        stripped = text.lstrip()
        if stripped[:1] in (b"{", b"["):
            return "application/json"
        return "text/plain"
    return None


def _is_utf8_text(data):
    # The head may end inside a multi-byte character; allow up to 3 trailing bytes to be cut.
    for cut in range(4):
        try:
            decoded = data[: len(data) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\r\n\t\f" for ch in decoded)
    return False


def matches(declared, head):
    """True when the bytes are of the declared type (text may be declared as plain text)."""
    declared = normalise(declared)
    found = sniff(head)
    if found == declared:
        return True
    # JSON and HTML are text too; and a DOM snapshot may start with a text node.
    return declared == "text/plain" and found in ("application/json", "text/html")


def measure_stream(stream):
    """``(sha256, size, head)`` of a seekable binary stream, read once; rewound afterwards."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    stream.seek(0)
    while chunk := stream.read(_READ_CHUNK):
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size, head
