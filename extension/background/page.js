// Talking to the page: inject the capture scripts on demand and call sipansosPage methods.

// The metadata extractors (written per platform) run before our own page script; files that
// are not part of this build are skipped.
const METADATA_FILES = [
  "content/platforms/facebook.js",
  "content/platforms/instagram.js",
  "content/platforms/x.js",
  "content/platforms/tiktok.js",
  "content/platforms/youtube.js",
  "content/platforms/generic.js",
  "content/extract-metadata.js",
];
// Our own page scripts: the DOM serialiser, then the capture helpers that use it.
const PAGE_SCRIPTS = ["content/serialize-dom.js", "content/page-capture.js"];

async function packaged(path) {
  try {
    const response = await fetch(chrome.runtime.getURL(path), { cache: "no-store" });
    return response.ok;
  } catch {
    return false;
  }
}

/** The scripts to inject, in order; only those present in the package. */
export async function captureScripts() {
  const present = await Promise.all(METADATA_FILES.map(packaged));
  return [...METADATA_FILES.filter((_file, index) => present[index]), ...PAGE_SCRIPTS];
}

/** Inject the metadata extractors and the page capture script into the tab's top frame. */
export async function injectCaptureScripts(tabId) {
  await chrome.scripting.executeScript({
    target: { tabId, frameIds: [0] },
    files: await captureScripts(),
  });
}

/** Call globalThis.sipansosPage[method](...args) in the tab; rejects with the page's error. */
export async function callPage(tabId, method, ...args) {
  const [injection] = await chrome.scripting.executeScript({
    target: { tabId, frameIds: [0] },
    func: async (name, params) => {
      try {
        const page = globalThis.sipansosPage;
        if (!page) return { ok: false, error: "page script missing" };
        return { ok: true, value: await page[name](...params) };
      } catch (error) {
        return { ok: false, error: String(error?.message || error) };
      }
    },
    args: [method, args],
  });
  const outcome = injection?.result;
  if (!outcome?.ok) throw new Error(outcome?.error || `page call ${method} failed`);
  return outcome.value;
}
