// Options: the server, signing in (password or token) and out, capture defaults.

import { normaliseServerUrl, originPattern } from "../lib/api.js";
import { categoryLabel, DEFAULT_CATEGORY } from "../lib/categories.js";
import { MSG } from "../lib/messages.js";
import { getSettings, saveSettings } from "../lib/storage.js";
import { ask, errorText, formatTime, localize, t } from "../lib/ui.js";

const $ = (id) => document.getElementById(id);

function say(text) {
  $("message").textContent = text || "";
  $("message").hidden = !text;
}

function fail(error) {
  $("error").textContent = error ? errorText(error) : "";
  $("error").hidden = !error;
}

function busy(on) {
  for (const id of ["signin", "signin-token", "signout"]) $(id).disabled = on;
}

function renderStatus(status) {
  const signedIn = Boolean(status.user) && !status.invalid;
  $("account-section").hidden = !status.user;
  $("signin-section").hidden = signedIn;
  $("account-invalid").hidden = !status.invalid;
  if (status.user) {
    $("account-name").textContent = status.user.full_name || status.user.username;
    $("account-username").textContent = status.user.username;
    $("account-role").textContent = t(`role_${status.user.role}`, undefined, status.user.role);
    $("account-server").textContent = status.server_url;
    $("account-token").textContent = `${status.token_name || ""} (${status.prefix || ""}…) · ${formatTime(status.signed_in_at)}`;
  }
  const url = status.server_url || status.settings_server_url;
  if (url && !$("server-url").value) $("server-url").value = url;
  document.body.dataset.signedIn = signedIn ? "1" : "0";
}

/** The server URL typed, normalised; shows an error and returns null when it is not usable. */
function serverUrl() {
  try {
    return normaliseServerUrl($("server-url").value);
  } catch (error) {
    fail({ code: error.code || "invalid_url" });
    return null;
  }
}

/**
 * Ask for access to the server's origin (the worker's fetches need it). This must run in the
 * click itself — before any await — or the browser refuses for lack of a user gesture.
 */
function requestServerAccess(url) {
  return chrome.permissions.request({ origins: [originPattern(url)] });
}

async function signInWith(type, payload, url, permission) {
  say("");
  fail(null);
  busy(true);
  try {
    if (!(await permission)) {
      fail({ code: "permission_denied" });
      return;
    }
    const status = await ask(type, { server_url: url, ...payload });
    $("password").value = "";
    $("token").value = "";
    renderStatus(status);
    say(t("optionsSignedIn", [status.user.full_name || status.user.username]));
  } catch (error) {
    fail(signInError(type, error.detail || { message: error.message }));
  } finally {
    busy(false);
  }
}

/** The same status means different things when signing in than when uploading. */
function signInError(type, error) {
  if (error.status === 401) {
    return { code: type === MSG.AUTH_SIGN_IN ? "wrong_credentials" : "invalid_token" };
  }
  if (error.status === 403 && type === MSG.AUTH_SIGN_IN) return { code: "must_change_password" };
  return error;
}

function onSignIn(event) {
  event.preventDefault();
  const url = serverUrl();
  if (!url) return;
  const permission = requestServerAccess(url);
  signInWith(
    MSG.AUTH_SIGN_IN,
    { username: $("username").value, password: $("password").value },
    url,
    permission,
  );
}

function onSignInToken() {
  const url = serverUrl();
  if (!url) return;
  const permission = requestServerAccess(url);
  signInWith(MSG.AUTH_SIGN_IN_TOKEN, { token: $("token").value }, url, permission);
}

async function onSignOut() {
  say("");
  fail(null);
  busy(true);
  try {
    const result = await ask(MSG.AUTH_SIGN_OUT);
    renderStatus(await ask(MSG.AUTH_STATUS));
    if (result.revoked) say(t("optionsSignedOut"));
    else fail({ code: "signout_not_revoked" });
  } catch (error) {
    fail(error.detail || { message: error.message });
  } finally {
    busy(false);
  }
}

function onPreciseChange(event) {
  const box = event.target;
  if (box.checked) {
    chrome.permissions.request({ permissions: ["debugger"] }).then(async (granted) => {
      box.checked = granted;
      await saveSettings({ preciseScreenshots: granted });
    });
  } else {
    saveSettings({ preciseScreenshots: false });
    chrome.permissions.remove({ permissions: ["debugger"] }).catch(() => {});
  }
}

async function init() {
  localize();
  $("version").textContent = `SIPANSOS ${chrome.runtime.getManifest().version}`;
  const settings = await getSettings();
  const select = $("default-category");
  const { categories } = await ask(MSG.CATEGORIES_LIST);
  for (const category of categories) {
    const option = document.createElement("option");
    option.value = category.code;
    option.textContent = categoryLabel(category, t);
    option.selected = category.code === (settings.defaultCategory || DEFAULT_CATEGORY);
    select.append(option);
  }
  select.addEventListener("change", () =>
    saveSettings({ defaultCategory: select.value, lastCategory: null }),
  );
  $("precise").checked = Boolean(settings.preciseScreenshots);
  $("precise").addEventListener("change", onPreciseChange);
  $("signin-form").addEventListener("submit", onSignIn);
  $("signin-token").addEventListener("click", onSignInToken);
  $("signout").addEventListener("click", onSignOut);
  renderStatus(await ask(MSG.AUTH_STATUS, { refresh: true }));
  document.body.dataset.ready = "1";
}

init();
