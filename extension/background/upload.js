// One upload attempt of a queued capture, and what its answer means for the queue.

import { errorFromBody } from "../lib/api.js";
import { setProgress } from "../lib/storage.js";
import { upload } from "./offscreen-client.js";

/**
 * What to do after an answer: "done" (a receipt), "retry" (unreachable, 429, 5xx: try again
 * later), "signin" (401: the token no longer works) or "failed" (refused; retrying the same
 * bytes will not help).
 */
export function classify(status) {
  if (status === 200 || status === 201) return "done";
  if (status === 0 || status === 408 || status === 425 || status === 429 || status >= 500) {
    return "retry";
  }
  if (status === 401) return "signin";
  return "failed";
}

function parse(text, contentType) {
  if (!text) return null;
  if ((contentType || "").includes("json") || /^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** POST a queued capture; {outcome, status, receipt?, error?}. */
export async function uploadCapture(record, auth) {
  const captureId = record.capture_id;
  await setProgress({ capture_id: captureId, stage: "upload", sent: 0, total: record.total_bytes || 0 });
  const answer = await upload({
    url: `${auth.server_url}/api/v1/captures`,
    token: auth.token,
    captureId,
    onProgress: (sent, total) =>
      setProgress({ capture_id: captureId, stage: "upload", sent, total }),
  });
  const body = parse(answer.text, answer.contentType);
  const outcome = classify(answer.status);
  if (outcome === "done") {
    if (!body || typeof body !== "object" || body.capture_id !== captureId) {
      return {
        outcome: "retry",
        status: answer.status,
        error: { status: answer.status, code: "bad_receipt", message: "unexpected answer" },
      };
    }
    return { outcome, status: answer.status, receipt: body };
  }
  const error =
    answer.status === 0
      ? { status: 0, code: "unreachable", message: answer.text || "server unreachable" }
      : errorFromBody(answer.status, body).toJSON();
  return { outcome, status: answer.status, error };
}
