"""Turn references into ``data:`` URIs of archived parts, within a size budget."""

import base64
import re
import secrets
from urllib.parse import urljoin

from .css import rewrite_css
from .mhtml import Archive, Resource, clean_url, decode_text

MAX_CSS_DEPTH = 4
MAX_FRAMES = 100
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_TOKEN_TYPE = re.compile(r"^[a-z0-9_.+-]+/[a-z0-9_.+-]+$")
# Types a browser could treat as a document or a script rather than as inert data.
_ACTIVE_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
    "text/xsl",
    "message/rfc822",
}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}


def scheme_of(url: str) -> str:
    """The lower-cased scheme of ``url``, or "" for a relative reference."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else ""


def is_active(media_type: str) -> bool:
    """True for a media type that could act as a document or script instead of inert data."""
    media_type = media_type.strip().lower()
    return (
        media_type in _ACTIVE_TYPES
        or media_type.startswith("multipart/")
        or "script" in media_type
        or (media_type.endswith("+xml") and media_type != "image/svg+xml")
    )


class Inliner:
    """Looks references up in an archive and stands in their ``data:`` URIs.

    While documents are cleaned, a reference becomes a short placeholder; :meth:`assemble`
    puts the ``data:`` URIs in when the final bytes are written, so a resource used many
    times is encoded once and copied only into the output. All documents of one replay share
    an inliner, so the budget caps the whole output: past it, references are left out.
    """

    def __init__(self, archive: Archive | None, budget: int):
        self.archive = archive or Archive()
        self.budget = budget
        self.frames_left = MAX_FRAMES
        # Random, so that no captured page can spell a placeholder; none is left in the output.
        self._token = f"sipansos-{secrets.token_hex(8)}-"
        self._placeholder = re.compile(re.escape(self._token) + r"(\d+)")
        self._uris: list[bytes] = []
        self._index: dict[int, int] = {}  # id() of a part's bytes (alive with the archive)

    def spend(self, size: int) -> bool:
        """Take ``size`` characters from the budget; False (and nothing taken) if short."""
        if size > self.budget:
            return False
        self.budget -= size
        return True

    def find(self, url: str, base: str) -> Resource | None:
        """The archived part that ``url``, read relative to ``base``, names."""
        url = clean_url(url)
        if not url or url.startswith("#") or scheme_of(url) in ("data", "javascript"):
            return None
        return self.archive.find(urljoin(base, url) if base else url)

    def resource(self, url: str, base: str, *, fragment_ok: bool = False) -> str | None:
        """A ``data:`` URI for an image, font, media file…, or None to remove the reference.

        Inert ``data:`` URIs are kept as they are; ``#fragment`` references too when
        ``fragment_ok`` (SVG ``<use href="#icon">``, ``fill: url(#gradient)``).
        """
        url = clean_url(url)
        if url.startswith("#"):
            return url if fragment_ok else None
        if self._placeholder.fullmatch(url):
            return url  # already looked up
        if scheme_of(url) == "data":
            media_type = url[5:].split(",", 1)[0].split(";", 1)[0]
            return None if is_active(media_type) else url
        found = self.find(url, base)
        if found is None or is_active(found.media_type):
            return None
        index = self._index.get(id(found.data))
        if index is None:
            media_type = found.media_type if _TOKEN_TYPE.match(found.media_type) else ""
            prefix = f"data:{media_type or 'application/octet-stream'};base64,".encode()
            self._uris.append(prefix + base64.b64encode(found.data))
            index = self._index[id(found.data)] = len(self._uris) - 1
        return f"{self._token}{index}" if self.spend(len(self._uris[index])) else None

    def materialize(self, text: str) -> str:
        """``text`` with its placeholders replaced by the ``data:`` URIs."""
        return self._placeholder.sub(lambda m: self._uris[int(m.group(1))].decode("ascii"), text)

    def assemble(self, html: str) -> bytes:
        """The final UTF-8 bytes of ``html``, placeholders replaced by ``data:`` URIs."""
        pieces = self._placeholder.split(html)  # text, index, text, index, …, text
        return b"".join(
            self._uris[int(piece)] if i % 2 else piece.encode("utf-8")
            for i, piece in enumerate(pieces)
        )

    def stylesheet(self, url: str, base: str, depth: int = 0) -> str | None:
        """The archived stylesheet ``url`` names, rewritten to stand alone, or None."""
        found = self.find(url, base)
        if found is None or is_active(found.media_type) or depth > MAX_CSS_DEPTH:
            return None
        source = decode_text(found.data, found.charset, "css")
        # The resources it names are charged as they are inlined; this charges its own text.
        if not self.spend(len(source)):
            return None
        css_base = found.location if scheme_of(found.location) in ("http", "https") else base
        return rewrite_css(source, self.css_resolver(css_base, depth + 1))

    def css_resolver(self, base: str, depth: int = 0):
        """A resolver for :func:`rewrite_css` reading URLs relative to ``base``."""

        def resolve(url: str, kind: str) -> str | None:
            if kind != "css":
                return self.resource(url, base, fragment_ok=True)
            # An imported stylesheet becomes a data: URI of its own rewritten text; base64
            # would hide placeholders, so its URIs go in now.
            text = self.stylesheet(url, base, depth)
            if text is None:
                return None
            encoded = base64.b64encode(self.materialize(text).encode("utf-8")).decode("ascii")
            uri = f"data:text/css;charset=utf-8;base64,{encoded}"
            return uri if self.spend(len(uri)) else None

        return resolve

    def frame(self, url: str, base: str) -> tuple[str, str] | None:
        """The archived HTML document a frame ``url`` names and the base URL it is read
        against, or None."""
        found = self.find(url, base)
        if found is None or found.media_type not in _HTML_TYPES:
            return None
        frame_base = found.location if scheme_of(found.location) in ("http", "https") else base
        return decode_text(found.data, found.charset, "html"), frame_base
