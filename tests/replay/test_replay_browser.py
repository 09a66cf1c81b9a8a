"""Replays shown in headless Chromium: no script runs, no request leaves, archived images show.

One browser run (module fixture) shows four pages and records what happened; the tests then
read the record. "Canary" servers stand for the outside world: the captured pages point at
them in every way we know, and any connection they accept is a leak.
"""

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sipansos.replay import build_replay, replay_headers
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.replay.archive_fixtures import mhtml, part, png, png_pixel

# The browser leg is never skipped: tests/run.sh installs Debian's chromium.
pytestmark = pytest.mark.e2e
RED, BLUE = png(40, 30, (255, 0, 0)), png(8, 8, (0, 0, 255))
PAGE = "https://www.example.id/posts/1"
# Where the archived image and the archived CSS background are placed, and a pixel of each.
LAYOUT = (
    "#pic{position:absolute;left:20px;top:60px}"
    ".box{position:absolute;left:100px;top:60px;width:50px;height:50px}"
)
RED_AT, BLUE_AT = (40, 75), (125, 85)


class Server:
    """A local HTTP server with fixed routes that counts accepted connections and requests."""

    def __init__(self, routes: dict[str, tuple[bytes, dict]] | None = None, default=None):
        self.routes, self.default = routes if routes is not None else {}, default
        self.requests: list[str] = []
        self.connections = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                body, headers = server.routes.get(self.path.split("?")[0], server.default) or (
                    b"not found",
                    {"Content-Type": "text/plain"},
                )
                self.send_response(200 if body != b"not found" else 404)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_HEAD = do_GET

            def log_message(self, *args):
                pass

        class Counting(ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self):
                accepted = super().get_request()
                server.connections += 1  # a preconnect opens a socket and sends nothing
                return accepted

        self.httpd = Counting(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def hits(self) -> int:
        return self.connections + len(self.requests)

    def reset(self) -> None:
        self.requests.clear()
        self.connections = 0

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def leaky_page(canary: str) -> str:
    """A captured page that, if anything of it were live, would reach ``canary``."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<base href="https://www.example.id/">
<meta http-equiv="refresh" content="1;url={canary}/refresh">
<link rel="preconnect" href="{canary}"><link rel="dns-prefetch" href="{canary}">
<link rel="prefetch" href="{canary}/prefetch"><link rel="preload" as="image" href="{canary}/p.png">
<link rel="modulepreload" href="{canary}/m.js"><link rel="icon" href="{canary}/favicon.ico">
<link rel="stylesheet" href="{canary}/external.css"><link rel="stylesheet" href="site.css">
<style>@import url({canary}/import.css); .ext{{background:url({canary}/bg.png)}} {LAYOUT}</style>
<script>console.log("SCRIPT RAN"); fetch("{canary}/fetch"); new Image().src = "{canary}/j"</script>
</head><body onload="console.log('ONLOAD RAN')">
<img id="pic" src="https://cdn.example.id/red.png" onload="console.log('IMG ONLOAD RAN')">
<div class="box"></div>
<div class="ext" style="width:10px;height:10px;background-image:url({canary}/inline.png)"></div>
<img src="{canary}/x.png" srcset="{canary}/y.png 2x" alt="luar">
<picture><source srcset="{canary}/z.webp"><img src="{canary}/z.png"></picture>
<iframe src="{canary}/frame" width="100" height="50"></iframe>
<iframe src="cid:frame-1@mhtml.blink" width="200" height="60"></iframe>
<object data="{canary}/object"></object><embed src="{canary}/embed">
<video poster="{canary}/poster.png" src="{canary}/video.mp4" autoplay></video>
<audio src="{canary}/audio.mp3" autoplay></audio>
<a href="{canary}/link" ping="{canary}/ping">tautan</a>
<form action="{canary}/form"><input name="q" autofocus></form>
<svg width="10" height="10"><image href="{canary}/svg.png" width="10" height="10"/>
<use href="{canary}/sprite.svg#i"/><rect width="5" height="5" fill="url({canary}/p.svg#g)"
filter="url({canary}/f.svg#f)" mask="url({canary}/m.svg#m)"/></svg>
<noscript><img src="{canary}/noscript.png"></noscript>
</body></html>"""


def capture_with_chromium(browser, origin: Server, canary: Server) -> bytes:
    """Load a live page from ``origin`` and save it the way the extension does (Blink MHTML)."""
    origin.routes.update(
        {
            "/post": (
                f"""<!DOCTYPE html><html><head><link rel=stylesheet href="/site.css">
<link rel=preconnect href="{canary.origin}"></head><body><img id=pic src="/red.png">
<div class=box></div><iframe src="/frame" width=200 height=80></iframe>
<a href="{canary.origin}/link">tautan</a>
<script>document.body.insertAdjacentHTML("beforeend", "<p id=dyn>ditambahkan skrip</p>")
fetch("{canary.origin}/live")</script></body></html>""".encode(),
                {"Content-Type": "text/html; charset=utf-8"},
            ),
            "/site.css": (
                f".box{{background:url(blue.png)}} {LAYOUT}".encode(),
                {"Content-Type": "text/css"},
            ),
            "/frame": (b"<p>bingkai asli</p><img src=/blue.png>", {"Content-Type": "text/html"}),
            "/red.png": (RED, {"Content-Type": "image/png"}),
            "/blue.png": (BLUE, {"Content-Type": "image/png"}),
        }
    )
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{origin.origin}/post", wait_until="networkidle")
    cdp = context.new_cdp_session(page)
    data = cdp.send("Page.captureSnapshot", {"format": "mhtml"})["data"]
    context.close()
    return data.encode("utf-8")


def show(browser, replay: Server, name: str, html: bytes, watch: Server, settle_ms=1200) -> dict:
    """Serve ``html`` as a replay inside a sandboxed iframe and record what the browser did."""
    replay.routes[f"/{name}/replay"] = (html, replay_headers())
    replay.routes[f"/{name}/"] = (
        f"""<!DOCTYPE html><body style="margin:0"><iframe sandbox src="/{name}/replay"
        style="border:0;display:block;width:800px;height:600px"></iframe></body>""".encode(),
        {"Content-Type": "text/html; charset=utf-8"},
    )
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    seen = {"requests": [], "console": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on(
        "console",
        lambda message: seen["console"].append(f"{message.text} @ {message.location.get('url')}"),
    )
    page.on("pageerror", lambda error: seen["console"].append(str(error)))
    page.goto(f"{replay.origin}/{name}/", wait_until="load")
    for _ in range(settle_ms // 100):  # stragglers (meta refresh, preconnects) come late
        page.wait_for_timeout(100)
        if watch.hits():
            break
    seen["screenshot"] = page.screenshot()
    seen["canary_hits"] = watch.hits()
    seen["canary_requests"] = list(watch.requests)
    context.close()
    return seen


@pytest.fixture(scope="module")
def observed(tmp_path_factory, playwright):
    net_log = tmp_path_factory.mktemp("netlog") / "netlog.json"
    # The parent page is shown top-level, so Chromium asks the replay server for a favicon.
    replay, origin = Server({"/favicon.ico": (b"", {"Content-Type": "image/x-icon"})}), Server()
    catch_all = (RED, {"Content-Type": "image/png"})
    canary, control, live = Server(default=catch_all), Server(default=catch_all), Server()
    servers = (replay, origin, canary, control, live)
    record = {}
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, f"--log-net-log={net_log}"]
        )
        frame = f"<p>isi bingkai</p><script>fetch('{canary.origin}/f')</script>"
        frame += f"<img src='{canary.origin}/frame.png'>"
        archive = mhtml(
            PAGE,
            part(
                "text/html",
                leaky_page(canary.origin).encode(),
                location=PAGE,
                cte="quoted-printable",
            ),
            part("image/png", RED, location="https://cdn.example.id/red.png"),
            part(
                "text/css",
                b".box{background:url(img/blue.png)}",
                location="https://www.example.id/site.css",
                cte="quoted-printable",
            ),
            part("image/png", BLUE, location="https://www.example.id/img/blue.png"),
            part(
                "text/html",
                frame.encode(),
                content_id="frame-1@mhtml.blink",
                location="https://embed.example/f",
                cte="quoted-printable",
            ),
        )
        record["mhtml"] = show(
            browser, replay, "mhtml", build_replay(archive, page_url=PAGE), canary
        )
        dom = leaky_page(canary.origin).replace(
            'src="https://cdn.example.id/red.png"',
            f'src="data:image/png;base64,{base64.b64encode(RED).decode()}"',
        )
        record["dom"] = show(
            browser, replay, "dom", build_replay(html=dom.encode(), page_url=PAGE), canary
        )
        # The control: the same page not cleaned, under the same headers and sandbox.
        raw = leaky_page(control.origin).encode()
        record["control"] = show(browser, replay, "control", raw, control, settle_ms=3000)

        captured = capture_with_chromium(browser, origin, live)
        origin.reset()
        live.reset()
        record["captured_html"] = build_replay(captured, page_url=f"{origin.origin}/post")
        record["chromium"] = show(browser, replay, "chromium", record["captured_html"], live)
        record["origin_hits"] = origin.hits()
        browser.close()
    finally:
        for server in servers:
            server.close()
    record["net_log"] = net_log.read_text(errors="replace")
    record["replay_origin"] = replay.origin
    record["canary"], record["control_canary"] = canary.origin, control.origin
    return record


REPLAYS = ["mhtml", "dom", "chromium"]


@pytest.mark.parametrize("name", REPLAYS)
def test_no_connection_reaches_the_outside(observed, name):
    assert observed[name]["canary_hits"] == 0, observed[name]["canary_requests"]


def test_chromium_capture_replays_without_touching_the_original_site(observed):
    assert observed["origin_hits"] == 0
    assert b"ditambahkan skrip" in observed["captured_html"]


@pytest.mark.parametrize("name", REPLAYS)
def test_browser_requests_only_the_replay_server(observed, name):
    requests = observed[name]["requests"]
    assert f"{observed['replay_origin']}/{name}/replay" in requests
    outside = [
        url
        for url in requests
        if not url.startswith((observed["replay_origin"] + "/", "data:", "about:"))
    ]
    assert outside == []


@pytest.mark.parametrize("name", REPLAYS)
def test_no_script_runs_and_nothing_is_refused(observed, name):
    # Not even a CSP or sandbox refusal is logged: nothing was left for them to refuse.
    assert observed[name]["console"] == [], (observed[name]["console"], observed[name]["requests"])


@pytest.mark.parametrize("name", REPLAYS)
def test_archived_images_render(observed, name):
    screenshot = observed[name]["screenshot"]
    assert png_pixel(screenshot, *RED_AT) == (255, 0, 0)
    if name != "dom":  # the DOM snapshot has no archive for the CSS background
        assert png_pixel(screenshot, *BLUE_AT) == (0, 0, 255)
    red, green, blue = png_pixel(screenshot, 400, 12)  # the banner
    assert red > 100 and green < 60 and blue < 60


def test_net_log_shows_no_socket_to_the_canary(observed):
    net_log = observed["net_log"]
    assert observed["replay_origin"].removeprefix("http://") in net_log
    assert observed["canary"].removeprefix("http://") not in net_log


def test_control_without_cleaning_does_reach_the_canary(observed):
    # Proves the watch works, and that CSP and the sandbox alone do not stop every connection.
    assert observed["control"]["canary_hits"] > 0
    assert observed["control_canary"].removeprefix("http://") in observed["net_log"]
