"""Read an MHTML archive (Chrome's ``pageCapture.saveAsMHTML``) into a document and its parts."""

import codecs
import email
import email.policy
import re
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import quote, unquote, urlsplit, urlunsplit

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_CSS_CHARSET = re.compile(rb'^@charset "([a-zA-Z0-9_.:-]+)";')
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# C0 controls and space, which browsers strip from both ends of a URL.
_EDGE = "".join(chr(c) for c in range(0x21))
# Characters a browser leaves as they are in a URL it serialises; everything else is %-encoded.
_URL_SAFE = "/%:@!$&'()*+,;=-._~?"


class Resource(NamedTuple):
    """One archived part: its media type and bytes, and where it came from."""

    media_type: str
    data: bytes
    location: str = ""
    charset: str | None = None


@dataclass
class Archive:
    """The main document of an MHTML file and every part, found by URL or ``cid:``."""

    html: str | None = None
    url: str = ""
    resources: dict[str, Resource] = field(default_factory=dict)

    def find(self, url: str) -> Resource | None:
        """The archived part for an absolute URL or ``cid:`` reference, if any."""
        return self.resources.get(url_key(url))


def parse_mhtml(data: bytes) -> Archive:
    """Parse MHTML bytes into an :class:`Archive`.

    The main document is the part named by the ``start`` parameter, else the first HTML part.
    Every part is keyed by its Content-Location and, when it has one, its Content-ID as ``cid:``.
    """
    message = email.message_from_bytes(data, policy=email.policy.default)
    start = message.get_param("start")
    archive = Archive()
    first_html = chosen = None
    for part in message.walk():
        if part.is_multipart():
            continue
        location = "".join(str(part.get("Content-Location", "")).split())
        content_id = "".join(str(part.get("Content-ID", "")).split()).strip("<>")
        payload = part.get_payload(decode=True) or b""
        resource = Resource(
            part.get_content_type(), payload, location, part.get_param("charset") or None
        )
        for key in (location, f"cid:{content_id}" if content_id else ""):
            if key:
                archive.resources.setdefault(url_key(key), resource)
        if start and content_id and start.strip("<>") == content_id:
            chosen = resource
        if first_html is None and resource.media_type in ("text/html", "application/xhtml+xml"):
            first_html = resource
    main = chosen or first_html
    if main is not None:
        archive.html = decode_text(main.data, main.charset, "html")
        archive.url = main.location
    return archive


def decode_text(data: bytes, charset: str | None = None, kind: str = "html") -> str:
    """Decode an HTML or CSS body: BOM, then declared charset, then the in-document one, then
    UTF-8 (windows-1252 for HTML that is not valid UTF-8)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace")
    pattern = _META_CHARSET if kind == "html" else _CSS_CHARSET
    match = pattern.search(data[:4096])
    for label in (charset, match.group(1).decode("ascii") if match else None):
        name = _codec(label)
        if name:
            return data.decode(name, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8" if kind == "css" else "cp1252", errors="replace")


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    # As browsers do: these labels mean windows-1252, and a UTF-16 label on ASCII-compatible
    # bytes means UTF-8.
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


def clean_url(value: str) -> str:
    """A URL as a browser reads it from an attribute: tabs and newlines gone, ends stripped."""
    return value.translate({9: None, 10: None, 13: None}).strip(_EDGE)


def url_key(url: str) -> str:
    """A canonical form of a URL for matching references against Content-Location.

    Scheme and host are lower-cased, default ports and fragments dropped, and
    characters a browser would escape are %-encoded. ``cid:`` references are unquoted.
    """
    url = clean_url(url)
    if url[:4].lower() == "cid:":
        return "cid:" + unquote(url[4:])
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    if parts.username or parts.password:
        host = parts.netloc.rsplit("@", 1)[0] + "@" + host
    path = quote(parts.path, safe=_URL_SAFE) or ("/" if scheme in _DEFAULT_PORTS else "")
    return urlunsplit((scheme, host, path, quote(parts.query, safe=_URL_SAFE), ""))
