// Helpers for the extension's pages: translations (Indonesian first, the default_locale; English
// second), error sentences, times, and asking the background.

/** The message `key` from _locales, or `fallback` when there is none. */
export function t(key, substitutions, fallback = "") {
  return chrome.i18n.getMessage(key, substitutions) || fallback || key;
}

/** Fill [data-i18n] (text), [data-i18n-placeholder], [data-i18n-title], [data-i18n-aria-label]. */
export function localize(root = document) {
  document.documentElement.lang = chrome.i18n.getUILanguage().startsWith("en") ? "en" : "id";
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const attribute of ["placeholder", "title", "aria-label"]) {
    for (const element of root.querySelectorAll(`[data-i18n-${attribute}]`)) {
      element.setAttribute(attribute, t(element.getAttribute(`data-i18n-${attribute}`)));
    }
  }
}

/** A readable sentence for an error {status, code, message} from the background. */
export function errorText(error) {
  if (!error) return t("err_unknown");
  if (typeof error === "string") return error;
  const code = String(error.code || "").replace(/[^a-z0-9_]/gi, "_");
  const known = code && chrome.i18n.getMessage(`err_${code}`);
  if (known) return known;
  if (error.status === 0) return t("err_unreachable");
  if (error.status === 401) return t("err_unauthorized");
  if (error.status === 403) return t("err_forbidden");
  if (error.status === 413) return t("err_too_large");
  if (error.status === 429) return t("err_rate_limited");
  if (error.status >= 500) return t("err_server");
  return t("err_refused", [error.message || `HTTP ${error.status}`]);
}

/** Date and time in the UI language and the browser's time zone. */
export function formatTime(value) {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString(chrome.i18n.getUILanguage(), {
    dateStyle: "medium",
    timeStyle: "medium",
  });
}

/** Send a message to the background; resolves with its result or rejects with its error. */
export async function ask(type, payload = {}) {
  const reply = await chrome.runtime.sendMessage({ type, ...payload });
  if (!reply?.ok) {
    const error = new Error(reply?.error?.message || "failed");
    error.detail = reply?.error || null;
    throw error;
  }
  return reply.result;
}
