// All user-facing text of the explorer comes from the service's catalogues
// (graph_schema/catalogue/<lang>.json, served at /api/v1/catalogue/<lang>): one catalogue
// per language for the service and the page alike. Elements carry data-i18n="key" (text),
// data-i18n-placeholder, data-i18n-title, data-i18n-aria-label; dynamic content calls
// t(key, vars). A value is a text with {name} placeholders, or its plural forms
// {"one": …, "other": …} chosen by the variable n (graph_schema/i18n.py, the same rules).

const DICT = { nl: {}, en: {} };
let VOCAB = { node_kinds: { prefix: "kind", codes: [] }, lists: {}, relations: [], helix_colours: {}, activity_links: {}, collections: {} };

/**
 * Load both catalogues and the vocabulary before anything is drawn (the page's first await).
 * The vocabulary (GET /api/v1/vocabulary) is graph_schema's: every closed list the page offers
 * (kinds, helix roles, organisation types, statuses, link roles) and every relation rule.
 */
export async function loadCatalogues() {
  const json = async (path) => {
    const res = await fetch(path, { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res.json();
  };
  await Promise.all([
    ...LANGS.map(async (l) => {
      DICT[l] = await json(`/api/v1/catalogue/${l}`);
    }),
    json("/api/v1/vocabulary").then((v) => (VOCAB = v)),
  ]);
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

/** A closed list of the served vocabulary: "node_kinds" or a field name ("helix_role", "org_type", "project_status", "participation_role", …). */
function list(name) {
  return (name === "node_kinds" ? VOCAB.node_kinds : VOCAB.lists[name]) || { prefix: name, codes: [] };
}

/** The codes of a closed list, in graph_schema's order. */
export function codes(name) {
  return [...list(name).codes];
}

/** The helix roles, in graph_schema's order. */
export function helixRoles() {
  return codes("helix_role");
}

/** The colour of a helix role wherever one is drawn (undefined for anything else). */
export function roleColour(role) {
  return VOCAB.helix_colours[role];
}

/** The kinds of activity an organisation takes part in (actions, projects, networks), in graph_schema's order. */
export function activityKinds() {
  return Object.keys(VOCAB.activity_links);
}

/** The API collection serving a kind of node: "organisations", "projects", … */
export function collection(kind) {
  return VOCAB.collections[kind];
}

/** The words for one code of a closed list, in the current language. */
export function codeText(name, code) {
  return t(`${list(name).prefix}.${code}`);
}

/** The words for a link role (penvoerder, partner, lid, …), whichever relation carries it. */
export function linkRoleText(role) {
  for (const rel of VOCAB.relations) if (rel.role_list && rel.roles.includes(role)) return codeText(rel.role_list, role);
  return role;
}

/**
 * How an organisation is linked to each kind of activity, from the relation rules:
 * { Action: { type: "PARTNER_IN", roles: null, required: false }, Project: { …, roles: "participation_role", required: true }, … }.
 */
export function activityLinks() {
  const out = {};
  for (const [kind, type] of Object.entries(VOCAB.activity_links)) {
    const rel = VOCAB.relations.find((r) => r.type === type);
    out[kind] = { type, roles: rel ? rel.role_list : null, required: Boolean(rel && rel.role_required) };
  }
  return out;
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
