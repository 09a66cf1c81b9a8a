// The ways a capture starts: the popup button, the element picker, the context menu and the
// keyboard shortcut. Each one comes with a user gesture, which is what grants activeTab.

import { MSG } from "../lib/messages.js";
import { getSettings, saveSettings, setPickerOptions, setProgress, takePickerOptions } from "../lib/storage.js";
import { beginCapture, describeError } from "./capture.js";
import { callPage, injectCaptureScripts } from "./page.js";

export const MENU_CAPTURE_POST = "sipansos-capture-post";
export const MENU_CAPTURE_PAGE = "sipansos-capture-page";
export const COMMAND_CAPTURE = "capture-page";

const PAGE_PATTERNS = ["http://*/*", "https://*/*"];

/** Context menu entries; created once per install/update (the browser keeps them). */
export async function createMenus() {
  await chrome.contextMenus.removeAll();
  chrome.contextMenus.create({
    id: MENU_CAPTURE_POST,
    title: chrome.i18n.getMessage("menuCapturePost"),
    contexts: ["page", "selection", "link", "image", "video"],
    documentUrlPatterns: PAGE_PATTERNS,
  });
  chrome.contextMenus.create({
    id: MENU_CAPTURE_PAGE,
    title: chrome.i18n.getMessage("menuCapturePage"),
    contexts: ["page"],
    documentUrlPatterns: PAGE_PATTERNS,
  });
}

async function defaultOptions() {
  const settings = await getSettings();
  return { category: settings.lastCategory || settings.defaultCategory, note: "" };
}

function reportFailure(tabId, error) {
  return setProgress({ capture_id: null, tab_id: tabId, stage: "error", error: describeError(error) });
}

/** Start a capture and report a refusal through the progress channel (no popup is open). */
async function startQuietly(tabId, options) {
  try {
    const { capture_id: captureId, done } = await beginCapture(tabId, options);
    return { capture_id: captureId, done };
  } catch (error) {
    await reportFailure(tabId, error);
    throw error;
  }
}

/** The popup's "Tangkap": the category becomes the next default; `caseChoice` see capture.js. */
export async function startFromPopup({ tabId, category, note, caseChoice }) {
  if (category) await saveSettings({ lastCategory: category });
  const { capture_id: captureId } = await beginCapture(tabId, {
    category,
    note,
    case: caseChoice,
    target: "page",
  });
  return { capture_id: captureId };
}

/** The popup's "Pilih postingan": show the picker; the capture starts when a post is clicked. */
export async function startPicker({ tabId, category, note, caseChoice }) {
  if (category) await saveSettings({ lastCategory: category });
  await setPickerOptions(tabId, { category, note, case: caseChoice });
  await injectCaptureScripts(tabId);
  await callPage(
    tabId,
    "startPicker",
    { result: MSG.PICKER_RESULT, cancel: MSG.PICKER_CANCEL },
    { hint: chrome.i18n.getMessage("pickerHint") },
  );
  return { started: true };
}

export async function onPickerResult(message, sender) {
  const tabId = sender.tab.id;
  const options = (await takePickerOptions(tabId)) || (await defaultOptions());
  const { capture_id: captureId } = await startQuietly(tabId, { ...options, target: "picked" });
  return { capture_id: captureId };
}

export async function onPickerCancel(_message, sender) {
  await takePickerOptions(sender.tab.id);
  return { cancelled: true };
}

/** "Tangkap postingan ini" / "Tangkap seluruh halaman" from the context menu. */
export async function onContextMenu(info, tab) {
  if (!tab?.id) return null;
  const target = info.menuItemId === MENU_CAPTURE_POST ? "context" : "page";
  return startQuietly(tab.id, {
    ...(await defaultOptions()),
    target,
    targetElementId: info.targetElementId ?? null,
  }).catch(() => null);
}

/** The keyboard shortcut captures the whole page with the default category. */
export async function onCommand(command, tab) {
  if (command !== COMMAND_CAPTURE) return null;
  const target = tab || (await chrome.tabs.query({ active: true, currentWindow: true }))[0];
  if (!target?.id) return null;
  return startQuietly(target.id, { ...(await defaultOptions()), target: "page" }).catch(() => null);
}
