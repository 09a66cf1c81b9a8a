// Heavy work (stitching, hashing, uploading with progress) goes to the offscreen document; where
// the browser has none (Firefox runs the background as a page) the same code runs right here.

import { MSG } from "../lib/messages.js";
import { hashBlobs, renderOutputs } from "../lib/render.js";
import { sendCapture } from "../lib/upload-request.js";

const OFFSCREEN_PATH = "offscreen/offscreen.html";

async function offscreenExists(url) {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: ["OFFSCREEN_DOCUMENT"],
    documentUrls: [url],
  });
  return contexts.length > 0;
}

async function ensureOffscreen() {
  const url = chrome.runtime.getURL(OFFSCREEN_PATH);
  if (await offscreenExists(url)) return;
  // Two callers at once: the second createDocument fails; it is enough that one exists.
  await navigator.locks.request("sipansos-offscreen", async () => {
    if (await offscreenExists(url)) return;
    await chrome.offscreen.createDocument({
      url: OFFSCREEN_PATH,
      reasons: ["BLOBS"],
      justification: "Stitch screenshot tiles, hash and upload captured evidence files.",
    });
  });
}

const hasOffscreen = () => Boolean(globalThis.chrome?.offscreen?.createDocument);

async function askOffscreen(type, payload) {
  await ensureOffscreen();
  const reply = await chrome.runtime.sendMessage({ target: "offscreen", type, ...payload });
  if (!reply?.ok) throw new Error(reply?.error || `${type} failed`);
  return reply.result;
}

/** Render PNG outputs from stored frames (see lib/render.js for the plan format). */
export function render(captureId, outputs) {
  if (!hasOffscreen()) return renderOutputs(captureId, outputs);
  return askOffscreen(MSG.OFFSCREEN_RENDER, { capture_id: captureId, outputs });
}

/** Size and SHA-256 of stored blobs. */
export function hash(captureId, names) {
  if (!hasOffscreen()) return hashBlobs(captureId, names);
  return askOffscreen(MSG.OFFSCREEN_HASH, { capture_id: captureId, names });
}

/**
 * POST a stored capture; resolves {status, text, contentType}. Progress arrives as
 * UPLOAD_PROGRESS messages (offscreen) or through `onProgress` (here).
 */
export function upload({ url, token, captureId, onProgress }) {
  if (!hasOffscreen()) return sendCapture({ url, token, captureId, onProgress });
  return askOffscreen(MSG.OFFSCREEN_UPLOAD, { url, token, capture_id: captureId });
}
