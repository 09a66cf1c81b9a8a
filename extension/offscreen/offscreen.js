// The offscreen document: canvas stitching, hashing and the upload (XMLHttpRequest, for its
// progress events). It answers only messages addressed to it by this extension.

import { MSG } from "../lib/messages.js";
import { hashBlobs, renderOutputs } from "../lib/render.js";
import { sendCapture } from "../lib/upload-request.js";

const PROGRESS_INTERVAL_MS = 250;

function reportProgress(captureId) {
  let last = 0;
  return (sent, total) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS && sent < total) return;
    last = now;
    chrome.runtime
      .sendMessage({ type: MSG.UPLOAD_PROGRESS, capture_id: captureId, sent, total })
      .catch(() => {});
  };
}

const handlers = {
  [MSG.OFFSCREEN_RENDER]: (message) => renderOutputs(message.capture_id, message.outputs),
  [MSG.OFFSCREEN_HASH]: (message) => hashBlobs(message.capture_id, message.names),
  [MSG.OFFSCREEN_UPLOAD]: (message) =>
    sendCapture({
      url: message.url,
      token: message.token,
      captureId: message.capture_id,
      onProgress: reportProgress(message.capture_id),
    }),
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (message?.target !== "offscreen" || sender.id !== chrome.runtime.id) return false;
  const handler = handlers[message.type];
  if (!handler) return false;
  handler(message).then(
    (result) => sendResponse({ ok: true, result }),
    (error) => sendResponse({ ok: false, error: String(error?.message || error) }),
  );
  return true;
});
