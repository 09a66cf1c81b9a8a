"""Chromium with the SIPANSOS extension, driven through Playwright.

What the operator's clicks grant, and how the tests get the same grants:

* activeTab (clicking the toolbar button, the context menu or the shortcut): the tests call the
  DevTools protocol's ``Extensions.triggerAction`` on the tab — the browser runs the extension's
  action exactly as for a click on its toolbar button (the popup opens and activeTab is granted
  for that tab). This needs ``--enable-unsafe-extension-debugging`` and Playwright's pipe.
* the server origin (the permission prompt at sign-in): headless Chromium cannot answer the
  prompt, so the extension is loaded from a copy whose manifest already holds
  ``http://127.0.0.1/*`` — what "Allow" would have granted. The options page still asks
  (``chrome.permissions.request``), and the browser answers at once because it is granted.
* optional ``debugger`` (the "precise screenshots" checkbox): likewise, only in the copy used by
  the test of that mode.
"""

import json
import shutil
import time
from pathlib import Path

from tests.conftest import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
WINDOW = (1280, 800)


def extension_copy(destination, *, extra_permissions=(), english=False):
    """The extension as the operator would have it after granting the server's origin.

    Debian's Chromium here ships only the en-US locale pack, so its UI language is English.
    Without ``english`` the copy leaves out _locales/en and the browser shows the default
    locale, Indonesian, as an Indonesian-language browser does.
    """
    destination = Path(destination)
    shutil.copytree(
        EXTENSION,
        destination,
        ignore=shutil.ignore_patterns("dist", "build.py", "README.md", "__pycache__"),
    )
    if not english:
        shutil.rmtree(destination / "_locales" / "en")
    manifest_path = destination / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["host_permissions"] = ["http://127.0.0.1/*"]
    manifest["permissions"] = [*manifest["permissions"], *extra_permissions]
    manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return destination


def wait_until(check, timeout=20.0, interval=0.1, message="condition"):
    """Poll ``check()`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(interval)


class ExtensionBrowser:
    """One persistent Chromium profile with the extension loaded."""

    def __init__(self, playwright, profile, extension_dir, *, dpr=2, platform_port=None):
        args = [
            f"--disable-extensions-except={extension_dir}",
            f"--load-extension={extension_dir}",
            "--enable-unsafe-extension-debugging",
            *CHROMIUM_ARGS,
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
            f"--force-device-scale-factor={dpr}",
        ]
        if platform_port:
            args += [
                f"--host-resolver-rules=MAP * 127.0.0.1:{platform_port}, EXCLUDE 127.0.0.1",
                "--ignore-certificate-errors",
            ]
        self.context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            no_viewport=True,
            args=args,
        )
        self.extension_id = self.worker.url.split("/")[2]
        self._cdp = self.context.browser.new_browser_cdp_session()

    # ---- the extension's service worker -------------------------------------------------------

    @property
    def worker(self):
        """The extension's live service worker (a new one after the old one was stopped)."""
        for worker in reversed(self.context.service_workers):
            if worker.url.startswith("chrome-extension://"):
                try:
                    worker.evaluate("1")
                    return worker
                except Exception:  # noqa: S112 - a stopped worker; look for the next one
                    continue
        worker = self.context.wait_for_event("serviceworker", timeout=15000)
        worker.evaluate("1")
        return worker

    def call(self, expression, arg=None):
        """Evaluate in the worker, e.g. ``call("([a, b]) => f(a, b)", [1, 2])``."""
        return self.worker.evaluate(expression, arg)

    def stop_workers(self):
        """Stop every service worker, as the browser does to an idle extension."""
        page = self.context.pages[0] if self.context.pages else self.context.new_page()
        session = self.context.new_cdp_session(page)
        session.send("ServiceWorker.enable")
        session.send("ServiceWorker.stopAllWorkers")
        session.detach()

    def wake_worker(self):
        """Start the worker again by opening one of the extension's pages."""
        page = self.context.new_page()
        page.goto(self.url("popup/popup.html"))
        page.wait_for_selector("body[data-ready='1']")
        page.close()
        return self.worker

    # ---- pages and tabs -----------------------------------------------------------------------

    def url(self, path):
        return f"chrome-extension://{self.extension_id}/{path}"

    def open(self, url):
        page = self.context.new_page()
        page.goto(url, wait_until="load")
        return page

    def _tab_target(self, page):
        targets = self._cdp.send("Target.getTargets", {"filter": [{"type": "tab"}]})
        matching = [t for t in targets["targetInfos"] if t["url"] == page.url]
        assert len(matching) == 1, f"{len(matching)} tabs show {page.url}"
        return matching[0]["targetId"]

    def click_action(self, page):
        """What a click on the toolbar button does: open the popup, grant activeTab."""
        page.bring_to_front()
        self._cdp.send(
            "Extensions.triggerAction",
            {"id": self.extension_id, "targetId": self._tab_target(page)},
        )

    def tab_id(self, page):
        """The chrome.tabs id of a page (its URL is visible once activeTab was granted)."""
        tabs = self.call("() => chrome.tabs.query({})")
        matching = [tab["id"] for tab in tabs if tab.get("url") == page.url]
        assert len(matching) == 1, f"{len(matching)} tabs show {page.url}"
        return matching[0]

    def capture(self, page, **options):
        """Capture a tab as the popup's "Tangkap" does; returns the capture id once the first
        upload attempt is over."""
        page.bring_to_front()
        result = self.call(
            "([id, options]) => self.sipansos.captureTab(id, options)",
            [self.tab_id(page), options],
        )
        return result["capture_id"]

    def context_menu(self, page, menu_item="sipansos-capture-post"):
        """What choosing a context menu entry does after a right-click (see the test)."""
        page.bring_to_front()
        tab_id = self.tab_id(page)
        result = self.call(
            """async ([tabId, item, pageUrl]) => self.sipansos.contextMenuClicked(
                {menuItemId: item, frameId: 0, pageUrl}, await chrome.tabs.get(tabId))""",
            [tab_id, menu_item, page.url],
        )
        return result["capture_id"]

    def queue(self):
        return self.call("() => self.sipansos.listQueue()")

    def history(self):
        return self.call("() => self.sipansos.listHistory(200)")

    def receipt(self, capture_id):
        for entry in self.history():
            if entry["capture_id"] == capture_id:
                return entry["receipt"]
        return None

    # ---- the options page ---------------------------------------------------------------------

    def open_options(self):
        page = self.open(self.url("options/options.html"))
        page.wait_for_selector("body[data-ready='1']")
        return page

    def sign_in(self, server_url, username, password):
        """Sign in through the options page as an operator does."""
        page = self.open_options()
        page.fill("#server-url", server_url)
        page.fill("#username", username)
        page.fill("#password", password)
        page.click("#signin")
        page.wait_for_selector("#account-section:not([hidden])")
        page.close()

    def close(self):
        self.context.close()
