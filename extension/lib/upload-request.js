// Send one stored capture to the server as multipart/form-data: a "manifest" field, the optional
// "case" field, and one file part per artifact, named after the artifact. XMLHttpRequest where it exists (the offscreen
// document, Firefox's event page) because only it reports upload progress; fetch otherwise.

import { getBlob, getCapture } from "./db.js";

/** The multipart body of a queued capture, built from IndexedDB. */
export async function buildCaptureForm(captureId) {
  const record = await getCapture(captureId);
  if (!record?.manifest_json) throw new Error(`capture ${captureId} is not ready to upload`);
  const manifest = JSON.parse(record.manifest_json);
  const form = new FormData();
  form.append("manifest", record.manifest_json);
  let total = record.manifest_json.length;
  // The case choice travels beside the signed manifest, on every attempt.
  if (record.case_request) {
    const caseField = JSON.stringify(record.case_request);
    form.append("case", caseField);
    total += caseField.length;
  }
  for (const artifact of manifest.artifacts) {
    const stored = await getBlob(captureId, artifact.name);
    if (!stored) throw new Error(`artifact ${artifact.name} is missing from the queue`);
    const blob = stored.blob.type
      ? stored.blob
      : new Blob([stored.blob], { type: artifact.media_type });
    form.append(artifact.name, blob, artifact.name);
    total += blob.size;
  }
  return { form, total };
}

/**
 * POST the capture; resolves {status, text, contentType} for any HTTP answer (status 0 when
 * the server was not reached). `onProgress(sent, total)` is called while the body goes out.
 */
export async function sendCapture({ url, token, captureId, timeoutMs = 600000, onProgress }) {
  const { form, total } = await buildCaptureForm(captureId);
  if (typeof XMLHttpRequest === "undefined") {
    onProgress?.(0, total);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
        body: form,
        credentials: "omit",
        cache: "no-store",
        signal: AbortSignal.timeout(timeoutMs),
      });
      onProgress?.(total, total);
      return {
        status: response.status,
        text: await response.text(),
        contentType: response.headers.get("Content-Type"),
      };
    } catch (error) {
      return { status: 0, text: String(error?.message || error), contentType: "text/plain" };
    }
  }
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.timeout = timeoutMs;
    xhr.withCredentials = false;
    xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.total || total);
    xhr.onload = () =>
      resolve({
        status: xhr.status,
        text: xhr.responseText,
        contentType: xhr.getResponseHeader("Content-Type"),
      });
    const failed = (reason) => () => resolve({ status: 0, text: reason, contentType: "text/plain" });
    xhr.onerror = failed("network error");
    xhr.ontimeout = failed("timeout");
    xhr.onabort = failed("aborted");
    xhr.send(form);
  });
}
