"""Rewrite CSS so that it names no outside resource: every URL becomes a ``data:`` URI or goes.

CSS is tokenized with tinycss2 rather than searched with patterns, because CSS escapes
(``\\75 rl(…)`` is ``url(…)``) and comments make pattern matching easy to get around.
"""

from collections.abc import Callable

import tinycss2
from tinycss2.ast import IdentToken, Node, URLToken
from tinycss2.serializer import serialize_url

# resolve(url, kind) -> the URL to put in its place, or None to remove it.
# kind is "css" for an @import target and "resource" for anything else.
Resolver = Callable[[str, str], str | None]

_IMAGE_SETS = {"image-set", "-webkit-image-set"}
# Functions whose value is only known once computed; inside image-set() they could turn a
# string from a custom property into a URL.
_DYNAMIC = {"var", "env", "attr"}
_BLOCKS = {"() block", "[] block", "{} block"}


def rewrite_css(css: str, resolve: Resolver) -> str:
    """Return ``css`` with each ``url()``, ``src()``, ``image-set()`` string and ``@import``
    passed through ``resolve``; references it refuses become ``none`` (``@import`` rules go).

    ``<`` is escaped as ``\\3c`` so that the text can never close a ``<style>`` element or be
    read as markup by an HTML parser; in CSS the escape means the same character.
    """
    nodes = tinycss2.parse_component_value_list(css, skip_comments=True)
    _rewrite(nodes, resolve)
    return tinycss2.serialize(nodes).replace("<", "\\3c ")


def _rewrite(nodes: list[Node], resolve: Resolver) -> None:
    i = 0
    while i < len(nodes):
        node = nodes[i]
        kind = node.type
        if kind == "url":
            nodes[i] = _url_or_none(node, node.value, "resource", resolve)
        elif kind == "function":
            name = node.lower_name
            if name in ("url", "src"):
                nodes[i] = _url_or_none(node, _single_string(node.arguments), "resource", resolve)
            elif name in _IMAGE_SETS and _has_dynamic(node.arguments):
                nodes[i] = _none(node)
            else:
                if name in _IMAGE_SETS:
                    # In image-set() a bare string is a URL.
                    node.arguments[:] = [
                        _url_or_none(arg, arg.value, "resource", resolve)
                        if arg.type == "string"
                        else arg
                        for arg in node.arguments
                    ]
                _rewrite(node.arguments, resolve)
        elif kind in _BLOCKS:
            _rewrite(node.content, resolve)
        elif kind == "at-keyword" and node.lower_value in ("import", "namespace"):
            end = _statement_end(nodes, i)
            if node.lower_value == "import" and not _rewrite_import(nodes, i, end, resolve):
                del nodes[i : end + 1]
                continue
            # An @namespace URL is only a name: it is never fetched, so it stays.
            i = end
        i += 1


def _rewrite_import(nodes: list[Node], start: int, end: int, resolve: Resolver) -> bool:
    """Point an @import at the inlined stylesheet; False when the rule must go."""
    for j in range(start + 1, end + 1):
        node = nodes[j]
        if node.type == "whitespace":
            continue
        if node.type in ("string", "url"):
            url = node.value
        elif node.type == "function" and node.lower_name == "url":
            url = _single_string(node.arguments)
        else:
            return False
        new = resolve(url, "css") if url is not None else None
        if new is None:
            return False
        nodes[j] = _url_token(node, new)
        return True
    return False


def _statement_end(nodes: list[Node], start: int) -> int:
    for j in range(start + 1, len(nodes)):
        if nodes[j].type == "{} block" or (nodes[j].type == "literal" and nodes[j].value == ";"):
            return j
    return len(nodes) - 1


def _single_string(arguments: list[Node]) -> str | None:
    values = [arg for arg in arguments if arg.type != "whitespace"]
    if len(values) == 1 and values[0].type == "string":
        return values[0].value
    return None


def _has_dynamic(nodes: list[Node]) -> bool:
    for node in nodes:
        if node.type == "function" and (
            node.lower_name in _DYNAMIC or _has_dynamic(node.arguments)
        ):
            return True
        if node.type in _BLOCKS and _has_dynamic(node.content):
            return True
    return False


def _url_or_none(node: Node, url: str | None, kind: str, resolve: Resolver) -> Node:
    new = resolve(url, kind) if url is not None else None
    return _none(node) if new is None else _url_token(node, new)


def _url_token(node: Node, url: str) -> URLToken:
    return URLToken(node.source_line, node.source_column, url, f"url({serialize_url(url)})")


def _none(node: Node) -> IdentToken:
    return IdentToken(node.source_line, node.source_column, "none")
