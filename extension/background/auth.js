// Signing the extension in and out. The token lives only in chrome.storage.local (restricted to
// the extension's own pages and worker) and is sent only to the configured server.

import {
  ApiError,
  checkHealth,
  getMe,
  issueToken,
  normaliseServerUrl,
  originPattern,
  revokeCurrentToken,
} from "../lib/api.js";
import { clearAuth, getAuth, getSettings, saveSettings, setAuth } from "../lib/storage.js";
import { refreshBadge } from "./badge.js";
import { tokenName } from "./browser-info.js";
import { processQueue, requeueNeedsSignin } from "./queue.js";

async function requireAccess(serverUrl) {
  // The options page asked for this origin while the operator clicked "Masuk".
  const granted = await chrome.permissions.contains({ origins: [originPattern(serverUrl)] });
  if (!granted) throw new ApiError(0, "no_permission", "no permission for the server origin");
}

async function remember(serverUrl, token, me, issued = null) {
  const auth = {
    server_url: serverUrl,
    token,
    token_id: issued?.id ?? me.token?.id ?? null,
    token_name: issued?.name ?? me.token?.name ?? null,
    prefix: issued?.prefix ?? me.token?.prefix ?? null,
    user: me.user,
    signed_in_at: Date.now(),
    invalid: false,
  };
  await setAuth(auth);
  await saveSettings({ serverUrl });
  await requeueNeedsSignin();
  processQueue({ force: true }).catch((error) => console.warn("SIPANSOS: queue", error));
  return publicStatus(auth);
}

/** What the pages may know about the sign-in (never the token itself). */
function publicStatus(auth, extra = {}) {
  if (!auth) return { signed_in: false, ...extra };
  return {
    signed_in: !auth.invalid,
    invalid: Boolean(auth.invalid),
    server_url: auth.server_url,
    user: auth.user,
    token_name: auth.token_name,
    prefix: auth.prefix,
    signed_in_at: auth.signed_in_at,
    ...extra,
  };
}

/** Sign in with username and password: the server issues a token named "<browser> <date>". */
export async function signIn({ serverUrl, username, password }) {
  const url = normaliseServerUrl(serverUrl);
  await requireAccess(url);
  await checkHealth(url);
  const issued = await issueToken(url, String(username || "").trim(), password || "", await tokenName());
  const me = await getMe(url, issued.secret);
  return remember(url, issued.secret, me, issued);
}

/** Sign in with a token made in the web interface ("sps_…"). */
export async function signInWithToken({ serverUrl, token }) {
  const url = normaliseServerUrl(serverUrl);
  const secret = String(token || "").trim();
  if (!secret.startsWith("sps_")) throw new ApiError(0, "invalid_token", "not a SIPANSOS token");
  await requireAccess(url);
  await checkHealth(url);
  const me = await getMe(url, secret);
  return remember(url, secret, me);
}

/** Revoke the token on the server (best effort) and forget it here. */
export async function signOut() {
  const auth = await getAuth();
  let revoked = false;
  let error = null;
  if (auth?.token) {
    try {
      await revokeCurrentToken(auth.server_url, auth.token);
      revoked = true;
    } catch (failure) {
      // 401: the token was already revoked; anything else: tell the operator.
      revoked = failure instanceof ApiError && failure.status === 401;
      if (!revoked) error = failure instanceof ApiError ? failure.toJSON() : String(failure);
    }
  }
  await clearAuth();
  await refreshBadge();
  return { signed_in: false, revoked, error };
}

/** The sign-in state; with `refresh`, asks the server whether the token still works. */
export async function authStatus({ refresh = false } = {}) {
  const settings = await getSettings();
  let auth = await getAuth();
  const extra = { settings_server_url: settings.serverUrl };
  if (auth && refresh && !auth.invalid) {
    try {
      const me = await getMe(auth.server_url, auth.token);
      auth = { ...auth, user: me.user };
      await setAuth(auth);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        auth = { ...auth, invalid: true };
        await setAuth(auth);
      } else {
        extra.check_error = error instanceof ApiError ? error.toJSON() : String(error);
      }
    }
  }
  return publicStatus(auth, extra);
}

/** Is this a SIPANSOS server? (options page, before signing in) */
export async function checkServer({ serverUrl }) {
  const url = normaliseServerUrl(serverUrl);
  await requireAccess(url);
  await checkHealth(url);
  return { server_url: url };
}
