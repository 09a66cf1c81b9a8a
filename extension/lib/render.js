// Image and hashing work on artifacts stored in IndexedDB. Runs in the offscreen document
// (Chromium) or, where there is none (Firefox's event page), in the background itself.

import { getBlob, putBlob } from "./db.js";

/** Lower-case hex SHA-256 of a Blob. */
export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Size and SHA-256 of each named blob of a capture. */
export async function hashBlobs(captureId, names) {
  const results = [];
  for (const name of names) {
    const record = await getBlob(captureId, name);
    if (!record) throw new Error(`missing artifact ${name}`);
    results.push({ name, size: record.blob.size, sha256: await sha256Hex(record.blob) });
  }
  return results;
}

/**
 * Draw PNG outputs from stored frames and store them beside the frames.
 * `outputs`: [{name, width, height, draws: [{frame, sx, sy, sw, sh, dx, dy}]}] in device pixels.
 * Returns [{name, size, sha256, width, height}].
 */
export async function renderOutputs(captureId, outputs) {
  const lastUse = new Map();
  outputs.forEach((output, index) => {
    for (const draw of output.draws) lastUse.set(draw.frame, index);
  });
  const bitmaps = new Map();
  const results = [];
  try {
    for (const [index, output] of outputs.entries()) {
      const canvas = new OffscreenCanvas(output.width, output.height);
      const context = canvas.getContext("2d", { alpha: false });
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, output.width, output.height);
      for (const draw of output.draws) {
        let bitmap = bitmaps.get(draw.frame);
        if (!bitmap) {
          const record = await getBlob(captureId, draw.frame);
          if (!record) throw new Error(`missing frame ${draw.frame}`);
          bitmap = await createImageBitmap(record.blob);
          bitmaps.set(draw.frame, bitmap);
        }
        const sw = Math.min(draw.sw, bitmap.width - draw.sx);
        const sh = Math.min(draw.sh, bitmap.height - draw.sy);
        if (sw > 0 && sh > 0) {
          context.drawImage(bitmap, draw.sx, draw.sy, sw, sh, draw.dx, draw.dy, sw, sh);
        }
      }
      for (const [frame, last] of lastUse) {
        if (last === index && bitmaps.has(frame)) {
          bitmaps.get(frame).close();
          bitmaps.delete(frame);
        }
      }
      const blob = await canvas.convertToBlob({ type: "image/png" });
      await putBlob(captureId, output.name, blob, { media_type: "image/png" });
      results.push({
        name: output.name,
        size: blob.size,
        sha256: await sha256Hex(blob),
        width: output.width,
        height: output.height,
      });
    }
  } finally {
    for (const bitmap of bitmaps.values()) bitmap.close();
  }
  return results;
}
