// The SIPANSOS server API (/api/v1): small fetch helpers that turn every outcome into either a
// parsed body or an ApiError carrying the HTTP status (0 when the server could not be reached).

export const API_PREFIX = "/api/v1";
const DEFAULT_TIMEOUT_MS = 20000;
// The popup waits for these lists; a cached copy is better than a long wait.
const LIST_TIMEOUT_MS = 6000;

export class ApiError extends Error {
  constructor(status, code, message, details = null) {
    super(message || code || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Unreachable, overloaded or failing servers: the request may succeed later. */
  get retryable() {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }

  toJSON() {
    return { status: this.status, code: this.code, message: this.message, details: this.details };
  }
}

/**
 * "https://host:port/sub/" → "https://host:port/sub"; throws ApiError(0, "invalid_url") for
 * anything that is not an http(s) URL.
 */
export function normaliseServerUrl(value) {
  let url;
  try {
    url = new URL(String(value || "").trim());
  } catch {
    throw new ApiError(0, "invalid_url", "invalid server URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ApiError(0, "invalid_url", "the server URL must start with https://");
  }
  url.hash = "";
  url.search = "";
  return url.href.replace(/\/+$/, "");
}

/** The match pattern that grants the extension access to the server ("https://host:port/*"). */
export function originPattern(serverUrl) {
  return `${new URL(serverUrl).origin}/*`;
}

/** Turn a non-2xx response into an ApiError using the server's {"error": {...}} body. */
export function errorFromBody(status, body) {
  const error = body && typeof body === "object" ? body.error || body : null;
  const code = error?.code || error?.status || `http_${status}`;
  const message = error?.message || (typeof body === "string" ? body.slice(0, 300) : null);
  return new ApiError(status, String(code), message || `HTTP ${status}`, error?.details || null);
}

function parseBody(text, contentType) {
  if (!text) return null;
  if ((contentType || "").includes("json")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Call the API. Resolves with the parsed body of a 2xx answer, rejects with ApiError otherwise.
 * `body` may be a plain object (sent as JSON) or FormData.
 */
export async function apiRequest(
  serverUrl,
  path,
  { method = "GET", token, body, timeoutMs = DEFAULT_TIMEOUT_MS } = {},
) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload = body;
  if (body && !(body instanceof FormData)) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(serverUrl + API_PREFIX + path, {
      method,
      headers,
      body: payload,
      credentials: "omit",
      cache: "no-store",
      redirect: "error",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const code = error?.name === "TimeoutError" ? "timeout" : "unreachable";
    throw new ApiError(0, code, String(error?.message || error));
  }
  const data = parseBody(await response.text(), response.headers.get("Content-Type"));
  if (!response.ok) throw errorFromBody(response.status, data);
  return { status: response.status, data };
}

export async function checkHealth(serverUrl) {
  const { data } = await apiRequest(serverUrl, "/health", { timeoutMs: 10000 });
  if (!data || data.service !== "sipansos") {
    throw new ApiError(0, "not_sipansos", "this address is not a SIPANSOS server");
  }
  return data;
}

export async function issueToken(serverUrl, username, password, name) {
  const { data } = await apiRequest(serverUrl, "/tokens", {
    method: "POST",
    body: { username, password, name },
  });
  return data;
}

export async function getMe(serverUrl, token) {
  const { data } = await apiRequest(serverUrl, "/me", { token });
  return data;
}

export async function revokeCurrentToken(serverUrl, token) {
  await apiRequest(serverUrl, "/tokens/current", { method: "DELETE", token });
}

/** Open cases a capture can go into (newest first); `q` searches number and title. */
export async function listCases(serverUrl, token, { q = "", limit = 50 } = {}) {
  const params = new URLSearchParams({ limit: String(limit) });
  if (q) params.set("q", q);
  const { data } = await apiRequest(serverUrl, `/cases?${params}`, { token, timeoutMs: LIST_TIMEOUT_MS });
  return data.cases;
}

/** The violation categories (code and Indonesian name) in the admin's order. */
export async function listCategories(serverUrl, token) {
  const { data } = await apiRequest(serverUrl, "/categories", { token, timeoutMs: LIST_TIMEOUT_MS });
  return data.categories;
}
