// chrome.storage wrappers: settings and the sign-in (local), live progress (session).
// The worker keeps nothing in globals: everything it must remember lives here or in IndexedDB.

const SETTINGS_KEY = "settings";
const AUTH_KEY = "auth";
const PROGRESS_KEY = "progress";
const PICKER_PREFIX = "picker:";
const BUSY_PREFIX = "busy:";

export const DEFAULT_SETTINGS = Object.freeze({
  serverUrl: "",
  defaultCategory: "lainnya",
  lastCategory: null,
  preciseScreenshots: false,
});

/** Keep the token away from content scripts (they can read storage.local by default). */
export async function restrictAccess() {
  for (const area of [chrome.storage.local, chrome.storage.session]) {
    try {
      await area?.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" });
    } catch {
      // Older browsers only support this for the session area.
    }
  }
}

export async function getSettings() {
  const { [SETTINGS_KEY]: stored } = await chrome.storage.local.get(SETTINGS_KEY);
  return { ...DEFAULT_SETTINGS, ...(stored || {}) };
}

export async function saveSettings(changes) {
  const settings = { ...(await getSettings()), ...changes };
  await chrome.storage.local.set({ [SETTINGS_KEY]: settings });
  return settings;
}

/** The sign-in: {token, token_id, token_name, prefix, user, server_url, signed_in_at, invalid}. */
export async function getAuth() {
  const { [AUTH_KEY]: auth } = await chrome.storage.local.get(AUTH_KEY);
  return auth || null;
}

export function setAuth(auth) {
  return chrome.storage.local.set({ [AUTH_KEY]: auth });
}

export function clearAuth() {
  return chrome.storage.local.remove(AUTH_KEY);
}

/** Progress of the capture or upload in flight, for the popup to show. */
export function setProgress(progress) {
  return chrome.storage.session.set({ [PROGRESS_KEY]: { ...progress, at: Date.now() } });
}

export async function getProgress() {
  const { [PROGRESS_KEY]: progress } = await chrome.storage.session.get(PROGRESS_KEY);
  return progress || null;
}

export function watchProgress(callback) {
  const listener = (changes, area) => {
    if (area === "session" && PROGRESS_KEY in changes) callback(changes[PROGRESS_KEY].newValue);
  };
  chrome.storage.onChanged.addListener(listener);
  return () => chrome.storage.onChanged.removeListener(listener);
}

/** Options chosen in the popup, kept while the operator picks a post on the page. */
export function setPickerOptions(tabId, options) {
  return chrome.storage.session.set({ [PICKER_PREFIX + tabId]: options });
}

export async function takePickerOptions(tabId) {
  const key = PICKER_PREFIX + tabId;
  const { [key]: options } = await chrome.storage.session.get(key);
  await chrome.storage.session.remove(key);
  return options || null;
}

/** Mark a tab as being captured; false when another capture holds it (stale after 2 min,
 * in case the worker was stopped in the middle of one). */
export async function claimTab(tabId) {
  const key = BUSY_PREFIX + tabId;
  const { [key]: since } = await chrome.storage.session.get(key);
  if (since && Date.now() - since < 2 * 60 * 1000) return false;
  await chrome.storage.session.set({ [key]: Date.now() });
  return true;
}

export function releaseTab(tabId) {
  return chrome.storage.session.remove(BUSY_PREFIX + tabId);
}
