// All user-facing text of the explorer comes from the service's catalogues
// (graph_schema/catalogue/<lang>.json, served at /api/v1/catalogue/<lang>): one catalogue
// per language for the service and the page alike. Elements carry data-i18n="key" (text),
// data-i18n-placeholder, data-i18n-title, data-i18n-aria-label; dynamic content calls
// t(key, vars). A value is a text with {name} placeholders, or its plural forms
// {"one": …, "other": …} chosen by the variable n (graph_schema/i18n.py, the same rules).

const DICT = { nl: {}, en: {} };

/** Load both catalogues before anything is drawn (the page's first await). */
export async function loadCatalogues() {
  await Promise.all(
    LANGS.map(async (l) => {
      const res = await fetch(`/api/v1/catalogue/${l}`, { headers: { Accept: "application/json" } });
      if (!res.ok) throw new Error(`catalogue ${l}: HTTP ${res.status}`);
      DICT[l] = await res.json();
    }),
  );
}

export const LANGS = ["nl", "en"];
let current = "nl";
const listeners = new Set();

export function lang() {
  return current;
}

/** The plural form for a count: exactly 1 is singular in Dutch and English. */
function pluralForm(entry, n) {
  const count = typeof n === "number" ? n : Number(String(n ?? "").replace(/[^\d,.-]/g, "").replace(/\.(?=\d{3})/g, "").replace(",", "."));
  if (count === 0 && entry.zero) return entry.zero;
  return count === 1 ? entry.one : entry.other;
}

export function t(key, vars) {
  let s = DICT[current][key] ?? DICT.nl[key] ?? key;
  if (s && typeof s === "object") s = pluralForm(s, vars ? vars.n : undefined) ?? s.other;
  if (vars) {
    s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  }
  return s;
}

/**
 * The codes of a vocabulary as the catalogue names them: vocabulary("role") lists the helix
 * roles of the keys role.<code> (graph_schema's vocabulary, worded once in the catalogue).
 */
export function vocabulary(prefix) {
  const re = new RegExp(`^${prefix}\\.([a-z_]+)$`);
  return Object.keys(DICT.nl).map((k) => (k.match(re) || [])[1]).filter(Boolean);
}

/** Format a number in the current locale. */
export function fmt(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  return Number(n).toLocaleString(current === "nl" ? "nl-NL" : "en-GB", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function setLang(l) {
  if (!LANGS.includes(l) || l === current) return false;
  current = l;
  document.documentElement.lang = l;
  applyStatic();
  for (const fn of listeners) fn(l);
  return true;
}

export function onLang(fn) {
  listeners.add(fn);
}

/** Translate all static elements marked with data-i18n* attributes. */
export function applyStatic(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll("[data-i18n-aria-label]")) el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  document.title = `${t("app.title")} — ${t("app.subtitle")}`;
}
