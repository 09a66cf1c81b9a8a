"""Everything that could run or reach outside is gone from a replay."""

import pytest

from sipansos.replay.sanitize import MAX_FRAME_DEPTH
from tests.replay.archive_fixtures import part
from tests.replay.checks import (
    EVIL,
    RED,
    attr,
    attribute_values,
    body_text,
    data_uri_bytes,
    documents,
    page_css,
    replay_archive,
    replay_dom,
)


def test_scripts_are_removed_and_noscript_is_kept_inert():
    output = replay_dom(
        "<head><script src='https://evil.example/a.js'></script></head>"
        "<body><script>alert('x')</script><p>kept</p>"
        "<svg><script href='https://evil.example/b.js'>alert('y')</script></svg>"
        "<noscript><p>Aktifkan JavaScript</p></noscript></body>"
    )
    assert b"alert" not in output
    assert "kept" in body_text(output)
    assert documents(output)[0].css_first("noscript p").text() == "Aktifkan JavaScript"


def test_inline_event_handlers_are_removed():
    output = replay_dom(
        "<body onload='steal()'><img src='data:image/png;base64,AAAA' onerror='steal()'>"
        "<button onclick='steal()'>b</button><svg onload='steal()'><circle onmouseover='steal()'/>"
        "</svg><div ONFOCUS='steal()' tabindex=0>d</div></body>"
    )
    assert b"steal" not in output


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_script_urls_are_removed_everywhere(url):
    html = (
        "<a href='{0}'>a</a><area href='{0}'><iframe src='{0}'></iframe><img src='{0}'>"
        "<form action='{0}'><button formaction='{0}'>b</button></form><object data='{0}'>"
        "</object><embed src='{0}'><svg><a xlink:href='{0}'><text>t</text></a></svg>"
    ).format(url.replace("'", "&#39;"))
    output = replay_dom(html)
    for value in attribute_values(output, skip=()):
        assert "alert" not in value and "msgbox" not in value and "PHNjcmlwd" not in value


def test_meta_refresh_and_base_are_removed_and_base_still_resolves():
    output = replay_archive(
        "<head><base href='https://cdn.example/assets/'>"
        "<meta http-equiv='refresh' content='0;url=https://evil.example/'>"
        "<meta http-equiv='set-cookie' content='a=b'><meta name='description' content='d'></head>"
        "<body><img id=pic src='pic.png'></body>",
        part("image/png", RED, location="https://cdn.example/assets/pic.png"),
    )
    root = documents(output)[0]
    assert root.css_first("base") is None
    assert [meta.attributes for meta in root.css("meta")] == [
        {"charset": "utf-8"},
        {"name": "description", "content": "d"},
    ]
    assert data_uri_bytes(attr(root, "#pic", "src")) == RED


@pytest.mark.parametrize(
    "rel",
    [
        "preconnect",
        "dns-prefetch",
        "preload",
        "prefetch",
        "modulepreload",
        "prerender",
        "manifest",
        "icon",
        "shortcut icon",
        "apple-touch-icon",
        "canonical",
        "alternate stylesheet",
        "stylesheet",
    ],
)
def test_links_other_than_archived_stylesheets_are_removed(rel):
    output = replay_dom(f"<head><link rel='{rel}' href='https://evil.example/x' as=image></head>")
    assert EVIL.encode() not in output
    assert b"<link" not in output


def test_frames_and_embeds_from_outside_become_placeholders():
    output = replay_dom(
        "<p>a<iframe src='https://evil.example/frame' width=300 height=150></iframe>b</p>"
        "<object data='https://evil.example/o.swf'><param name=movie value=x></object>"
        "<embed src='https://evil.example/e.swf'><portal src='https://evil.example/p'></portal>"
        "<fencedframe src='https://evil.example/ff'></fencedframe>"
    )
    root = documents(output)[0]
    boxes = root.css(".sipansos-missing")
    assert len(boxes) == 5
    assert boxes[0].text() == "Konten tersemat tidak diarsipkan: https://evil.example/frame"
    assert "width:300px;height:150px" in boxes[0].attributes["style"]
    assert (
        root.css_first("p").text()
        == "aKonten tersemat tidak diarsipkan: https://evil.example/frameb"
    )
    assert root.css_first("iframe") is None
    assert not [value for value in attribute_values(output) if EVIL in value]


def test_self_referencing_frames_stop_at_the_depth_limit():
    output = replay_archive(
        "<iframe src='cid:loop@x'></iframe>",
        part("text/html", b"<p>lagi</p><iframe src='cid:loop@x'></iframe>", content_id="loop@x"),
    )
    trees = documents(output)
    assert len(trees) == MAX_FRAME_DEPTH + 1
    assert trees[-1].css(".sipansos-missing")


def test_external_images_css_and_media_are_removed():
    output = replay_dom(
        """<head><style>
        @import "https://evil.example/c.css";
        @import url(https://evil.example/d.css) screen;
        body { background: url('//evil.example/e.png') }
        .x { background: \\75 rl(https://evil.example/f.png) }
        .y { background-image: image-set("https://evil.example/g.png" 1x) }
        @font-face { font-family: x; src: url(https://evil.example/h.woff2) format("woff2") }
        .z { --u: "https://evil.example/i.png"; background-image: -webkit-image-set(var(--u) 1x) }
        .c { cursor: url(https://evil.example/j.cur), auto }
        .keep { color: red; fill: url(#gradient) }
        </style></head><body>
        <div style="background:url(https://evil.example/b.png) no-repeat">d</div>
        <img src="https://evil.example/a.png" alt="foto">
        <table background="https://evil.example/k.png"><tr><td>t</td></tr></table>
        <video poster="https://evil.example/l.png" src="https://evil.example/m.mp4">
          <source src="https://evil.example/n.webm"><track src="https://evil.example/o.vtt">
        </video>
        <input type="image" src="https://evil.example/p.png">
        <svg><image href="https://evil.example/q.svg"/><use xlink:href="https://evil.example/r.svg#i"/>
          <rect fill="url(https://evil.example/p.svg#g)" filter="url('https://evil.example/f.svg#f')"
            mask="url(#m)" clip-path="\\75 rl(https://evil.example/c.svg#c)" stroke="red"/>
          <use href="#local"/><animate attributeName="href" to="https://evil.example/x"/></svg>
        <img srcset="https://evil.example/s.png 1x, https://evil.example/t.png 2x">
        <picture><source srcset="https://evil.example/u.webp"><img src="https://evil.example/v.png">
        </picture>
        <blockquote cite="https://evil.example/y">q</blockquote>
        </body>"""
    )
    assert not [value for value in attribute_values(output) if EVIL in value]
    root = documents(output)[0]
    assert attr(root, "img", "alt") == "foto"
    assert root.css_first("use[href='#local']") is not None
    assert root.css_first("rect").attributes == {
        "fill": "none",
        "filter": "none",
        "mask": "url(#m)",
        "clip-path": "none",
        "stroke": "red",
    }
    style = page_css(root)
    assert ".keep { color: red; fill: url(#gradient) }" in style
    assert "background-image: none" in style


def test_forms_lose_action_and_formaction():
    output = replay_dom(
        "<form action='https://evil.example/post' method=post target=_blank>"
        "<input name=q value='nilai'><button formaction='https://evil.example/b'>kirim</button>"
        "</form>"
    )
    root = documents(output)[0]
    assert root.css_first("form").attributes == {"method": "post"}
    assert attr(root, "input", "value") == "nilai"
    assert root.css_first("button").attributes == {}


@pytest.mark.parametrize(
    "html",
    [
        "<svg><style>&lt;img src=https://evil.example/a onerror=alert(1)&gt;</style></svg>",
        "<svg><xmp>&lt;meta http-equiv=refresh content='0;url=https://evil.example/'&gt;</xmp></svg>",
        "<math><mtext><table><mglyph><style>&lt;img src=https://evil.example/a&gt;</style>",
        "<svg><plaintext>&lt;link rel=preconnect href=https://evil.example/&gt;",
    ],
)
def test_text_never_turns_into_markup_when_the_browser_parses_again(html):
    # The serializer writes the text of <style>, <xmp> and <plaintext> raw, and inside <svg>
    # or <math> a browser reads raw text as markup: such text must hold no "<".
    output = replay_dom(html)
    assert (
        EVIL.encode() not in output.split(b'id="sipansos-replay-banner"')[0].replace(b"\\3c ", b"<")
        or b"<img" not in output
    )
    for tag in (b"<img", b"<meta http-equiv", b"<link"):
        assert tag not in output


def test_template_and_shadow_root_contents_are_cleaned():
    output = replay_archive(
        "<div id=host><template shadowmode=open><script>alert(1)</script>"
        "<img src='https://cdn.example/red.png' onerror='alert(2)'><template>"
        "<img src='https://evil.example/nested.png'></template></template></div>",
        part("image/png", RED, location="https://cdn.example/red.png"),
    )
    assert b"alert" not in output and EVIL.encode() not in output
    template = documents(output)[0].css_first("#host template")
    assert template.attributes == {"shadowrootmode": "open"}
    content = template.template_fragments()[0]
    assert data_uri_bytes(content.css_first("img").attributes["src"]) == RED
