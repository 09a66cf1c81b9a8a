"""A static, self-contained replay of a captured page, built from our own archive only.

:func:`build_replay` turns the MHTML and/or DOM snapshot the extension uploaded into one HTML
document that runs no script and names no outside URL; a route serves it with
:func:`replay_headers` inside an ``<iframe sandbox>``.
"""

from .inline import Inliner, scheme_of
from .mhtml import Archive, decode_text, parse_mhtml
from .sanitize import Document, sanitize_document

__all__ = ["MAX_INPUT_BYTES", "REPLAY_CSP", "build_replay", "replay_headers"]

MAX_INPUT_BYTES = 100 * 1024 * 1024
# Cap on what inlining may add (data: URIs, stylesheets, frames): a part used many times is
# copied each time, so a small archive could otherwise grow into a huge page.
MAX_INLINE_CHARS = 200 * 1024 * 1024

# base-uri and form-action do not fall back to default-src, so they are named.
REPLAY_CSP = (
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline' data:; "
    "font-src data:; media-src data:; base-uri 'none'; form-action 'none'"
)

BANNER = "Rekaman arsip SIPANSOS — bukan halaman langsung"
_BANNER_STYLE = (
    "position:fixed !important;top:0 !important;left:0 !important;right:0 !important;"
    "z-index:2147483647 !important;display:block !important;margin:0 !important;"
    "padding:6px 10px !important;background:#7a1f1f !important;color:#fff !important;"
    "font:13px/1.4 sans-serif !important;text-align:left !important;"
    "overflow-wrap:anywhere !important;box-shadow:0 1px 4px rgba(0,0,0,.4) !important"
)


def replay_headers() -> dict[str, str]:
    """The response headers a route must send with :func:`build_replay` output."""
    return {
        "Content-Security-Policy": REPLAY_CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Content-Type": "text/html; charset=utf-8",
    }


def build_replay(mhtml: bytes | None = None, html: bytes | None = None, *, page_url: str) -> bytes:
    """Build the replay HTML (UTF-8) of a captured page.

    The MHTML's main document is replayed when there is one, else the DOM snapshot ``html``;
    either way resources come only from the MHTML's parts, inlined as ``data:`` URIs.
    ``page_url`` is the captured page's address, shown in the banner and used to resolve
    relative URLs when the archive does not say where the document came from.
    The output depends only on the inputs. Raises ValueError for an input over 100 MB or when
    there is no document at all.
    """
    if mhtml is None and html is None:
        raise ValueError("nothing to replay: give mhtml or html")
    for name, data in (("mhtml", mhtml), ("html", html)):
        if data is not None and len(data) > MAX_INPUT_BYTES:
            raise ValueError(f"{name} is larger than {MAX_INPUT_BYTES} bytes")
    archive = parse_mhtml(mhtml) if mhtml is not None else Archive()
    document, base = archive.html, archive.url
    if document is None:
        if html is None:
            raise ValueError("the MHTML holds no HTML document")
        document, base = decode_text(html), ""
    if scheme_of(base) not in ("http", "https"):
        base = page_url
    inliner = Inliner(archive, MAX_INLINE_CHARS)
    replay = sanitize_document(document, base, inliner)
    _add_banner(replay, page_url)
    return inliner.assemble(replay.serialize())


def _add_banner(document: Document, page_url: str) -> None:
    """Declare UTF-8 and put the fixed "archived copy" banner over the page."""
    tree = document.tree
    head = tree.head
    # With scripting on, as when the page was captured, <noscript> content was not shown.
    for node in (
        document.element("style", "noscript{display:none!important}"),
        document.element("meta", charset="utf-8"),
    ):
        if head.child is None:
            head.insert_child(node, move=True)
        else:
            head.child.insert_before(node, move=True)
    body = tree.body
    if body is None:  # a frameset page: its frames are now inline, so give it a body
        body = document.element("body")
        tree.root.insert_child(body, move=True)
    spacer = document.element("div", style="height:34px")
    if body.child is None:
        body.insert_child(spacer, move=True)
    else:
        body.child.insert_before(spacer, move=True)
    banner = document.element("div", id="sipansos-replay-banner", role="note", style=_BANNER_STYLE)
    banner.insert_child(document.element("strong", BANNER), move=True)
    banner.insert_child(f" · salinan arsip dari {page_url}")
    # Last in the body, so it paints above page elements with the same z-index.
    body.insert_child(banner, move=True)
