"""Helpers for replay tests: build replays and assert that nothing in them runs or reaches out."""

import base64
import re

import tinycss2
from selectolax.lexbor import LexborHTMLParser, LexborNode

from sipansos.replay import build_replay
from tests.replay.archive_fixtures import mhtml, part, png

PAGE = "https://www.example.id/berita/pilkada-2026"
EVIL = "evil.example"
RED = png(40, 30, (255, 0, 0))
BLUE = png(8, 8, (0, 0, 255))
# Attributes through which a browser fetches, navigates or submits.
URL_ATTRS = {
    "src", "href", "xlink:href", "poster", "background", "action", "formaction", "srcset",
    "imagesrcset", "ping", "data", "lowsrc", "dynsrc", "cite", "longdesc", "manifest",
    "codebase", "attributionsrc",
}  # fmt: skip
FORBIDDEN_TAGS = {"script", "base", "link", "object", "embed", "applet", "portal", "frame"}
ACTIVE_DATA = ("data:text/html", "data:application/xhtml", "data:text/xml", "data:text/javascript")


def documents(output: bytes | str) -> list[LexborHTMLParser]:
    """The replay document and, recursively, the documents of its srcdoc frames, parsed the
    way the sandboxed browser parses them (HTML standard, scripting off)."""
    trees = [LexborHTMLParser(output, scripting=False)]
    for tree in trees:
        for frame in elements(tree):
            if frame.tag == "iframe" and frame.attributes.get("srcdoc"):
                trees.append(LexborHTMLParser(frame.attributes["srcdoc"], scripting=False))
    return trees


def elements(tree: LexborHTMLParser) -> list[LexborNode]:
    """Every element, template contents included."""
    found, stack = [], [tree.root]
    while stack:
        node = stack.pop()
        if node.tag and not node.tag.startswith("-"):
            found.append(node)
            stack.extend(node.iter())
            stack.extend(child for part in node.template_fragments() for child in part.iter())
    return found


def css_urls(css: str) -> list[str]:
    """Every URL a stylesheet names (url(), src(), image-set() strings, @import strings)."""
    found = []

    def walk(nodes, in_image_set=False, after_import=False):
        for node in nodes:
            if node.type == "url":
                found.append(node.value)
            elif node.type == "string" and (in_image_set or after_import):
                found.append(node.value)
            elif node.type == "function":
                if node.lower_name in ("url", "src"):
                    found.extend(arg.value for arg in node.arguments if arg.type == "string")
                walk(node.arguments, node.lower_name.endswith("image-set"))
            elif hasattr(node, "content") and isinstance(node.content, list):
                walk(node.content)
            after_import = (node.type == "at-keyword" and node.lower_value == "import") or (
                after_import and node.type == "whitespace"
            )

    walk(tinycss2.parse_component_value_list(css))
    return found


def assert_static(output: bytes | str) -> None:
    """No script, no handler, and every URL an inert data: URI or a #fragment."""
    for tree in documents(output):
        for el in elements(tree):
            tag, attrs = el.tag.lower(), el.attributes
            assert tag not in FORBIDDEN_TAGS, el.html
            if tag == "iframe":
                assert attrs.get("sandbox") == "" and "src" not in attrs
            if tag == "meta":
                assert "http-equiv" not in attrs
            for name, value in attrs.items():
                assert not name.lower().startswith("on"), (tag, name)
                if name.lower() in URL_ATTRS:
                    assert_inert_url(value)
                if name in ("style", "fill", "stroke", "filter", "mask", "clip-path", "cursor") or (
                    name.startswith("marker")
                ):
                    for url in css_urls(value):
                        assert_inert_url(url)
            if tag == "style":
                for url in css_urls(el.text()):
                    assert_inert_url(url)
    # Style text is written raw, not as &lt;: a "<" in it could become markup where a browser
    # reads <style> as an SVG or MathML element.
    sources = [output if isinstance(output, str) else output.decode()]
    sources += [
        el.attributes["srcdoc"]
        for tree in documents(output)
        for el in elements(tree)
        if el.tag == "iframe" and el.attributes.get("srcdoc")
    ]
    for source in sources:
        for css in re.findall(r"<style\b[^>]*>(.*?)</style", source, re.I | re.S):
            assert "<" not in css, css


def assert_inert_url(url: str) -> None:
    url = url.strip()
    assert url.startswith(("data:", "#")), url
    assert not url.lower().startswith(ACTIVE_DATA), url


def attribute_values(output: bytes | str, skip=("data-original-href", "title")) -> list[str]:
    """Every attribute value in the replay, except the link-as-text ones."""
    return [
        value or ""
        for tree in documents(output)
        for el in elements(tree)
        for name, value in el.attributes.items()
        if name not in skip
    ]


def replay_dom(html: str, page_url: str = PAGE) -> bytes:
    """Replay a DOM snapshot and check that it is static."""
    output = build_replay(html=html.encode(), page_url=page_url)
    assert_static(output)
    return output


def replay_archive(html: str, *parts, page_url: str = PAGE) -> bytes:
    """Replay an MHTML of ``html`` (quoted-printable, like Chrome's) and its ``parts``."""
    page = part("text/html", html.encode(), location=page_url, cte="quoted-printable")
    output = build_replay(mhtml(page_url, page, *parts), page_url=page_url)
    assert_static(output)
    return output


def body_text(output: bytes) -> str:
    return documents(output)[0].body.text()


def page_css(tree) -> str:
    """The text of the page's own <style> elements (not the replay's)."""
    return "".join(s.text() for s in tree.css("style") if "noscript{" not in s.text())


def attr(tree, selector: str, name: str) -> str | None:
    return tree.css_first(selector).attributes.get(name)


def data_uri_bytes(uri: str) -> bytes:
    assert uri.startswith("data:") and ";base64," in uri
    return base64.b64decode(uri.split(",", 1)[1])
