// Thin fetch wrapper for the helixgraph API (same origin).
// Errors (application/problem+json) become ApiError with the server's `detail`.
// Every GET names the page's language (`lang`), so that what the service writes (reasons,
// labels, findings) comes in the language on screen, whatever the browser's
// Accept-Language says.
import { lang } from "./i18n.js";

export const BASE = "/api/v1";

export class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

/** Build a query string; arrays become repeated parameters, empty values are dropped. */
export function query(params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

const cache = new Map();

/** The address of a GET on the API (for links and downloads), in the page's language. */
export function url(path, params = {}) {
  return `${BASE}${path}${query({ ...params, lang: params.lang || lang() })}`;
}

/**
 * GET a file the service writes (a table as CSV or XLSX, a report), in the page's language:
 * {blob, filename}, the name from Content-Disposition. A problem answer becomes ApiError.
 */
export function getFile(path, params = {}) {
  return fetchFile(url(path, params), { headers: { Accept: "*/*" } });
}

export async function get(path, params, { cached = false, signal } = {}) {
  const url = `${BASE}${path}${query({ ...(params || {}), lang: (params && params.lang) || lang() })}`;
  if (cached && cache.has(url)) return cache.get(url);
  const p = request(url, { signal });
  if (cached) {
    cache.set(url, p);
    p.catch(() => cache.delete(url));
  }
  return p;
}

export async function post(path, body, { signal } = {}) {
  return request(`${BASE}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}

/**
 * POST a JSON body and take the answer as a file to save (the match list's export):
 * {blob, filename}, the name from Content-Disposition when the service gives one.
 */
/** The same for a POST with a JSON body (a match's candidates as a table). */
export function postFile(path, params, body) {
  return fetchFile(`${BASE}${path}${query(params)}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "*/*" },
    body: JSON.stringify(body),
  });
}

async function fetchFile(address, init) {
  let res;
  try {
    res = await fetch(address, init);
  } catch {
    throw new ApiError("network", 0, null);
  }
  if (!res.ok) {
    const problem = await res.json().catch(() => null);
    const detail = problem && typeof problem === "object" ? problem.detail || problem.title : null;
    throw new ApiError(String(detail || `HTTP ${res.status}`), res.status, problem);
  }
  const disposition = res.headers.get("content-disposition") || "";
  const m = disposition.match(/filename\*=UTF-8''([^;]+)/i) || disposition.match(/filename="?([^";]+)"?/i);
  return { blob: await res.blob(), filename: m ? decodeURIComponent(m[1]) : null };
}

async function request(url, init = {}) {
  let res;
  try {
    res = await fetch(url, { ...init, headers: { Accept: "application/json", ...(init.headers || {}) } });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError("network", 0, null);
  }
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json().catch(() => null) : await res.text().catch(() => "");
  if (!res.ok) {
    let detail = body && typeof body === "object" ? body.detail || body.title : body;
    if (Array.isArray(detail)) detail = detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
    throw new ApiError(String(detail || `HTTP ${res.status}`), res.status, body);
  }
  return body;
}

export function clearCache() {
  cache.clear();
}
