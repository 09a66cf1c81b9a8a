// The offline queue: every capture waits in IndexedDB until the server has given a receipt.
// Unreachable server, 429 and 5xx → retried with exponential backoff through chrome.alarms
// (which outlive the service worker and browser restarts); 401 → kept until the operator signs
// in again; other refusals → kept, shown with the error, retried or discarded by the operator.
// A case choice the server cannot read (400 invalid_case) never holds the evidence back: the
// capture is sent again without it.

import { originPattern } from "../lib/api.js";
import { addHistory, deleteCapture, getCapture, listCaptures, updateCapture } from "../lib/db.js";
import { getAuth, setAuth, setProgress } from "../lib/storage.js";
import { refreshBadge } from "./badge.js";
import { uploadCapture } from "./upload.js";

export const RETRY_ALARM = "sipansos-retry";
const BASE_DELAY_MS = 30 * 1000;
const MAX_DELAY_MS = 60 * 60 * 1000;
// An "uploading" record this old belongs to a worker that was stopped mid-upload.
const STALE_UPLOAD_MS = 15 * 60 * 1000;
// A "capturing" record this old was interrupted (tab closed, browser quit): nothing to send.
const STALE_CAPTURE_MS = 10 * 60 * 1000;

/** Delay before attempt `attempts + 1`: 30 s, 1, 2, 4 … min, at most 1 h, ±20 % jitter. */
export function backoffDelay(attempts, random = Math.random) {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Queue entries for the popup, oldest first, without their manifests. */
export async function listQueue() {
  const records = await listCaptures();
  return records.map(({ manifest_json: manifest, ...summary }) => ({
    ...summary,
    uploadable: Boolean(manifest),
  }));
}

async function recoverStale(records, now) {
  for (const record of records) {
    if (record.status === "uploading" && now - (record.upload_started_at || 0) > STALE_UPLOAD_MS) {
      record.status = "queued";
      await updateCapture(record.capture_id, { status: "queued" });
    } else if (record.status === "capturing" && now - record.created_at > STALE_CAPTURE_MS) {
      record.status = "failed";
      await updateCapture(record.capture_id, {
        status: "failed",
        last_error: { status: 0, code: "capture_interrupted", message: "capture interrupted" },
      });
    }
  }
}

async function hasServerAccess(serverUrl) {
  try {
    return await chrome.permissions.contains({ origins: [originPattern(serverUrl)] });
  } catch {
    return false;
  }
}

async function uploadOnce(record, auth) {
  try {
    return await uploadCapture(record, auth);
  } catch (error) {
    return {
      outcome: "retry",
      status: 0,
      error: { status: 0, code: "upload_error", message: String(error?.message || error) },
    };
  }
}

async function attempt(record, auth) {
  const captureId = record.capture_id;
  const attempts = (record.attempts || 0) + 1;
  await updateCapture(captureId, { status: "uploading", upload_started_at: Date.now(), attempts });
  let result = await uploadOnce(record, auth);
  let caseError = record.case_error || null; // from an earlier attempt
  if (result.outcome === "failed" && result.error?.code === "invalid_case" && record.case_request) {
    // The server cannot read the case choice (nothing was stored): the evidence goes without
    // it rather than not at all, and the operator is told to add it to the case on the web.
    caseError = { code: "invalid_case", message: result.error.message };
    await updateCapture(captureId, { case_request: null, case_error: caseError });
    result = await uploadOnce({ ...record, case_request: null }, auth);
  }
  const now = Date.now();
  if (result.outcome === "done") {
    await addHistory({
      capture_id: captureId,
      receipt: result.receipt,
      case_error: caseError,
      status: result.status,
      url: record.url,
      title: record.title,
      platform: record.platform,
      category: record.category,
      uploaded_at: now,
    });
    await deleteCapture(captureId);
    await setProgress({
      capture_id: captureId,
      stage: "done",
      receipt: result.receipt,
      case_error: caseError,
    });
  } else if (result.outcome === "retry") {
    const nextAt = now + backoffDelay(attempts);
    await updateCapture(captureId, {
      status: "queued",
      last_error: result.error,
      last_attempt_at: now,
      next_attempt_at: nextAt,
    });
    await setProgress({
      capture_id: captureId,
      stage: "waiting",
      error: result.error,
      next_attempt_at: nextAt,
    });
  } else {
    const status = result.outcome === "signin" ? "needs_signin" : "failed";
    await updateCapture(captureId, { status, last_error: result.error, last_attempt_at: now });
    await setProgress({ capture_id: captureId, stage: status, error: result.error });
  }
  return result;
}

/**
 * Upload what is due. `force`: ignore the backoff (operator's "retry now", start-up);
 * `ids`: only these captures. Runs under a lock so that two triggers never upload twice.
 */
export function processQueue({ force = false, ids = null } = {}) {
  return navigator.locks.request("sipansos-queue", async () => {
    const now = Date.now();
    const records = await listCaptures();
    await recoverStale(records, now);
    let auth = await getAuth();
    const results = [];
    let unreachable = false;
    for (const listed of records) {
      if (ids && !ids.includes(listed.capture_id)) continue;
      const record = await getCapture(listed.capture_id);
      if (!record || record.status !== "queued" || !record.manifest_json) continue;
      if (!force && (record.next_attempt_at || 0) > now) continue;
      if (!auth?.token || auth.invalid || !(await hasServerAccess(auth.server_url))) {
        const code = auth?.token && !auth.invalid ? "no_permission" : "signed_out";
        const error = { status: 401, code, message: code };
        await updateCapture(record.capture_id, { status: "needs_signin", last_error: error });
        await setProgress({ capture_id: record.capture_id, stage: "needs_signin", error });
        continue;
      }
      if (unreachable) {
        // One unreachable answer is enough: the others wait for the same retry.
        await updateCapture(record.capture_id, {
          next_attempt_at: now + backoffDelay((record.attempts || 0) + 1),
        });
        continue;
      }
      const result = await attempt(record, auth);
      results.push({ capture_id: record.capture_id, outcome: result.outcome, status: result.status });
      if (result.outcome === "retry" && result.status === 0) unreachable = true;
      if (result.outcome === "signin") {
        auth = { ...auth, invalid: true };
        await setAuth(auth);
      }
    }
    await scheduleRetry();
    await refreshBadge();
    return results;
  });
}

/** One alarm at the earliest due retry (alarms survive worker and browser restarts). */
export async function scheduleRetry() {
  const waiting = (await listCaptures()).filter(
    (record) => record.status === "queued" || record.status === "uploading",
  );
  if (!waiting.length) {
    await chrome.alarms.clear(RETRY_ALARM);
    return null;
  }
  const due = Math.min(...waiting.map((record) => record.next_attempt_at || Date.now()));
  const when = Math.max(Date.now() + 1000, due);
  await chrome.alarms.create(RETRY_ALARM, { when });
  return when;
}

/** After signing in again: captures that waited for it go back into the queue. */
export async function requeueNeedsSignin() {
  for (const record of await listCaptures()) {
    if (record.status === "needs_signin") {
      await updateCapture(record.capture_id, { status: "queued", next_attempt_at: Date.now() });
    }
  }
}

/** The operator's "retry now" (also for refused captures: maybe the server changed). */
export async function retryNow(captureId) {
  const record = await updateCapture(captureId, (current) =>
    current.status === "uploading" || current.status === "capturing" || !current.manifest_json
      ? null
      : { status: "queued", next_attempt_at: Date.now() },
  );
  if (!record) throw new Error("no such capture");
  return processQueue({ force: true, ids: [captureId] });
}

/** The operator's "discard": the capture is deleted from this browser for good. */
export async function discard(captureId) {
  const record = await getCapture(captureId);
  if (!record) return false;
  if (record.status === "uploading") throw new Error("the capture is being uploaded");
  await deleteCapture(captureId);
  await scheduleRetry();
  await refreshBadge();
  return true;
}
