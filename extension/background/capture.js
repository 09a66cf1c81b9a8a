// One capture ("Tangkap"): screenshots, MHTML, DOM and post metadata of a tab, written to the
// queue in IndexedDB before anything is sent. Uploading is the queue's job (queue.js).

import { deleteBlobs, deleteCapture, putBlob, putCapture, updateCapture } from "../lib/db.js";
import { claimTab, getSettings, releaseTab, setProgress } from "../lib/storage.js";
import { showBusy } from "./badge.js";
import { browserInfo } from "./browser-info.js";
import { cleanMetadata } from "./metadata.js";
import { hash } from "./offscreen-client.js";
import { callPage, injectCaptureScripts } from "./page.js";
import { processQueue } from "./queue.js";
import {
  canUseDebugger,
  captureVisible,
  captureWithDebugger,
  capturePost,
  scrollAndStitch,
} from "./screenshot.js";

const TITLE_LIMIT = 2000;
const NOTE_LIMIT = 20000;

export class CaptureError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = "CaptureError";
    this.code = code;
  }
}

/** A stable code for what went wrong (the UI shows a translated message for each). */
export function describeError(error) {
  const message = String(error?.message || error);
  let code = error?.code;
  if (!code) {
    if (/Cannot access|permission is required|Missing host permission|activeTab/i.test(message)) {
      code = "no_access";
    } else if (/No tab with id|No frame with id|tab was closed|Frame with ID/i.test(message)) {
      code = "tab_closed";
    } else if (/chrome:\/\/|cannot be scripted|extensions gallery/i.test(message)) {
      code = "unsupported_page";
    } else {
      code = "capture_failed";
    }
  }
  return { code, message };
}

const CASE_TITLE_LIMIT = 300;

/**
 * The upload's `case` field for the popup's choice — {case_id} to attach to an open case,
 * {new_case: {title, category}} to start one — or null for "no case". A blank title is filled
 * in once the post's author and the page title are known (see caseTitle).
 */
export function caseRequest(choice) {
  const caseId = Number(choice?.case_id);
  if (Number.isInteger(caseId) && caseId > 0) return { case_id: caseId };
  if (choice?.new_case) {
    return {
      new_case: {
        title: String(choice.new_case.title || "").trim().slice(0, CASE_TITLE_LIMIT),
        category: choice.new_case.category || null,
      },
    };
  }
  return null;
}

/** A new case's default title: who posted it, else the page's title, else its address. */
export function caseTitle(post, title, url) {
  const author = (post?.author_name || post?.author_handle || "").trim();
  const page = (title || "").trim();
  const text = author && page ? `${author}: ${page}` : author || page || url || "";
  return text.slice(0, CASE_TITLE_LIMIT);
}

function isCapturableUrl(url) {
  return !url || /^https?:\/\//i.test(url);
}

async function activate(tab) {
  const current = await chrome.tabs.get(tab.id);
  if (!current.active) {
    await chrome.tabs.update(tab.id, { active: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function readDom(tabId) {
  const { count } = await callPage(tabId, "serializeDom");
  const parts = [];
  for (let index = 0; index < count; index += 1) parts.push(await callPage(tabId, "domChunk", index));
  return new Blob(parts, { type: "text/html" });
}

async function saveMhtml(tabId, captureId) {
  if (!globalThis.chrome?.pageCapture?.saveAsMHTML) return null; // Firefox has no pageCapture
  let bytes = null;
  for (let attempt = 1; !bytes; attempt += 1) {
    const saved = await chrome.pageCapture.saveAsMHTML({ tabId });
    if (!saved) return null;
    try {
      // Read it now: the browser's blob is backed by a temporary file that does not last. The
      // first save of a session is sometimes unreadable (NotFoundError); a second one works.
      bytes = await saved.arrayBuffer();
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
  const blob = new Blob([bytes], { type: "multipart/related" });
  await putBlob(captureId, "page.mhtml", blob, { media_type: "multipart/related" });
  return blob;
}

/**
 * Start capturing a tab. Resolves once the capture is registered with {capture_id, done};
 * `done` resolves when it is stored (and its first upload attempt is over).
 * options: {category, note, case, target: "page" | "context" | "picked", targetElementId};
 * `case` is the popup's choice: {case_id, label} or {new_case: {title, category}}.
 */
export async function beginCapture(tabId, options = {}) {
  const tab = await chrome.tabs.get(tabId);
  if (!isCapturableUrl(tab.url)) throw new CaptureError("unsupported_page");
  if (!(await claimTab(tabId))) throw new CaptureError("busy");
  const captureId = crypto.randomUUID();
  const record = {
    capture_id: captureId,
    status: "capturing",
    created_at: Date.now(),
    captured_at: new Date().toISOString(),
    url: tab.url || null,
    title: tab.title || null,
    category: options.category || null,
    note: options.note || null,
    // Kept with the capture, so every upload attempt (also from the offline queue) sends it.
    case_request: caseRequest(options.case),
    case_label: options.case?.case_id ? String(options.case.label || `#${options.case.case_id}`) : null,
    attempts: 0,
  };
  try {
    await putCapture(record);
  } catch (error) {
    await releaseTab(tabId);
    throw error;
  }
  const done = runCapture(tab, record, options).finally(() => releaseTab(tabId));
  done.catch(() => {}); // reported through progress; callers may still await it
  return { capture_id: captureId, done };
}

async function runCapture(tab, record, options) {
  const tabId = tab.id;
  const captureId = record.capture_id;
  const progress = (stage, extra = {}) =>
    setProgress({ capture_id: captureId, tab_id: tabId, stage, ...extra });
  const artifacts = [];
  const scratch = [];
  let pageTouched = false;
  await showBusy(true);
  try {
    await progress("prepare");
    await injectCaptureScripts(tabId);
    const before = await callPage(tabId, "metrics");
    let target = { found: false };
    if (options.target === "context" || options.target === "picked") {
      target = await callPage(tabId, "resolveTarget", options.target, options.targetElementId ?? null);
    }
    await activate(tab);

    await progress("screenshot", { done: 0, total: before.scrollHeight });
    await callPage(tabId, "waitForVisibleImages");
    const viewport = await captureVisible(tab.windowId);
    await putBlob(captureId, "screenshot-viewport.png", viewport, { media_type: "image/png" });
    pageTouched = true;

    let post = null;
    if (target.found) {
      post = await capturePost({ tabId, windowId: tab.windowId, captureId });
      scratch.push(...(post?.scratch || []));
    }

    const first =
      before.scrollX === 0 && before.scrollY === 0
        ? { blob: viewport, name: "screenshot-viewport.png" }
        : null;
    const onProgress = (done, total) => progress("screenshot", { done, total });
    let full = null;
    const settings = await getSettings();
    if (settings.preciseScreenshots && (await canUseDebugger())) {
      try {
        full = await captureWithDebugger({ tabId, captureId, onProgress });
      } catch (error) {
        console.warn("SIPANSOS: DevTools screenshot failed, scrolling instead", error);
      }
    }
    full ||= await scrollAndStitch({ tabId, windowId: tab.windowId, captureId, first, onProgress });
    scratch.push(...full.scratch);
    const after = await callPage(tabId, "restore");
    pageTouched = false;

    await progress("dom");
    const dom = await readDom(tabId);
    await putBlob(captureId, "dom.html", dom, { media_type: "text/html" });
    const { platform, post: postMeta } = cleanMetadata(
      await callPage(tabId, "extractMetadata"),
      after.url,
    );

    await progress("page");
    const mhtml = await saveMhtml(tabId, captureId);

    await progress("saving");
    for (const tile of full.tiles) {
      artifacts.push({ name: tile.name, kind: "screenshot_full", media_type: "image/png" });
    }
    artifacts.push({ name: "screenshot-viewport.png", kind: "screenshot_viewport", media_type: "image/png" });
    if (post?.tile) {
      artifacts.push({ name: post.tile.name, kind: "post_screenshot", media_type: "image/png" });
    }
    if (mhtml) artifacts.push({ name: "page.mhtml", kind: "page_mhtml", media_type: "multipart/related" });
    artifacts.push({ name: "dom.html", kind: "dom_html", media_type: "text/html" });
    const digests = await hash(captureId, artifacts.map((artifact) => artifact.name));
    const byName = Object.fromEntries(digests.map((digest) => [digest.name, digest]));
    if (scratch.length) await deleteBlobs(captureId, scratch);

    const manifest = {
      capture_id: captureId,
      url: after.url,
      title: (after.title || "").slice(0, TITLE_LIMIT) || null,
      captured_at: record.captured_at,
      platform,
      category: options.category || null,
      note: (options.note || "").slice(0, NOTE_LIMIT) || null,
      browser: await browserInfo(),
      extension_version: chrome.runtime.getManifest().version,
      viewport: { width: before.innerWidth, height: before.innerHeight },
      page: { width: after.scrollWidth, height: Math.round(full.totalHeight) },
      post: postMeta,
      artifacts: artifacts.map((artifact) => ({
        ...artifact,
        size: byName[artifact.name].size,
        sha256: byName[artifact.name].sha256,
      })),
    };
    const totalBytes = manifest.artifacts.reduce((sum, artifact) => sum + artifact.size, 0);
    let caseField = record.case_request;
    if (caseField?.new_case && !caseField.new_case.title) {
      const title = caseTitle(postMeta, manifest.title, manifest.url);
      caseField = { new_case: { ...caseField.new_case, title } };
    }
    await updateCapture(captureId, {
      case_request: caseField,
      status: "queued",
      manifest_json: JSON.stringify(manifest),
      url: manifest.url,
      title: manifest.title,
      platform,
      next_attempt_at: Date.now(),
      total_bytes: totalBytes,
      truncated: Boolean(full.truncated),
      post_found: Boolean(post?.tile),
    });
    await progress("queued", { total_bytes: totalBytes });
  } catch (error) {
    if (pageTouched) await callPage(tabId, "restore").catch(() => {});
    await deleteCapture(captureId).catch(() => {});
    await progress("error", { error: describeError(error) });
    await showBusy(false);
    throw error;
  }
  await showBusy(false);
  await processQueue({ ids: [captureId] });
  return { capture_id: captureId };
}
