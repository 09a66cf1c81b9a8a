"""Post-metadata extractors (extension/content/platforms/*.js + extract-metadata.js) in Chromium.

Each fixture page is served at its platform's real URL by Playwright routing (no network: every
other request is aborted); the files are run in the page in the order the extension injects
them, each in global scope as a classic script runs (the globals test injects real <script>
tags), and sipansosExtractMetadata() is compared with the sidecar JSON.
One browser for the module, a new page per test.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests/e2e/fixtures/platforms"
CONTENT = ROOT / "extension/content"
# Injection order: the platform files, then the dispatcher.
PLATFORMS = ["facebook", "instagram", "x", "tiktok", "youtube", "generic"]
SCRIPTS = [
    *(CONTENT / f"platforms/{name}.js" for name in PLATFORMS),
    CONTENT / "extract-metadata.js",
]
SOURCES = [f"{p.read_text(encoding='utf-8')}\n//# sourceURL={p.name}" for p in SCRIPTS]
# The browser leg is never skipped: tests/run.sh installs Debian's chromium.
FIXTURE_NAMES = ["facebook", "instagram", "x", "tiktok", "youtube", "generic-news"]
FEEDS = ["facebook", "instagram", "x", "youtube"]
FIELDS = [
    "platform",
    "author_name",
    "author_handle",
    "author_url",
    "post_id",
    "posted_at",
    "text",
    "permalink",
]
EXTRACT = "sel => sipansosExtractMetadata(document, sel ? document.querySelector(sel) : null)"


@pytest.fixture(scope="module")
def browser_context(playwright):
    """One browser (and one context: a new one per test costs more than the test) per module."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS)
    )
    context = browser.new_context()
    yield context
    context.close()
    browser.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    yield page
    page.close()


def expected(name):
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


def fixture_html(name):
    return (FIXTURES / f"{name}.html").read_text(encoding="utf-8")


def serve(page, url, html, inject=True):
    """Open url with html as the response, nothing else reachable; inject the extractors."""
    parts = urlsplit(url)
    page.route("**/*", lambda route: route.abort())
    page.route(
        f"{parts.scheme}://{parts.netloc}/**",
        lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
    )
    page.goto(url)
    if inject:
        page.evaluate("sources => { for (const s of sources) (0, eval)(s); }", SOURCES)
    return page


def extract(page, selector=None):
    return page.evaluate(EXTRACT, selector)


def metadata(platform, **fields):
    return {"platform": platform, **dict.fromkeys(FIELDS[1:]), **fields}


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_main_post(page, name):
    spec = expected(name)
    serve(page, spec["url"], fixture_html(name))
    result = extract(page)
    assert list(result) == FIELDS
    assert result == spec["main"]


@pytest.mark.parametrize("name", FEEDS)
def test_fixture_second_post(page, name):
    spec = expected(name)
    serve(page, spec["url"], fixture_html(name))
    assert extract(page, spec["second"]["selector"]) == spec["second"]["expected"]


@pytest.mark.parametrize("name", FEEDS)
def test_element_deep_inside_a_post_walks_up_to_it(page, name):
    spec = expected(name)
    serve(page, spec["url"], fixture_html(name))
    result = page.evaluate(
        """sel => {
            let el = document.querySelector(sel);
            while (el.lastElementChild) el = el.lastElementChild;
            return sipansosExtractMetadata(document, el);
        }""",
        spec["second"]["selector"],
    )
    assert result == spec["second"]["expected"]


@pytest.mark.parametrize(
    "selector",
    ['[role="dialog"] [data-ad-comet-preview="message"] div', '[role="dialog"] [role="article"]'],
)
def test_facebook_selection_in_post_dialog_is_the_dialog_post(page, selector):
    # The dialog's post has no wrapper of its own; its comments are top-level articles there.
    spec = expected("facebook")
    serve(page, spec["url"], fixture_html("facebook"))
    assert extract(page, selector) == spec["main"]


@pytest.mark.parametrize("host", ["twitter.com", "mobile.twitter.com"])
def test_x_fixture_under_twitter_host(page, host):
    spec = expected("x")
    url = spec["url"].replace("https://x.com/", f"https://{host}/")
    serve(page, url, fixture_html("x"))

    def on_host(fields):
        urls = ("author_url", "permalink")
        return {
            k: v.replace("https://x.com/", f"https://{host}/") if k in urls else v
            for k, v in fields.items()
        }

    assert extract(page) == on_host(spec["main"])
    second = spec["second"]
    assert extract(page, second["selector"]) == on_host(second["expected"])


def test_x_status_not_rendered_yet_is_named_by_its_url(page):
    url = "https://x.com/budisantoso_asn/status/1856158723077153459?s=46&t=Zk3"
    serve(page, url, "<!DOCTYPE html><title>X</title><div id=react-root></div>")
    assert extract(page) == metadata(
        "x",
        author_handle="budisantoso_asn",
        post_id="1856158723077153459",
        # Decoded from the snowflake id.
        posted_at="2024-11-12T02:15:00Z",
        permalink="https://x.com/budisantoso_asn/status/1856158723077153459",
    )


OLD_FACEBOOK = """<!DOCTYPE html><html lang="id"><body><div role="main">
<div role="article" class="_5pcr userContentWrapper">
  <h5><span class="fwb"><a href="https://www.facebook.com/budi.santoso.asn?fref=nf">Budi
  Santoso</a></span> bersama <a href="/andi.wijaya">Andi Wijaya</a></h5>
  <a href="/budi.santoso.asn/posts/pfbid02Xk7Lm9Qw3?__tn__=-R" class="_5pcq"><abbr
    data-utime="1731377700" title="Selasa, 12 November 2024 pukul 09.15"
    class="_5ptz"><span class="timestampContent">12 November pukul 9:15</span></abbr></a>
  <div data-testid="post_message" class="userContent"><p>Ayo dukung paslon nomor 2 di
    Pilkada!</p><p>#Pilkada2024</p></div>
</div></div></body></html>"""


@pytest.mark.parametrize("host", ["www.facebook.com", "web.facebook.com"])
def test_facebook_older_layout_with_abbr_data_utime(page, host):
    serve(page, f"https://{host}/budi.santoso.asn/posts/pfbid02Xk7Lm9Qw3", OLD_FACEBOOK)
    assert extract(page) == metadata(
        "facebook",
        author_name="Budi Santoso",
        author_handle="budi.santoso.asn",
        author_url="https://www.facebook.com/budi.santoso.asn",
        post_id="pfbid02Xk7Lm9Qw3",
        posted_at="2024-11-12T02:15:00Z",
        text="Ayo dukung paslon nomor 2 di Pilkada! #Pilkada2024",
        permalink=f"https://{host}/budi.santoso.asn/posts/pfbid02Xk7Lm9Qw3",
    )


MOBILE_FACEBOOK = """<!DOCTYPE html><html lang="id"><body><div id="root" role="main">
<div role="article" data-ft='{"top_level_post_id":"1845123456789012","content_owner_id_new":
  "100012345678901","page_insights":{"100012345678901":{"post_context":{"publish_time":1731377700}}}}'>
  <header><h3><strong><a href="/profile.php?id=100012345678901&amp;refid=52">Budi Santoso</a>
  </strong></h3></header>
  <div><p>Ayo dukung paslon nomor 2 di Pilkada!</p></div>
  <footer><abbr>12 Nov pukul 09.15</abbr> <a href="STORY">Berita Lengkap</a></footer>
</div></div></body></html>""".replace(
    "STORY", "/story.php?story_fbid=1845123456789012&amp;id=100012345678901&amp;refid=52"
)


def test_facebook_mobile_story_with_data_ft(page):
    url = "https://m.facebook.com/story.php?story_fbid=1845123456789012&id=100012345678901"
    serve(page, url, MOBILE_FACEBOOK)
    assert extract(page) == metadata(
        "facebook",
        author_name="Budi Santoso",
        author_url="https://m.facebook.com/profile.php?id=100012345678901",
        post_id="1845123456789012",
        posted_at="2024-11-12T02:15:00Z",
        permalink=url,
    )


def test_instagram_direct_load_reads_display_name_from_og_title(page):
    html = """<!DOCTYPE html><html><head>
    <meta property="og:title" content="Budi Santoso di Instagram: &quot;Ayo dukung!&quot;">
    <meta property="og:url" content="https://www.instagram.com/p/DCQx7yzSh3k/">
    </head><body><main role="main"><div>
      <header><a href="/budi.santoso.asn/"><span>budi.santoso.asn</span></a></header>
      <h1>Ayo dukung paslon nomor 2 di Pilkada!</h1>
      <a href="/p/DCQx7yzSh3k/"><time datetime="2024-11-12T02:15:00.000Z">12 November</time></a>
    </div></main></body></html>"""
    serve(page, "https://www.instagram.com/p/DCQx7yzSh3k/?img_index=1", html)
    assert extract(page) == metadata(
        "instagram",
        author_name="Budi Santoso",
        author_handle="budi.santoso.asn",
        author_url="https://www.instagram.com/budi.santoso.asn/",
        post_id="DCQx7yzSh3k",
        posted_at="2024-11-12T02:15:00Z",
        text="Ayo dukung paslon nomor 2 di Pilkada!",
        permalink="https://www.instagram.com/p/DCQx7yzSh3k/",
    )


def test_tiktok_feed_item_without_link_is_named_by_its_player(page):
    html = """<!DOCTYPE html><html><body><div id="main-content-homepage_hot">
    <article data-e2e="recommend-list-item-container">
      <div id="xgwrapper-0-7436000574668525982"><video></video></div>
      <a href="/@rina.guru"><h3 data-e2e="video-author-uniqueid">rina.guru</h3>
        <h4 data-e2e="video-author-nickname">Rina Marlina</h4></a>
      <div data-e2e="video-desc"><span>Kampanye akbar paslon 2 </span>
        <a href="/tag/pilkada2024"><strong>#Pilkada2024</strong></a></div>
    </article></div></body></html>"""
    serve(page, "https://www.tiktok.com/foryou?lang=id-ID", html)
    assert extract(page, '[data-e2e="video-desc"] strong') == metadata(
        "tiktok",
        author_name="Rina Marlina",
        author_handle="rina.guru",
        author_url="https://www.tiktok.com/@rina.guru",
        post_id="7436000574668525982",
        # Decoded from the video id.
        posted_at="2024-11-11T12:40:00Z",
        text="Kampanye akbar paslon 2 #Pilkada2024",
        permalink="https://www.tiktok.com/@rina.guru/video/7436000574668525982",
    )


def player_response(video_id):
    data = {
        "videoDetails": {
            "videoId": video_id,
            "title": "Coblos nomor 2!",
            "author": "Budi Santoso",
            "channelId": "UCx2bSantosoAsnBgr7Kq1w",
            "shortDescription": "Pilkada Kabupaten Bogor",
        },
        "microformat": {
            "playerMicroformatRenderer": {
                "publishDate": "2024-11-11T18:15:00-08:00",
                "ownerProfileUrl": "http://www.youtube.com/@BudiSantosoASN",
            }
        },
    }
    return f"<script>var ytInitialPlayerResponse = {json.dumps(data)};</script>"


YOUTUBE_VIDEO = metadata(
    "youtube",
    author_name="Budi Santoso",
    author_handle="BudiSantosoASN",
    author_url="https://www.youtube.com/@BudiSantosoASN",
    post_id="aB3dE5gH7jK",
    posted_at="2024-11-12T02:15:00Z",
    text="Coblos nomor 2! Pilkada Kabupaten Bogor",
)


def test_youtube_short_link_resolves_to_watch_permalink(page):
    serve(page, "https://youtu.be/aB3dE5gH7jK?si=Xq1", player_response("aB3dE5gH7jK"))
    assert extract(page) == {
        **YOUTUBE_VIDEO,
        "permalink": "https://www.youtube.com/watch?v=aB3dE5gH7jK",
    }


def test_youtube_shorts_url_and_active_short(page):
    html = (
        player_response("aB3dE5gH7jK")
        + """
    <ytd-shorts><ytd-reel-video-renderer id="0" is-active>
      <h2><span>Coblos nomor 2!</span></h2>
      <a href="/@BudiSantosoASN"><span>Budi Santoso</span></a>
    </ytd-reel-video-renderer><ytd-reel-video-renderer id="1">
      <h2>Another short</h2><a href="/@someoneelse">Someone Else</a>
    </ytd-reel-video-renderer></ytd-shorts>"""
    )
    serve(page, "https://m.youtube.com/shorts/aB3dE5gH7jK", html)
    # URLs keep the page's host (m.youtube.com); only youtu.be, which serves no pages, is mapped.
    assert extract(page) == {
        **YOUTUBE_VIDEO,
        "author_url": "https://m.youtube.com/@BudiSantosoASN",
        "permalink": "https://m.youtube.com/shorts/aB3dE5gH7jK",
    }


def test_youtube_player_response_of_another_video_is_ignored(page):
    # After in-app navigation, ytInitialPlayerResponse still describes the first video.
    serve(page, "https://www.youtube.com/watch?v=Zx4cV7bN1mQ", player_response("aB3dE5gH7jK"))
    assert extract(page) == metadata(
        "youtube", post_id="Zx4cV7bN1mQ", permalink="https://www.youtube.com/watch?v=Zx4cV7bN1mQ"
    )


FORUM = """<!DOCTYPE html><html lang="id"><head>
<meta property="og:url" content="https://forum.warga.example/t/netralitas-asn/812">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"DiscussionForumPosting",
 "headline":"Netralitas ASN di Pilkada","text":"ASN di kantor saya terang-terangan kampanye.",
 "datePublished":"2024-11-12T09:15:00+07:00","url":"https://forum.warga.example/t/netralitas-asn/812",
 "author":{"@type":"Person","name":"Warga Bogor","alternateName":"@wargabogor",
   "url":"https://forum.warga.example/u/wargabogor"},
 "comment":[{"@type":"Comment","text":"Laporkan ke Bawaslu.",
   "dateCreated":"2024-11-13T08:00:00+07:00","author":{"@type":"Person","name":"Siti"}}]}</script>
</head><body><main>
<article itemscope itemtype="https://schema.org/Comment" id="post-2">
  <span itemprop="author" itemscope itemtype="https://schema.org/Person">
    <a itemprop="url" href="/u/siti"><span itemprop="name">Siti</span></a></span>
  <a rel="bookmark" href="/t/netralitas-asn/812/2"><time itemprop="datePublished"
    datetime="2024-11-13T08:00:00+07:00">13 Nov</time></a>
  <div itemprop="text"><p>Laporkan ke Bawaslu.</p></div>
</article></main></body></html>"""


def test_generic_json_ld_forum_post_on_unknown_host(page):
    serve(page, "https://forum.warga.example/t/netralitas-asn/812?page=1", FORUM)
    # Top-level node only: the nested comment's author and date are not the post's.
    assert extract(page) == metadata(
        "web",
        author_name="Warga Bogor",
        author_handle="wargabogor",
        author_url="https://forum.warga.example/u/wargabogor",
        posted_at="2024-11-12T02:15:00Z",
        text="ASN di kantor saya terang-terangan kampanye.",
        permalink="https://forum.warga.example/t/netralitas-asn/812",
    )


def test_generic_selected_element_reads_its_own_microdata(page):
    serve(page, "https://forum.warga.example/t/netralitas-asn/812", FORUM)
    assert extract(page, "#post-2 p") == metadata(
        "web",
        # Its own microdata only: the page's JSON-LD is about the thread's first post.
        author_name="Siti",
        author_url="https://forum.warga.example/u/siti",
        posted_at="2024-11-13T01:00:00Z",
        text="Laporkan ke Bawaslu.",
        permalink="https://forum.warga.example/t/netralitas-asn/812/2",
    )


def test_generic_selection_in_the_page_article_gets_the_page_metadata(page):
    spec = expected("generic-news")
    serve(page, spec["url"], fixture_html("generic-news"))
    assert extract(page, "article p") == spec["main"]


def test_generic_meta_tags_and_twitter_card(page):
    html = """<!DOCTYPE html><html><head>
    <meta property="article:author" content="https://blog.example.id/penulis/rina">
    <meta name="author" content="Rina Marlina">
    <meta property="article:published_time" content="2024-11-12T09:15:00+0700">
    <meta name="twitter:description" content="  Ayo dukung
        paslon nomor 2!  ">
    <meta property="og:url" content="/2024/11/ayo-dukung">
    </head><body><p>isi</p></body></html>"""
    serve(page, "https://blog.example.id/2024/11/ayo-dukung?amp=1", html)
    assert extract(page) == metadata(
        "web",
        author_name="Rina Marlina",
        author_url="https://blog.example.id/penulis/rina",
        posted_at="2024-11-12T02:15:00Z",
        text="Ayo dukung paslon nomor 2!",
        permalink="https://blog.example.id/2024/11/ayo-dukung",
    )


def test_zoneless_dates_are_not_guessed(page):
    html = """<meta property="article:published_time" content="2024-11-12T09:15:00">
    <meta property="og:published_time" content="2024-11-12">"""
    serve(page, "https://berita.example.id/a", html)
    assert extract(page)["posted_at"] is None


def test_page_with_nothing_extractable(page):
    url = "https://halaman.example.org/kosong?id=7"
    serve(page, url, "<!DOCTYPE html><title>Kosong</title><p>Halo.</p>")
    assert extract(page) == metadata("web", permalink=url)


def test_text_is_capped_at_100000_characters(page):
    body = "kata " * 30000
    ld = json.dumps({"@type": "Article", "articleBody": body})
    html = f'<script type="application/ld+json">{ld}</script>'
    serve(page, "https://berita.example.id/panjang", html)
    text = extract(page)["text"]
    assert len(text) == 100000
    assert text.startswith("kata kata ")


def test_facebook_feed_page_without_selection_describes_the_page(page):
    serve(page, "https://www.facebook.com/groups/relawanbogormaju/", fixture_html("facebook"))
    # Not a post URL and nothing selected: page-level metadata only, no post from the feed.
    assert extract(page) == metadata(
        "facebook",
        text="Grup Publik · 12 rb anggota. Wadah diskusi warga Kabupaten Bogor menjelang "
        "Pilkada 2024.",
        permalink="https://www.facebook.com/groups/relawanbogormaju/",
    )


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_dispatcher_does_not_change_the_dom(page, name):
    spec = expected(name)
    serve(page, spec["url"], fixture_html(name))
    selector = spec.get("second", {}).get("selector")
    changed = page.evaluate(
        """sel => {
            const before = document.documentElement.outerHTML;
            sipansosExtractMetadata(document, null);
            if (sel) sipansosExtractMetadata(document, document.querySelector(sel));
            return document.documentElement.outerHTML !== before;
        }""",
        selector,
    )
    assert changed is False


def test_scripts_define_only_two_globals(page):
    serve(page, expected("x")["url"], fixture_html("x"), inject=False)
    before = set(page.evaluate("Object.getOwnPropertyNames(globalThis)"))
    for script in SCRIPTS:
        page.add_script_tag(path=str(script))
    extract(page)
    after = set(page.evaluate("Object.getOwnPropertyNames(globalThis)"))
    assert after - before == {"SIPANSOS_PLATFORMS", "sipansosExtractMetadata"}
    assert sorted(page.evaluate("Object.keys(SIPANSOS_PLATFORMS)")) == sorted(PLATFORMS)
