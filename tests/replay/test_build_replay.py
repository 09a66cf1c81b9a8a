"""build_replay: archived resources inlined, links kept as text, DOM snapshots, limits."""

import base64
import re

import pytest

from sipansos.replay import MAX_INPUT_BYTES, REPLAY_CSP, build_replay, replay_headers
from sipansos.replay.inline import Inliner
from sipansos.replay.mhtml import parse_mhtml
from tests.replay.archive_fixtures import mhtml, part
from tests.replay.checks import (
    BLUE,
    PAGE,
    RED,
    assert_static,
    attr,
    body_text,
    data_uri_bytes,
    documents,
    page_css,
    replay_archive,
    replay_dom,
)


def test_archived_frame_is_inlined_as_sandboxed_srcdoc():
    frame = (
        "<!DOCTYPE html><body onload='x()'><script>alert(1)</script>"
        "<p>isi bingkai</p><img src='/img/blue.png'></body>"
    )
    output = replay_archive(
        "<iframe src='cid:frame-1@mhtml.blink' width=200 height=100 allow='camera' "
        "allowfullscreen loading=lazy class=embed style='border:0'></iframe>",
        part(
            "text/html",
            frame.encode(),
            location="https://embed.example/post/9",
            content_id="frame-1@mhtml.blink",
            cte="quoted-printable",
        ),
        part("image/png", BLUE, location="https://embed.example/img/blue.png"),
    )
    outer, inner = documents(output)
    iframe = outer.css_first("iframe").attributes
    assert set(iframe) == {"width", "height", "class", "style", "sandbox", "srcdoc"}
    assert iframe["sandbox"] == ""
    assert inner.css_first("p").text() == "isi bingkai"
    assert inner.css_first("script") is None
    assert data_uri_bytes(attr(inner, "img", "src")) == BLUE


def test_srcset_resolves_to_an_archived_candidate():
    output = replay_archive(
        "<img id=a src='https://evil.example/x.png' "
        "srcset='https://cdn.example/small.png 1x, https://cdn.example/big.png 2x'>"
        "<picture><source srcset='https://cdn.example/big.png'><img id=b></picture>"
        f"<img id=c srcset='data:image/png;base64,{base64.b64encode(BLUE).decode()} 1x'>",
        part("image/png", RED, location="https://cdn.example/big.png"),
    )
    root = documents(output)[0]
    for element_id, image in (("a", RED), ("b", RED), ("c", BLUE)):
        attrs = root.css_first(f"#{element_id}").attributes
        assert "srcset" not in attrs
        assert data_uri_bytes(attrs["src"]) == image
    assert root.css_first("source") is None


def test_archived_images_become_data_uris_and_bytes_round_trip():
    output = replay_archive(
        "<img id=abs src='https://cdn.example/red.png'><img id=rel src='/gambar/red.png'>"
        "<div id=bg style=\"background-image:url('https://cdn.example/red.png')\"></div>",
        part("image/png", RED, location="https://cdn.example/red.png"),
        part("image/png", RED, location="https://www.example.id/gambar/red.png"),
    )
    root = documents(output)[0]
    assert data_uri_bytes(attr(root, "#abs", "src")) == RED
    assert attr(root, "#rel", "src").startswith("data:image/png;base64,")
    match = re.search(r"url\((data:[^)]+)\)", attr(root, "#bg", "style"))
    assert data_uri_bytes(match.group(1)) == RED


def test_archived_stylesheet_is_inlined_with_its_fonts_images_and_imports():
    font = b"wOF2 not really a font"
    css = (
        "@import 'print.css' print;\n"
        "@font-face { font-family: Sans; src: url(fonts/sans.woff2) format('woff2') }\n"
        'body { background: url("../img/bg.png") }\n'
        "/* </style><img src=https://evil.example/a onerror=alert(1)> */\n"
        "p::before { content: '</style>' }"
    )
    output = replay_archive(
        "<head><link rel=stylesheet href='/static/site.css' media=screen></head><p>x</p>",
        part("text/css", css.encode(), location="https://www.example.id/static/site.css"),
        part(
            "text/css",
            b"p{background:url(bg2.png)}",
            location="https://www.example.id/static/print.css",
        ),
        part("font/woff2", font, location="https://www.example.id/static/fonts/sans.woff2"),
        part("image/png", BLUE, location="https://www.example.id/img/bg.png"),
        part("image/png", RED, location="https://www.example.id/static/bg2.png"),
    )
    style = documents(output)[0].css_first("style[media]")
    assert style.attributes["media"] == "screen"
    css = style.text()
    uris = {kind: uri for uri, kind in re.findall(r"url\((data:([a-z0-9/]+)[^)]*)\)", css)}
    assert data_uri_bytes(uris["font/woff2"]) == font
    assert data_uri_bytes(uris["image/png"]) == BLUE
    imported = data_uri_bytes(uris["text/css"]).decode()
    assert data_uri_bytes(re.search(r"url\((data:[^)]+)\)", imported).group(1)) == RED
    assert "alert" not in css and "</style>" not in css
    assert 'content: "\\3c /style>"' in css


def test_frameset_page_gets_its_frames_inline():
    output = replay_archive(
        "<frameset cols='30%,70%'><frame src='cid:nav@x'><frame src='https://evil.example/f'>"
        "</frameset>",
        part("text/html", b"<p>menu</p>", content_id="nav@x"),
    )
    outer, inner = documents(output)
    assert inner.css_first("p").text() == "menu"
    assert outer.css(".sipansos-missing")[0].text().endswith("https://evil.example/f")
    assert outer.css_first("#sipansos-replay-banner") is not None


def test_anchor_targets_are_kept_as_text():
    output = replay_dom(
        "<a id=rel href='/politik/123' title='Baca' target=_blank ping='https://evil.example/p'>"
        "baca</a><a id=frag href='#komentar'>k</a><a id=mail href='mailto:bawaslu@example.id'>m</a>"
    )
    root = documents(output)[0]
    assert root.css_first("#rel").attributes == {
        "id": "rel",
        "href": "#",
        "data-original-href": "https://www.example.id/politik/123",
        "title": "Baca — https://www.example.id/politik/123",
    }
    assert attr(root, "#frag", "href") == "#komentar"
    assert attr(root, "#mail", "data-original-href") == "mailto:bawaslu@example.id"


def test_dom_snapshot_keeps_inline_images_and_drops_outside_ones():
    inline = f"data:image/png;base64,{base64.b64encode(RED).decode()}"
    output = replay_dom(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>p{color:navy}</style>"
        "<link rel=stylesheet href='https://evil.example/s.css'></head><body>"
        f"<p>Calon nomor urut 2 — ‘kampanye hitam’</p><img id=in src='{inline}'>"
        "<img id=out src='https://evil.example/a.png'></body></html>"
    )
    root = documents(output)[0]
    assert data_uri_bytes(attr(root, "#in", "src")) == RED
    assert attr(root, "#out", "src") is None
    assert "Calon nomor urut 2 — ‘kampanye hitam’" in body_text(output)
    assert page_css(root) == "p{color:navy}"
    assert output.startswith(b"<!DOCTYPE html>")


def test_dom_snapshot_uses_the_archive_when_mhtml_has_no_document():
    archive = mhtml(PAGE, part("image/png", BLUE, location="https://cdn.example/b.png"))
    output = build_replay(archive, b"<img src='https://cdn.example/b.png'>", page_url=PAGE)
    assert_static(output)
    assert data_uri_bytes(attr(documents(output)[0], "img", "src")) == BLUE


def test_banner_names_the_page_and_is_escaped():
    url = "https://x.com/akun/status/1?q=<script>alert(1)</script>"
    output = replay_dom("<p>isi</p>", page_url=url)
    banner = documents(output)[0].css_first("#sipansos-replay-banner")
    assert banner.text() == (
        f"Rekaman arsip SIPANSOS — bukan halaman langsung · salinan arsip dari {url}"
    )
    assert b"<script>" not in output


def test_output_is_deterministic():
    archive = mhtml(
        PAGE,
        part("text/html", b"<img src='/a.png'>", location=PAGE),
        part("image/png", RED, location="https://www.example.id/a.png"),
    )
    assert build_replay(archive, page_url=PAGE) == build_replay(archive, page_url=PAGE)


def test_inputs_over_100_mb_are_refused():
    too_big = bytes(MAX_INPUT_BYTES + 1)
    with pytest.raises(ValueError, match="larger than"):
        build_replay(too_big, page_url=PAGE)
    with pytest.raises(ValueError, match="larger than"):
        build_replay(html=too_big, page_url=PAGE)
    with pytest.raises(ValueError, match="nothing to replay"):
        build_replay(page_url=PAGE)


def test_inlining_stops_at_the_budget():
    archive = parse_mhtml(mhtml(PAGE, part("image/png", RED, location="https://cdn.example/r")))
    inliner = Inliner(archive, budget=300)
    first = inliner.resource("https://cdn.example/r", PAGE)
    assert inliner.resource("https://cdn.example/r", PAGE) is None
    assert data_uri_bytes(inliner.assemble(first).decode()) == RED


def test_headers_allow_no_network_source():
    headers = replay_headers()
    assert headers["Content-Security-Policy"] == REPLAY_CSP
    directives = {}
    for item in REPLAY_CSP.split(";"):
        name, *sources = item.split()
        directives[name] = sources
    assert directives["sandbox"] == [] and directives["default-src"] == ["'none'"]
    for sources in directives.values():
        for source in sources:
            assert source in ("'none'", "data:", "'unsafe-inline'"), source
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
