// The server's open cases and violation categories for the popup's pickers. Each answer is kept
// in chrome.storage.local, so that the popup still offers the last lists while the server is
// unreachable (the capture then waits in the queue with the choice made from them).

import { ApiError, listCases, listCategories } from "../lib/api.js";
import { FALLBACK_CATEGORIES } from "../lib/categories.js";
import { getAuth } from "../lib/storage.js";

const CASES_KEY = "casesCache";
const CATEGORIES_KEY = "categoriesCache";
const CASES_LIMIT = 50;

async function signedIn() {
  const auth = await getAuth();
  if (!auth?.token || auth.invalid) throw new ApiError(401, "signed_out", "signed out");
  return auth;
}

async function cached(key, serverUrl) {
  const { [key]: entry } = await chrome.storage.local.get(key);
  return entry && entry.server_url === serverUrl ? entry : null;
}

/**
 * Open cases: {cases, source: "server" | "cache", at}. Without `query` the newest ones are
 * cached; a search goes to the server, and offline it searches the cached list.
 */
export async function openCases({ query = "" } = {}) {
  const text = String(query || "").trim();
  let auth;
  try {
    auth = await signedIn();
    const cases = await listCases(auth.server_url, auth.token, { q: text, limit: CASES_LIMIT });
    if (!text) {
      await chrome.storage.local.set({
        [CASES_KEY]: { server_url: auth.server_url, at: Date.now(), cases },
      });
    }
    return { cases, source: "server", at: Date.now() };
  } catch (error) {
    const entry = auth ? await cached(CASES_KEY, auth.server_url) : null;
    if (!entry || !(error instanceof ApiError) || !error.retryable) throw error;
    return { cases: searchCached(entry.cases, text), source: "cache", at: entry.at };
  }
}

/** The cached list filtered as the server searches: number, title, or "#id". */
export function searchCached(cases, text) {
  const needle = text.toLocaleLowerCase("id");
  if (!needle) return cases;
  const id = /^#(\d+)$/.exec(needle);
  if (id) return cases.filter((item) => item.id === Number(id[1]));
  return cases.filter(
    (item) =>
      String(item.id) === needle ||
      (item.title || "").toLocaleLowerCase("id").includes(needle) ||
      (item.number || "").toLocaleLowerCase("id").includes(needle),
  );
}

/** Categories: the server's, else the last ones it gave, else the built-in list. */
export async function categories() {
  let auth = null;
  try {
    auth = await signedIn();
    const list = await listCategories(auth.server_url, auth.token);
    if (list.length) {
      await chrome.storage.local.set({
        [CATEGORIES_KEY]: { server_url: auth.server_url, at: Date.now(), categories: list },
      });
      return { categories: list, source: "server" };
    }
  } catch (error) {
    console.warn("SIPANSOS: categories", error);
  }
  const entry = auth ? await cached(CATEGORIES_KEY, auth.server_url) : null;
  if (entry) return { categories: entry.categories, source: "cache" };
  return { categories: FALLBACK_CATEGORIES.map((code) => ({ code, name: null })), source: "builtin" };
}
