"""Reading MHTML archives: parts, transfer encodings, charsets, frames, URL matching."""

import pytest

from sipansos.replay.mhtml import decode_text, parse_mhtml, url_key
from tests.replay.archive_fixtures import mhtml, part, png

PAGE = "https://www.facebook.com/someone/posts/123"


def test_chrome_like_archive_gives_document_and_parts():
    image = png(4, 3, (0, 128, 255))
    html = '<!DOCTYPE html><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
    html += "<p>Pemilu jujur — adil ✓</p>"
    data = mhtml(
        PAGE,
        part(
            "text/html",
            html.encode(),
            location=PAGE,
            content_id="frame-A@mhtml.blink",
            cte="quoted-printable",
        ),
        part("image/png", image, location="https://cdn.example/a.png"),
        part("text/css", b"p{color:red}", location="cid:css-1@mhtml.blink", cte="quoted-printable"),
        part(
            "text/html",
            b"<p>frame</p>",
            location="https://ads.example/f",
            content_id="frame-B@mhtml.blink",
            cte="quoted-printable",
        ),
    )

    archive = parse_mhtml(data)

    assert archive.url == PAGE
    assert "Pemilu jujur — adil ✓" in archive.html
    assert archive.find("https://cdn.example/a.png") == (
        "image/png",
        image,
        "https://cdn.example/a.png",
        None,
    )
    assert archive.find("cid:css-1@mhtml.blink").data == b"p{color:red}"
    frame = archive.find("cid:frame-B@mhtml.blink")
    assert frame.media_type == "text/html"
    assert frame.location == "https://ads.example/f"
    assert archive.find("https://ads.example/f") is frame
    assert archive.find("https://cdn.example/missing.png") is None


def test_part_charset_is_honoured():
    html = "<p>Café Jalan Merdeka</p>".encode("cp1252")
    data = mhtml(PAGE, part("text/html", html, location=PAGE, charset="windows-1252"))
    assert "Café Jalan Merdeka" in parse_mhtml(data).html


def test_start_parameter_names_the_document():
    data = mhtml(
        PAGE,
        part("text/css", b"p{}", location="https://x.example/s.css"),
        part("text/html", b"<p>second</p>", location=PAGE, content_id="main@x"),
    )
    data = data.replace(b'type="text/html";', b'type="text/html"; start="<main@x>";', 1)
    archive = parse_mhtml(data)
    assert "second" in archive.html and archive.url == PAGE


def test_single_part_html_message():
    data = b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>halo</p>\r\n"
    assert "halo" in parse_mhtml(data).html


def test_archive_without_html_has_no_document():
    data = mhtml(PAGE, part("image/png", png(1, 1, (0, 0, 0)), location="https://x/a.png"))
    assert parse_mhtml(data).html is None


@pytest.mark.parametrize(
    ("reference", "stored"),
    [
        ("HTTPS://CDN.Example:443/a b.png#frag", "https://cdn.example/a%20b.png"),
        ("http://cdn.example:80", "http://cdn.example/"),
        ("https://cdn.example/é?q=ü", "https://cdn.example/%C3%A9?q=%C3%BC"),
        (" https://cdn.example/a\n.png ", "https://cdn.example/a.png"),
        ("cid:frame-1%40mhtml.blink", "cid:frame-1@mhtml.blink"),
    ],
)
def test_url_key_matches_a_browsers_serialisation(reference, stored):
    assert url_key(reference) == url_key(stored)


@pytest.mark.parametrize(
    ("data", "charset", "kind", "text"),
    [
        (b"\xef\xbb\xbf<p>\xc3\xa9</p>", None, "html", "<p>é</p>"),
        (
            b'<meta charset="iso-8859-1"><p>\xe9</p>',
            None,
            "html",
            '<meta charset="iso-8859-1"><p>é</p>',
        ),
        (b"<p>\xe9</p>", None, "html", "<p>é</p>"),
        (b"<p>\xc3\xa9</p>", "bogus-charset", "html", "<p>é</p>"),
        (
            b'@charset "windows-1252"; a::after{content:"\xe9"}',
            None,
            "css",
            '@charset "windows-1252"; a::after{content:"é"}',
        ),
    ],
)
def test_decode_text(data, charset, kind, text):
    assert decode_text(data, charset, kind) == text
