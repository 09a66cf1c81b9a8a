"""Servers for the end-to-end tests: the SIPANSOS app on a real port, and the fixture pages.

* ``LiveServer``: werkzeug's threaded server around the real app, behind a ``Switchboard`` that
  lets a test make uploads fail the ways networks do (503, a refusal, a lost response). It can be
  stopped and started again on the same port, as a server that goes away and comes back.
* ``FixtureServer``: plain HTTP on 127.0.0.1 for the test pages (``fixtures/*.html``) and solid
  colour images (``/img/<rrggbb>-<w>x<h>.png``) whose colour a test can look for in screenshots.
* ``PlatformServer``: HTTPS for the platform fixtures, chosen by the Host header, so that
  ``https://x.com/…`` (mapped to it with --host-resolver-rules) shows ``platforms/x.html``.
"""

import datetime
import http.server
import io
import json
import re
import socket
import ssl
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from PIL import Image
from werkzeug.serving import ThreadedWSGIServer
from werkzeug.wsgi import get_input_stream

FIXTURES = Path(__file__).parent / "fixtures"
PLATFORM_FIXTURES = FIXTURES / "platforms"
UPLOAD_PATH = "/api/v1/captures"


class Switchboard:
    """WSGI middleware in front of the app. ``mode`` applies to capture uploads only:
    None (pass), "unavailable" (503), "refuse" (422) or "lose_response" (the app stores the
    capture, the client gets a 502 — once). ``uploads`` records every upload's answer."""

    def __init__(self, app):
        self.app = app
        self.mode = None
        self.uploads = []
        self._lock = threading.Lock()

    def _answer(self, start_response, status, code, message):
        body = json.dumps({"error": {"status": status, "code": code, "message": message}})
        start_response(
            f"{status} {code}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        )
        return [body.encode()]

    def __call__(self, environ, start_response):
        is_upload = environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == UPLOAD_PATH
        if not is_upload:
            return self.app(environ, start_response)
        with self._lock:
            mode = self.mode
            if mode == "lose_response":
                self.mode = None
        if mode in ("unavailable", "refuse"):
            get_input_stream(environ).read()
            self.uploads.append(503 if mode == "unavailable" else 422)
            if mode == "unavailable":
                return self._answer(start_response, 503, "service_unavailable", "down for a test")
            return self._answer(start_response, 422, "invalid_manifest", "refused by a test")
        seen = {}

        def remember(status, headers, exc_info=None):
            seen["status"] = int(status.split()[0])
            return start_response(status, headers, exc_info) if mode is None else None

        if mode == "lose_response":
            result = self.app(environ, remember)
            try:
                for _chunk in result:
                    pass
            finally:
                getattr(result, "close", lambda: None)()
            self.uploads.append(("lost", seen.get("status")))
            return self._answer(start_response, 502, "bad_gateway", "the answer was lost")
        result = self.app(environ, remember)
        self.uploads.append(seen.get("status"))
        return result


class _AppServer(ThreadedWSGIServer):
    """werkzeug's threaded server that can really go away: stopping it also cuts the
    keep-alive connections browsers hold (otherwise their requests would still be served)."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, *args, **kwargs):
        self.connections = set()
        super().__init__(*args, **kwargs)

    def get_request(self):
        connection, address = super().get_request()
        self.connections.add(connection)
        return connection, address

    def shutdown_request(self, request):
        self.connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self):
        for connection in list(self.connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class LiveServer:
    """The app served on 127.0.0.1:port in a thread; stop() and start() keep the port."""

    def __init__(self, app, port):
        self.app = app
        self.port = port
        self.switchboard = Switchboard(app)
        self._server = None
        self._thread = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self):
        return self._server is not None

    def start(self):
        if self._server is None:
            self._server = _AppServer("127.0.0.1", self.port, self.switchboard)
            self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
            self._thread.start()

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.cut_connections()
            self._thread.join(timeout=10)
            self._server = None


def solid_png(color, width, height):
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


_IMAGE_PATH = re.compile(r"^/img/([0-9a-f]{6})-(\d{1,4})x(\d{1,4})\.png$")


class _FixtureHandler(http.server.SimpleHTTPRequestHandler):
    """Files from the fixture folder, generated images, and (HTTPS) platform pages by host."""

    platform_pages = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(FIXTURES), **kwargs)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def _send(self, body, content_type, status=200):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        image = _IMAGE_PATH.match(path)
        if image:
            color = tuple(bytes.fromhex(image.group(1)))
            body = solid_png(color, int(image.group(2)), int(image.group(3)))
            return self._send(body, "image/png")
        if self.platform_pages:
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            page = self.platform_pages.get(host)
            if page is None or path == "/favicon.ico":
                return self._send(b"not here", "text/plain", 404)
            return self._send(page.read_bytes(), "text/html; charset=utf-8")
        return super().do_GET()


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Browsers drop connections and (through the host mapping) speak plain HTTP to the
        # HTTPS port; none of that concerns the tests.
        pass


class FixtureServer:
    """HTTP (or, with ``cert``, HTTPS) fixture server on 127.0.0.1 in a thread."""

    def __init__(self, platform_pages=None, cert=None):
        handler = type("Handler", (_FixtureHandler,), {"platform_pages": platform_pages or {}})
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        if cert is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*cert)
            # The handshake happens in the request's thread, not in the accept loop.
            self._server.socket = context.wrap_socket(
                self._server.socket, server_side=True, do_handshake_on_connect=False
            )
        self.port = self._server.server_address[1]
        self.scheme = "https" if cert else "http"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path=""):
        return f"{self.scheme}://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def close(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def platform_fixtures():
    """[(name, url, expected)] for every platforms/<name>.html with its <name>.expected.json."""
    found = []
    for page in sorted(PLATFORM_FIXTURES.glob("*.html")):
        expected_path = page.with_suffix("").with_suffix(".expected.json")
        if expected_path.exists():
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
            found.append((page.stem, expected["url"], expected))
    return found


def self_signed_cert(directory, hosts):
    """A certificate for ``hosts`` (the platforms' names) and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sipansos e2e fixtures")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(host) for host in sorted(hosts)]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path = Path(directory) / "cert.pem"
    key_path = Path(directory) / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
