// Screenshots: the visible viewport (tabs.captureVisibleTab), the full page by scrolling and
// stitching, or — when the operator granted the optional "debugger" permission — the full page
// through the DevTools protocol (Page.captureScreenshot beyond the viewport), in tiles.

import { putBlob } from "../lib/db.js";
import { render } from "./offscreen-client.js";
import { callPage } from "./page.js";

// Tallest PNG tile: canvases and many image viewers refuse larger dimensions.
export const MAX_TILE_PX = 16384;
// Chromium allows two captureVisibleTab calls a second; keep a margin.
const CAPTURE_INTERVAL_MS = 600;
// A feed that keeps growing would be scrolled forever: stop after this many screens.
export const MAX_SCREENS = 80;
// How many times to follow a feed that grows when its end is reached, and how long to wait.
const MAX_GROWTHS = 2;
const GROWTH_WAIT_MS = 500;

let lastCaptureAt = 0; // a throttle only; losing it when the worker stops is harmless

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function dataUrlToBlob(dataUrl) {
  const [header, data] = dataUrl.split(",", 2);
  const type = /data:([^;,]+)/.exec(header)?.[1] || "application/octet-stream";
  const bytes = Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
  return new Blob([bytes], { type });
}

/** Width and height from a PNG's IHDR chunk, without decoding it. */
export async function pngSize(blob) {
  const view = new DataView(await blob.slice(16, 24).arrayBuffer());
  return { width: view.getUint32(0), height: view.getUint32(4) };
}

/** One PNG of what the tab shows now (the tab must be the active one in its window). */
export async function captureVisible(windowId) {
  for (let attempt = 0; ; attempt += 1) {
    const wait = lastCaptureAt + CAPTURE_INTERVAL_MS - Date.now();
    if (wait > 0) await sleep(wait);
    lastCaptureAt = Date.now();
    try {
      return dataUrlToBlob(await chrome.tabs.captureVisibleTab(windowId, { format: "png" }));
    } catch (error) {
      // Another capture (another extension, another of ours) used up this second's quota.
      if (attempt < 3 && /MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND/.test(String(error))) {
        await sleep(1000);
        continue;
      }
      throw error;
    }
  }
}

/**
 * Plan the output tiles of a scrolled capture. `frames`: [{name, y, width, height}] (y in CSS
 * px, image size in device px), in capture order; later frames are drawn over earlier ones.
 */
export function planStitch(frames, { innerWidth, clientWidth, totalHeight }, prefix) {
  const scale = frames[0].width / innerWidth;
  const width = Math.min(frames[0].width, Math.round(clientWidth * scale));
  const height = Math.round(totalHeight * scale);
  const tiles = [];
  for (let top = 0, index = 0; top < height; top += MAX_TILE_PX, index += 1) {
    const bottom = Math.min(height, top + MAX_TILE_PX);
    const draws = [];
    for (const frame of frames) {
      const frameTop = Math.round(frame.y * scale);
      const from = Math.max(frameTop, top);
      const to = Math.min(frameTop + frame.height, bottom);
      if (to <= from) continue;
      draws.push({
        frame: frame.name,
        sx: 0,
        sy: from - frameTop,
        sw: width,
        sh: to - from,
        dx: 0,
        dy: from - top,
      });
    }
    tiles.push({
      name: `${prefix}-${String(index).padStart(3, "0")}.png`,
      width,
      height: bottom - top,
      draws,
    });
  }
  return tiles;
}

/**
 * Scroll through the page one screen at a time, capture each screen and stitch them into
 * tiles. `first` may be a frame already captured at scroll (0, 0). Returns the tile results
 * and the names of the scratch frames to delete.
 */
export async function scrollAndStitch({ tabId, windowId, captureId, first, onProgress }) {
  let info = await callPage(tabId, "prepare");
  const frames = [];
  const scratch = [];
  let y = 0;
  let truncated = false;
  let growths = 0;
  for (let screen = 0; ; screen += 1) {
    // Fixed headers and banners are kept on the first screen only.
    if (screen === 1) await callPage(tabId, "hideFixed");
    info = await callPage(tabId, "scrollToY", y);
    let blob;
    let name;
    if (screen === 0 && first && info.scrollY === 0) {
      ({ blob, name } = first);
    } else {
      blob = await captureVisible(windowId);
      name = `frame-${String(screen).padStart(3, "0")}`;
      await putBlob(captureId, name, blob);
      scratch.push(name);
    }
    const size = await pngSize(blob);
    frames.push({ name, y: info.scrollY, width: size.width, height: size.height });
    const covered = info.scrollY + info.innerHeight;
    const total = Math.max(info.scrollHeight, covered);
    onProgress?.(Math.min(covered, total), total);
    // At fractional zoom or device pixel ratios the last scroll position can stop a fraction of
    // a pixel short of the end: within a pixel, or not moving any more, is the end.
    const stuck = frames.length > 1 && info.scrollY <= frames[frames.length - 2].y + 0.5;
    if (covered >= info.scrollHeight - 1 || stuck) {
      // At the bottom, feeds load more. Follow them a few times, then stop.
      if (growths >= MAX_GROWTHS) break;
      await sleep(GROWTH_WAIT_MS);
      const now = await callPage(tabId, "metrics");
      if (now.scrollHeight <= info.scrollHeight) break;
      growths += 1;
      info = now;
    }
    if (screen + 1 >= MAX_SCREENS) {
      truncated = true;
      break;
    }
    y = covered;
  }
  const last = frames[frames.length - 1];
  const totalHeight = last.y + info.innerHeight;
  const plan = planStitch(frames, { ...info, totalHeight }, "screenshot-full");
  const tiles = await render(captureId, plan);
  return { tiles, scratch, truncated, totalHeight };
}

function base64ToBlob(data, type) {
  return dataUrlToBlob(`data:${type};base64,${data}`);
}

/** Whether the operator granted the optional debugger permission. */
export async function canUseDebugger() {
  if (!globalThis.chrome?.debugger) return false;
  try {
    return await chrome.permissions.contains({ permissions: ["debugger"] });
  } catch {
    return false;
  }
}

/**
 * Attaching the debugger shows the "started debugging this browser" bar, which shrinks the page
 * a moment later; a screenshot taken during that resize shows stale pixels. Wait for the resize
 * (or, when no bar appears, for a short while).
 */
async function waitForInfobar(tabId, heightBefore) {
  const deadline = Date.now() + 1500;
  let last = heightBefore;
  let changedAt = null;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(100);
    const { innerHeight } = await callPage(tabId, "metrics");
    if (innerHeight !== last) {
      last = innerHeight;
      changedAt = Date.now();
      quietSince = changedAt;
    }
    if (changedAt && Date.now() - quietSince >= 200) return;
    if (!changedAt && Date.now() - quietSince >= 800) return;
  }
}

/**
 * Full page through the DevTools protocol: Page.captureScreenshot beyond the viewport, in clip
 * tiles of at most MAX_TILE_PX device pixels, so nothing is stitched. Lazy content is loaded by
 * one scroll through the page first.
 */
export async function captureWithDebugger({ tabId, captureId, onProgress }) {
  const before = await callPage(tabId, "warmUp");
  const target = { tabId };
  const send = (method, params) => chrome.debugger.sendCommand(target, method, params);
  await chrome.debugger.attach(target, "1.3");
  try {
    await waitForInfobar(tabId, before.innerHeight);
    const layout = await send("Page.getLayoutMetrics");
    const { devicePixelRatio: dpr } = await callPage(tabId, "metrics");
    const viewport = layout.cssLayoutViewport || layout.layoutViewport;
    const width = Math.ceil(viewport.clientWidth);
    const height = Math.ceil((layout.cssContentSize || layout.contentSize).height);
    const tileCss = Math.max(1, Math.floor(MAX_TILE_PX / dpr));
    const tiles = [];
    for (let y = 0, index = 0; y < height; y += tileCss, index += 1) {
      const tileHeight = Math.min(tileCss, height - y);
      const shot = await send("Page.captureScreenshot", {
        format: "png",
        captureBeyondViewport: true,
        fromSurface: true,
        clip: { x: 0, y, width, height: tileHeight, scale: 1 },
      });
      const blob = base64ToBlob(shot.data, "image/png");
      const name = `screenshot-full-${String(index).padStart(3, "0")}.png`;
      await putBlob(captureId, name, blob, { media_type: "image/png" });
      tiles.push({ name, ...(await pngSize(blob)) });
      onProgress?.(y + tileHeight, height);
    }
    return { tiles, scratch: [], truncated: false, totalHeight: height };
  } finally {
    await chrome.debugger.detach(target).catch(() => {});
    await callPage(tabId, "restore").catch(() => {});
  }
}

/**
 * The chosen post: scroll it into view, capture the screen and crop the element's box (the part
 * inside the viewport when the post is taller than the screen).
 */
export async function capturePost({ tabId, windowId, captureId }) {
  const box = await callPage(tabId, "showTarget");
  if (!box || box.width < 1 || box.height < 1) return null;
  const blob = await captureVisible(windowId);
  const frame = "frame-post";
  await putBlob(captureId, frame, blob);
  const size = await pngSize(blob);
  const scale = size.width / box.innerWidth;
  const left = Math.max(0, box.left);
  const top = Math.max(0, box.top);
  const right = Math.min(box.clientWidth, box.left + box.width);
  const bottom = Math.min(box.innerHeight, box.top + box.height);
  const sx = Math.round(left * scale);
  const sy = Math.round(top * scale);
  const width = Math.min(size.width - sx, Math.round((right - left) * scale));
  const height = Math.min(size.height - sy, Math.round((bottom - top) * scale));
  if (width < 1 || height < 1) return { tile: null, scratch: [frame] };
  const [tile] = await render(captureId, [
    { name: "post-screenshot.png", width, height, draws: [{ frame, sx, sy, sw: width, sh: height, dx: 0, dy: 0 }] },
  ]);
  return { tile, scratch: [frame], clipped: box.height > box.innerHeight };
}
