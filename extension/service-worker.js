// SIPANSOS service worker: a router only. Every listener is registered at the top level so the
// browser can wake the worker for it; all state lives in chrome.storage and IndexedDB.

import { authStatus, checkServer, signIn, signInWithToken, signOut } from "./background/auth.js";
import { refreshBadge } from "./background/badge.js";
import { beginCapture, describeError } from "./background/capture.js";
import { categories, openCases } from "./background/cases.js";
import {
  discard,
  listQueue,
  processQueue,
  RETRY_ALARM,
  retryNow,
  scheduleRetry,
} from "./background/queue.js";
import {
  createMenus,
  onCommand,
  onContextMenu,
  onPickerCancel,
  onPickerResult,
  startFromPopup,
  startPicker,
} from "./background/triggers.js";
import { listHistory } from "./lib/db.js";
import { CONTENT_SCRIPT_MESSAGES, MSG, OFFSCREEN_MESSAGES } from "./lib/messages.js";
import { restrictAccess, setProgress } from "./lib/storage.js";

const handlers = {
  [MSG.CAPTURE_START]: (m) =>
    startFromPopup({ tabId: m.tab_id, category: m.category, note: m.note, caseChoice: m.case }),
  [MSG.PICKER_START]: (m) =>
    startPicker({ tabId: m.tab_id, category: m.category, note: m.note, caseChoice: m.case }),
  [MSG.PICKER_RESULT]: onPickerResult,
  [MSG.PICKER_CANCEL]: onPickerCancel,
  [MSG.QUEUE_LIST]: async () => ({ queue: await listQueue(), history: await listHistory(20) }),
  [MSG.QUEUE_RETRY]: (m) => retryNow(m.capture_id),
  [MSG.QUEUE_DISCARD]: (m) => discard(m.capture_id),
  [MSG.AUTH_STATUS]: (m) => authStatus({ refresh: Boolean(m.refresh) }),
  [MSG.AUTH_SIGN_IN]: (m) =>
    signIn({ serverUrl: m.server_url, username: m.username, password: m.password }),
  [MSG.AUTH_SIGN_IN_TOKEN]: (m) => signInWithToken({ serverUrl: m.server_url, token: m.token }),
  [MSG.AUTH_SIGN_OUT]: () => signOut(),
  [MSG.SERVER_CHECK]: (m) => checkServer({ serverUrl: m.server_url }),
  [MSG.CASES_LIST]: (m) => openCases({ query: m.query }),
  [MSG.CATEGORIES_LIST]: () => categories(),
  [MSG.UPLOAD_PROGRESS]: (m) =>
    setProgress({ capture_id: m.capture_id, stage: "upload", sent: m.sent, total: m.total }),
};

function fromExtensionPage(sender) {
  return sender.id === chrome.runtime.id && (sender.url || "").startsWith(chrome.runtime.getURL(""));
}

function allowed(type, sender) {
  if (fromExtensionPage(sender)) return true;
  // A content script (a page's renderer) may only report the picker's outcome.
  return sender.id === chrome.runtime.id && Boolean(sender.tab) && CONTENT_SCRIPT_MESSAGES.includes(type);
}

function serialiseError(error) {
  if (typeof error?.toJSON === "function") return error.toJSON();
  return describeError(error);
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!message || typeof message.type !== "string" || message.target === "offscreen") return false;
  if (OFFSCREEN_MESSAGES.includes(message.type)) return false;
  const handler = handlers[message.type];
  if (!handler || !allowed(message.type, sender)) return false;
  Promise.resolve()
    .then(() => handler(message, sender))
    .then(
      (result) => sendResponse({ ok: true, result }),
      (error) => sendResponse({ ok: false, error: serialiseError(error) }),
    );
  return true;
});

chrome.runtime.onInstalled.addListener(() => {
  restrictAccess();
  createMenus();
  processQueue({ force: true }).catch((error) => console.warn("SIPANSOS: queue", error));
});

chrome.runtime.onStartup.addListener(() => {
  restrictAccess();
  // Captures left from the last session go out as soon as the browser is back.
  processQueue({ force: true }).catch((error) => console.warn("SIPANSOS: queue", error));
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === RETRY_ALARM) {
    processQueue().catch((error) => console.warn("SIPANSOS: queue", error));
  }
});

chrome.contextMenus?.onClicked.addListener((info, tab) => {
  onContextMenu(info, tab);
});

chrome.commands?.onCommand.addListener((command, tab) => {
  onCommand(command, tab);
});

// For end-to-end tests and for debugging from the worker's console: the same functions the
// listeners call, reachable only from the extension's own worker.
self.sipansos = Object.freeze({
  async captureTab(tabId, options = {}) {
    const { done } = await beginCapture(tabId, options);
    return done;
  },
  async contextMenuClicked(info, tab) {
    const started = await onContextMenu(info, tab);
    return started ? started.done : null;
  },
  processQueue,
  scheduleRetry,
  listQueue,
  listHistory,
  refreshBadge,
  retryAlarm: () => chrome.alarms.get(RETRY_ALARM),
});
