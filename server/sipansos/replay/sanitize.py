"""Turn captured HTML into static HTML that runs no script and loads nothing from outside.

Every element and attribute that could run code or name an outside URL is removed or
rewritten to a ``data:`` URI of the archived copy. The Content-Security-Policy and the iframe
sandbox the replay is served with are a second wall, not the first: Chromium still opens
connections for some things they refuse (preconnect hints, blocked frames).

HTML is parsed with Lexbor (selectolax), which builds the tree as the HTML standard says, with
scripting off as in the sandboxed replay, so the tree we clean is the tree the browser builds.
"""

import re
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .css import rewrite_css
from .inline import Inliner, scheme_of
from .mhtml import clean_url

MAX_FRAME_DEPTH = 4

_DROP = {"script", "base", "noembed", "noframes", "param"}
_EMBEDS = {"object", "embed", "applet", "portal", "fencedframe"}
_FRAMES = {"iframe", "frame"}
# The serializer writes the text of these raw; inside <svg> a browser would read it as markup.
_RAW_TEXT = {"xmp", "plaintext"}
_ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
_ANCHORS = {"a", "area"}
_RESOURCE_ATTRS = {"src", "poster", "background", "lowsrc", "dynsrc"}
# SVG presentation attributes are CSS values, and Chromium fetches url(other.svg#id) in them.
_CSS_ATTRS = {"style", "fill", "stroke", "filter", "mask", "clip-path", "cursor", "marker"}
_CSS_ATTRS |= {"marker-start", "marker-mid", "marker-end"}
_DROP_ATTRS = {
    "action", "archive", "attributionsrc", "autofocus", "cite", "classid", "codebase", "data",
    "download", "formaction", "formtarget", "imagesrcset", "integrity", "longdesc", "manifest",
    "nonce", "ping", "profile", "srcdoc", "srcset", "target", "xml:base",
}  # fmt: skip
_FRAME_ATTRS = {"id", "class", "style", "title", "name", "width", "height", "hidden", "role"}
_FRAME_ATTRS |= {"align", "frameborder", "scrolling", "marginwidth", "marginheight"}
_LINK_SCHEMES = {"http", "https", "mailto", "tel", "sms", "ftp"}
_DOCTYPE = re.compile(r"\s*(?:<!--.*?-->\s*)*(<!DOCTYPE\s[^<>]*>)", re.I | re.S)
_MISSING = "Konten tersemat tidak diarsipkan"
_MISSING_STYLE = (
    "display:inline-block;box-sizing:border-box;max-width:100%;overflow:hidden;padding:4px;"
    "border:1px dashed #888;background:#f4f4f4;color:#444;font:12px/1.4 sans-serif;"
)


class Document:
    """A parsed page: the Lexbor tree and the doctype the source declared."""

    def __init__(self, html: str):
        # Scripting off, as in the sandboxed replay: <noscript> content is markup to clean.
        self.tree = LexborHTMLParser(html, scripting=False)
        match = _DOCTYPE.match(html)
        self.doctype = match.group(1) if match else ""

    def serialize(self) -> str:
        """The document as HTML text, its doctype kept so the page keeps its rendering mode."""
        return self.doctype + self.tree.root.html

    def element(self, tag: str, text: str | None = None, **attrs: str) -> LexborNode:
        """A new element of this document."""
        node = self.tree.create_node(tag)
        for name, value in attrs.items():
            node.attrs[name] = value
        if text:
            node.insert_child(text)
        return node


def sanitize_document(html: str, base_url: str, inliner: Inliner, depth: int = 0) -> Document:
    """Parse ``html`` and make it static.

    ``base_url`` is the URL the document was loaded from (a ``<base href>`` in it wins);
    references are looked up in the inliner's archive. ``depth`` counts frame nesting.
    """
    document = Document(html)
    for base in document.tree.css("base[href]"):
        href = urljoin(base_url, clean_url(base.attributes.get("href") or ""))
        if scheme_of(href) in ("http", "https"):
            base_url = href
            break
    _Sanitizer(document, inliner, base_url, depth).run(document.tree.root.parent)
    return document


class _Sanitizer:
    def __init__(self, document: Document, inliner: Inliner, base: str, depth: int):
        self.document = document
        self.inliner = inliner
        self.base = base
        self.depth = depth
        self.resolve_css = inliner.css_resolver(base)

    def run(self, top: LexborNode) -> None:
        # Depth-first; elements that are dropped or replaced are not entered. Template
        # contents (declarative shadow roots among them) live outside the tree: walk them too.
        stack = list(top.iter())
        while stack:
            node = stack.pop()
            if node.tag == "-comment":
                node.decompose()
            elif node.tag and not node.tag.startswith("-"):
                node = self._visit(node)
                if node is None:
                    continue
                stack.extend(node.iter())
                if node.tag.lower() == "template":
                    stack.extend(
                        child for part in node.template_fragments() for child in part.iter()
                    )

    def _visit(self, el: LexborNode) -> LexborNode | None:
        """Make one element safe; returns the element to descend into, None if it went."""
        tag = el.tag.lower()
        attrs = el.attributes
        if (
            tag in _DROP
            or (tag == "meta" and ("http-equiv" in attrs or "charset" in attrs))
            or (tag in _ANIMATIONS and _animates_url(attrs))
        ):
            el.decompose()
            return None
        if tag == "link":
            self._link(el, attrs)
            return None
        if tag in _FRAMES:
            self._frame(el, attrs)
            return None
        if tag in _EMBEDS:
            el.replace_with(
                self._placeholder(attrs, attrs.get("data") or attrs.get("src")), move=True
            )
            return None
        if tag in _RAW_TEXT:
            el.replace_with(self.document.element("pre", el.text()), move=True)
            return None
        if tag in ("source", "track") and attrs.get("src") is not None:
            uri = self.inliner.resource(attrs["src"], self.base)
            if uri is None:
                el.decompose()
                return None
            el.attrs["src"] = uri
        if tag == "frameset":
            el = self._rename(el, "div")
        elif tag == "style":
            self._style(el)
        elif tag == "picture":
            self._picture(el)
        elif tag == "img":
            self._first_resource(el, [attrs.get("src") or "", *_srcset_urls(attrs.get("srcset"))])
        elif tag == "template" and "shadowmode" in attrs:
            # Chrome's MHTML writes shadow roots with the pre-standard attribute name.
            el.attrs["shadowrootmode"] = attrs["shadowmode"]
            del el.attrs["shadowmode"]
        self._attributes(el, tag)
        return el

    def _attributes(self, el: LexborNode, tag: str) -> None:
        for name, value in el.attributes.items():
            lname = name.lower()
            value = value or ""
            if lname.startswith("on") or lname in _DROP_ATTRS:
                del el.attrs[name]
            elif lname in _CSS_ATTRS and (lname == "style" or "(" in value):
                el.attrs[name] = rewrite_css(value, self.resolve_css)
            elif lname in ("href", "xlink:href") and tag in _ANCHORS:
                self._anchor(el, name, value)
            elif lname in ("href", "xlink:href"):
                _set_or_drop(el, name, self.inliner.resource(value, self.base, fragment_ok=True))
            elif lname in _RESOURCE_ATTRS:
                _set_or_drop(el, name, self.inliner.resource(value, self.base))
            elif lname == "usemap" and not clean_url(value).startswith("#"):
                del el.attrs[name]

    def _anchor(self, el: LexborNode, name: str, value: str) -> None:
        """Links stay readable but lead nowhere: the target is kept as text only."""
        del el.attrs[name]
        url = clean_url(value)
        if url.startswith("#"):
            el.attrs["href"] = url
            return
        absolute = urljoin(self.base, url) if self.base else url
        if scheme_of(absolute) in _LINK_SCHEMES:
            el.attrs["data-original-href"] = absolute
            title = el.attributes.get("title")
            el.attrs["title"] = f"{title} — {absolute}" if title else absolute
        el.attrs["href"] = "#"

    def _style(self, el: LexborNode) -> None:
        # Children go: an <svg><style> can hold elements; only the CSS text is kept.
        css = el.text()
        for child in list(el.iter(include_text=True)):
            child.decompose()
        el.insert_child(rewrite_css(css, self.resolve_css))

    def _link(self, el: LexborNode, attrs: dict) -> None:
        """A stylesheet link becomes a <style> with the archived CSS; other links go."""
        rel = (attrs.get("rel") or "").lower().split()
        css = None
        if "stylesheet" in rel and "alternate" not in rel and "disabled" not in attrs:
            css = self.inliner.stylesheet(attrs.get("href") or "", self.base)
        if css is None:
            el.decompose()
            return
        style = self.document.element("style", css)
        if attrs.get("media"):
            style.attrs["media"] = attrs["media"]
        el.replace_with(style, move=True)

    def _frame(self, el: LexborNode, attrs: dict) -> None:
        """An archived frame is inlined as a sandboxed srcdoc iframe; others get a placeholder."""
        src, srcdoc = attrs.get("src"), attrs.get("srcdoc")
        found = None
        if self.depth < MAX_FRAME_DEPTH and self.inliner.frames_left > 0:
            if srcdoc is not None:
                found = (srcdoc, self.base)
            elif clean_url(src or "") in ("", "about:blank"):
                found = ("", self.base)
            else:
                found = self.inliner.frame(src, self.base)
        if found is None or not self.inliner.spend(len(found[0])):
            el.replace_with(self._placeholder(attrs, src), move=True)
            return
        self.inliner.frames_left -= 1
        inner = sanitize_document(found[0], found[1], self.inliner, self.depth + 1)
        frame = self.document.element("iframe")
        for name, value in attrs.items():
            if name.lower() in _FRAME_ATTRS or name.lower().startswith("aria-"):
                frame.attrs[name] = value or ""
        self._attributes(frame, "iframe")
        frame.attrs["sandbox"] = ""
        frame.attrs["srcdoc"] = inner.serialize()
        el.replace_with(frame, move=True)

    def _picture(self, el: LexborNode) -> None:
        """Give the <img> of a <picture> the first archived candidate; drop the <source>s."""
        children = list(el.iter())
        sources = [child for child in children if child.tag == "source"]
        img = next((child for child in children if child.tag == "img"), None)
        if img is not None:
            attrs = img.attributes
            candidates = [attrs.get("src") or "", *_srcset_urls(attrs.get("srcset"))]
            for source in sources:
                source_attrs = source.attributes
                candidates += [*_srcset_urls(source_attrs.get("srcset")), source_attrs.get("src")]
            self._first_resource(img, candidates)
        for source in sources:
            source.decompose()

    def _first_resource(self, el: LexborNode, candidates: list[str | None]) -> None:
        if "srcset" in el.attributes:
            del el.attrs["srcset"]
        for candidate in candidates:
            uri = self.inliner.resource(candidate, self.base) if candidate else None
            if uri:
                el.attrs["src"] = uri
                return
        if "src" in el.attributes:
            del el.attrs["src"]

    def _placeholder(self, attrs: dict, url: str | None) -> LexborNode:
        size = "".join(
            f"{dim}:{(attrs.get(dim) or '').strip()}px;"
            for dim in ("width", "height")
            if (attrs.get(dim) or "").strip().isdigit()
        )
        absolute = urljoin(self.base, clean_url(url)) if url else ""
        text = f"{_MISSING}: {absolute}" if scheme_of(absolute) in _LINK_SCHEMES else _MISSING
        return self.document.element(
            "span", text, **{"class": "sipansos-missing", "style": _MISSING_STYLE + size}
        )

    def _rename(self, el: LexborNode, tag: str) -> LexborNode:
        new = self.document.element(tag, **{k: v or "" for k, v in el.attributes.items()})
        for child in list(el.iter(include_text=True)):
            new.insert_child(child, move=True)
        el.replace_with(new, move=True)
        return new


def _set_or_drop(el: LexborNode, name: str, value: str | None) -> None:
    if value is None:
        del el.attrs[name]
    else:
        el.attrs[name] = value


def _animates_url(attrs: dict) -> bool:
    """True for SVG animation that would point an href or a url() somewhere."""
    attrs = {name.lower(): (value or "").lower() for name, value in attrs.items()}
    return "href" in attrs.get("attributename", "") or any(
        "url(" in attrs.get(name, "") for name in ("from", "to", "by", "values")
    )


def _srcset_urls(srcset: str | None) -> list[str]:
    """The URLs of a srcset, in order (URLs may themselves hold commas, as data: URIs do)."""
    urls, pos, text = [], 0, srcset or ""
    while pos < len(text):
        while pos < len(text) and (text[pos].isspace() or text[pos] == ","):
            pos += 1
        start = pos
        while pos < len(text) and not text[pos].isspace():
            pos += 1
        url = text[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0  # skip descriptors up to the next comma outside parentheses
            while pos < len(text) and (text[pos] != "," or depth):
                depth += {"(": 1, ")": -1}.get(text[pos], 0)
                pos += 1
        if url:
            urls.append(url)
    return urls
