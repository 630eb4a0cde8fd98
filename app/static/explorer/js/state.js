// View state kept in the URL hash so that a link reproduces the view.
// #roles=government,knowledge&type=..&theme=..&place=..&province=..&region=..&kinds=Action&generic=1
//  &org=umcg&ego=1&from=bdrc&to=kpn&colour=community&size=betweenness&lang=en&tab=brokers
//  &match=bdrc&cand=it-hub
// The helix roles and the kinds of activity come from the served vocabulary (i18n.js): parse
// the URL once it is loaded.
import { helixRoles, activityKinds } from "./i18n.js";

export const SIZE_METRICS = ["degree", "betweenness", "effective_size"];
export const COLOUR_MODES = ["helix", "community"];
export const TABS = ["brokers", "gaps", "communities", "match", "kpis"];
/** The need of the matching tab (match.js): `need=1` when it was asked, then its fields. */
export const NEED_KEYS = ["need", "need.org", "need.team", "need.theme", "need.role", "need.type", "need.place", "need.kw"];

export function defaults() {
  return {
    roles: helixRoles(),
    type: "",
    theme: "",
    place: "",
    province: "",
    region: "",
    kinds: activityKinds(),
    generic: false,
    max: 500,
    org: "",
    ego: 0,
    from: "",
    to: "",
    colour: "helix",
    size: "degree",
    lang: "nl",
    tab: "",
    match: "",
    cand: "",
    method: "louvain",
    ...Object.fromEntries(NEED_KEYS.map((k) => [k, ""])),
  };
}

const list = (s, allowed) => (s === undefined ? [...allowed] : s.split(",").filter((x) => allowed.includes(x)));

export function parse(hash = location.hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  const d = defaults();
  const s = { ...d };
  if (p.has("roles")) s.roles = list(p.get("roles"), d.roles);
  if (p.has("kinds")) s.kinds = list(p.get("kinds"), d.kinds);
  for (const k of ["type", "theme", "place", "province", "region", "org", "from", "to", "match", "cand"]) if (p.has(k)) s[k] = p.get(k);
  for (const k of NEED_KEYS) if (p.has(k)) s[k] = p.get(k);
  if (p.has("generic")) s.generic = p.get("generic") === "1";
  if (p.has("ego")) s.ego = Math.max(0, Math.min(3, parseInt(p.get("ego"), 10) || 0));
  if (p.has("max")) s.max = Math.max(1, Math.min(100000, parseInt(p.get("max"), 10) || d.max));
  if (COLOUR_MODES.includes(p.get("colour"))) s.colour = p.get("colour");
  if (SIZE_METRICS.includes(p.get("size"))) s.size = p.get("size");
  if (["nl", "en"].includes(p.get("lang"))) s.lang = p.get("lang");
  if (TABS.includes(p.get("tab"))) s.tab = p.get("tab");
  if (["louvain", "leiden"].includes(p.get("method"))) s.method = p.get("method");
  return s;
}

export function serialise(s) {
  const d = defaults();
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) {
    const dv = d[k];
    if (Array.isArray(v)) {
      if (v.length !== dv.length || v.some((x) => !dv.includes(x))) p.set(k, v.join(","));
    } else if (typeof v === "boolean") {
      if (v !== dv) p.set(k, v ? "1" : "0");
    } else if (v !== dv && v !== "" && v !== null && v !== undefined) {
      p.set(k, String(v));
    }
  }
  const q = p.toString();
  return q ? `#${q}` : "";
}

/** Keys whose change requires fetching a new network. */
export const NETWORK_KEYS = ["roles", "type", "theme", "place", "province", "region", "kinds", "generic", "max"];

/** The filters as the API's query parameters: /network and the analytics take the same. */
export function filterParams(s) {
  return {
    helix_role: s.roles.length === helixRoles().length ? undefined : s.roles,
    org_type: s.type || undefined,
    theme: s.theme || undefined,
    place: s.place || undefined,
    province: s.province || undefined,
    region: s.region || undefined,
    kind: s.kinds.length === activityKinds().length ? undefined : s.kinds,
    include_generic: s.generic ? "true" : undefined,
  };
}

/** Whether any filter is on. */
export function filtered(s) {
  const p = filterParams(s);
  return Object.values(p).some((v) => v !== undefined);
}

export function networkParams(s) {
  return {
    ...filterParams(s),
    max_nodes: s.max,
    // A large graph opens on its strongest ties: drawing hundreds of thousands of
    // edges would freeze the page; the counts line says how many there are.
    max_edges: 4000,
  };
}
