// helixgraph explorer: bootstrap, URL state, filters, search, organisation panel, path finder.
import { get, getFile, url, ApiError, clearCache } from "./api.js";
import { h, $, $$, clear, debounce, download } from "./dom.js";
import { t, fmt, setLang, onLang, applyStatic, lang, loadCatalogues, codes, codeText, linkRoleText, helixRoles, activityKinds, roleColour } from "./i18n.js";
import * as S from "./state.js";
import { GraphView, OTHER_COLOUR } from "./graph.js";
import { exportGEXF, exportGraphML, exportTables, exportPNG, exportSVG } from "./export.js";
import { attachSuggest } from "./suggest.js";
import { Analysis } from "./analysis.js";
import { Matching } from "./match.js";
import { Editing } from "./edit.js";
import { Proposals } from "./proposals.js";
import { Sync } from "./sync.js";

let state = null; // parsed from the URL in init(), once the vocabulary it names is loaded
let lastHash = null;
let network = null;
let networkKey = ""; // the filters the drawn network was asked with
let themes = [];
let resolveThemes;
const themesReady = new Promise((r) => (resolveThemes = r));
const names = new Map(); // organisation id -> name (everything we have seen)
let networkSeq = 0;
let panelSeq = 0;
let egoSeq = 0;
let pathSeq = 0;
let resolveReady;
const ready = new Promise((r) => (resolveReady = r));

// ---------------------------------------------------------------- messages

const msgEl = $("#message");
let msgTimer = null;
function message(text, kind = "info", ms = kind === "error" ? 0 : 4000) {
  clearTimeout(msgTimer);
  clear(msgEl);
  msgEl.className = `message ${kind}`;
  if (!text) return;
  msgEl.dataset.kind = kind;
  msgEl.append(
    h("span.msg-text", text),
    h("button.icon-btn.msg-close", { type: "button", "aria-label": t("msg.close"), title: t("msg.close"), onclick: () => message("") }, "×"),
  );
  msgEl.classList.add("visible");
  if (ms) msgTimer = setTimeout(() => message(""), ms);
}

function errorText(e) {
  if (e instanceof ApiError && e.status === 0) return t("msg.network");
  return t("msg.error", { detail: e && e.message ? e.message : String(e) });
}

function showError(e) {
  if (e && e.name === "AbortError") return;
  console.info("helixgraph explorer:", e); // eslint-disable-line no-console
  message(errorText(e), "error");
}

let loadingTimer = null;
function loading(on, text = t("msg.loading")) {
  clearTimeout(loadingTimer);
  const el = $("#loading");
  if (!on) {
    el.hidden = true;
    return;
  }
  $("#loading-text").textContent = text;
  loadingTimer = setTimeout(() => (el.hidden = false), 150);
}

// ---------------------------------------------------------------- graph

const view = new GraphView($("#graph"), {
  onNodeClick: (id) => update({ org: id }),
  onStageClick: () => {
    if (state.org) update({ org: "", ego: 0 });
  },
});

function nodeName(id) {
  if (view.graph.hasNode(id)) return view.graph.getNodeAttribute(id, "name");
  return names.get(id) || id;
}

// ---------------------------------------------------------------- state

function writeHash() {
  const hsh = S.serialise(state);
  lastHash = hsh;
  if (hsh !== location.hash && !(hsh === "" && location.hash === "")) {
    history.replaceState(null, "", hsh || location.pathname + location.search);
  }
}

function update(patch) {
  const prev = state;
  state = { ...state, ...patch };
  writeHash();
  return apply(prev, state);
}

window.addEventListener("hashchange", () => {
  if (location.hash === lastHash) return;
  const prev = state;
  state = S.parse();
  lastHash = location.hash;
  apply(prev, state);
});

const changed = (a, b, keys) => keys.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));

async function apply(prev, next, first = false) {
  if (first || prev.lang !== next.lang) setLang(next.lang);
  syncControls();
  if (first || changed(prev, next, S.NETWORK_KEYS)) {
    renderCaption();
    if (!first) {
      forgetAnalytics();
      if (next.tab && next.tab !== "match") openTab(next.tab);
    }
    await loadNetwork();
    // Small graphs: the broker figures of this subgraph mark its articulation points.
    if (!first && network && network.total <= 5000) ensureBrokers().catch(() => {});
    return; // loadNetwork re-applies everything that depends on the graph
  }
  if (prev.colour !== next.colour || (next.colour === "community" && prev.method !== next.method)) await applyColour();
  if (prev.size !== next.size) await applySize();
  if (prev.org !== next.org) {
    view.setSelected(next.org);
    openPanel(next.org);
  }
  if (prev.org !== next.org || prev.ego !== next.ego) applyEgo();
  if (prev.from !== next.from || prev.to !== next.to) runPath();
  if (prev.tab !== next.tab || prev.method !== next.method) openTab(next.tab);
  if (changed(prev, next, ["match", ...S.NEED_KEYS])) matching.follow(); // a new question: answer it
  if (prev.cand !== next.cand) matching.highlightCandidate(next.cand);
}

/** Re-apply everything that depends on the rendered graph (after a network load). */
async function applyGraphDependent() {
  await Promise.all([applyColour(), applySize()]);
  view.setSelected(state.org);
  if (state.org && (!$("#panel").dataset.id || $("#panel").dataset.id !== state.org)) openPanel(state.org);
  else if (state.org) updatePanelNote();
  applyEgo();
  if (state.from && state.to) runPath();
  else if (state.cand) matching.highlightCandidate(state.cand);
}

// ---------------------------------------------------------------- network

async function loadNetwork() {
  const my = ++networkSeq;
  if (!state.roles.length) {
    await showNetwork({ version: 0, total: network ? network.total : 0, shown: 0, truncated: false, nodes: [], edges: [] }, my);
    message(t("msg.empty"), "info");
    return;
  }
  loading(true);
  try {
    const data = await get("/network", S.networkParams(state));
    if (my !== networkSeq) return;
    await showNetwork(data, my);
    if (!data.nodes.length) message(t("msg.empty"), "info");
    else if (msgEl.dataset.kind === "error") message("");
  } catch (e) {
    if (my !== networkSeq) return;
    showError(e);
    resolveReady();
  } finally {
    if (my === networkSeq) loading(false);
  }
}

/**
 * The service's answer is the filter's subgraph: a theme or activity-kind filter keeps the
 * organisations active in those activities (one alone in its activity too) and the ties
 * through them, as every analysis of the same filter counts them. Drawn as answered.
 */
async function showNetwork(data, my) {
  performance.mark("helix:network");
  network = data;
  networkKey = JSON.stringify(S.networkParams(state));
  for (const n of data.nodes) names.set(n.id, n.name);
  fillPlaces(data.nodes);
  const settled = view.setData(data);
  performance.mark("helix:graph");
  updateCounts();
  await applyGraphDependent();
  performance.mark("helix:ready");
  resolveReady();
  await settled;
  if (my === networkSeq) view.refresh();
}

function updateCounts() {
  const el = $("#shown-count");
  const nodes = view.graph.order;
  const edges = view.graph.size;
  const total = network ? network.total : 0;
  el.dataset.nodes = String(nodes);
  el.dataset.edges = String(edges);
  el.dataset.total = String(total);
  el.dataset.version = network ? String(network.version) : "";
  let text = `${t("count.organisations", { n: fmt(nodes) })}, ${t("count.ties", { n: fmt(edges) })}`;
  if (network && network.truncated) text += ` (${t("counts.of", { total: fmt(total) })})`;
  el.textContent = text;
  const note = $("#truncated-note");
  const edgesCut = Boolean(network && network.edges_total > network.edges.length);
  note.hidden = !(network && (network.truncated || edgesCut));
  const parts = [];
  if (network && network.truncated) parts.push(t("counts.truncated", { shown: fmt(network.shown), total: fmt(total) }));
  if (edgesCut) parts.push(t("counts.edges", { shown: fmt(network.edges.length), total: fmt(network.edges_total) }));
  note.textContent = parts.join(" ");
  renderCaption();
}

// ---------------------------------------------------------------- caption

/** Which filter is on, in the page's language, with names as the agenda writes them. */
function captionText(s = state) {
  const parts = [];
  if (s.theme) parts.push(t("caption.theme", { name: themeName(s.theme) }));
  if (!s.roles.length) parts.push(t("caption.noRoles"));
  else if (s.roles.length !== helixRoles().length) parts.push(t("caption.roles", { n: s.roles.length, names: listing(s.roles.map((r) => t(`role.${r}`))) }));
  if (s.type) parts.push(t("caption.type", { name: t(`type.${s.type}`) }));
  if (s.place) parts.push(t("caption.place", { name: s.place }));
  if (s.province) parts.push(t("caption.province", { name: s.province }));
  if (s.region) parts.push(t("caption.region", { name: s.region }));
  if (s.kinds.length !== activityKinds().length) parts.push(t("caption.kinds", { n: s.kinds.length, names: listing(s.kinds.map((k) => t(`kind.${k}`))) }));
  if (s.generic) parts.push(t("caption.generic"));
  return parts.length ? parts.join(" · ") : t("caption.none");
}

/** "a, b en c" in the page's language. */
function listing(items) {
  if (items.length < 2) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${t("common.and")} ${items[items.length - 1]}`;
}

function themeName(id) {
  const th = themes.find((x) => x.id === id);
  return th ? th.name : id;
}

/** The filter and, once its subgraph is drawn, how many organisations it holds. */
function renderCaption() {
  const el = $("#filter-caption");
  const drawn = Boolean(network) && networkKey === JSON.stringify(S.networkParams(state));
  const orgs = drawn ? (network.truncated ? network.total : view.graph.order) : null;
  el.textContent = drawn ? t("caption.counted", { filter: captionText(), orgs: t("count.organisations", { n: fmt(orgs) }) }) : captionText();
  el.dataset.filtered = S.filtered(state) ? "1" : "0";
  el.dataset.nodes = drawn ? String(orgs) : "";
  updateReportLinks();
}

const placesSeen = new Set();
function fillPlaces(nodes) {
  let added = false;
  for (const n of nodes) {
    if (n.place && !placesSeen.has(n.place)) {
      placesSeen.add(n.place);
      added = true;
    }
  }
  if (!added) return;
  const dl = clear($("#places"));
  [...placesSeen].sort((a, b) => a.localeCompare(b)).forEach((p) => dl.append(h("option", { value: p })));
}

// ---------------------------------------------------------------- colour & size

/** The analytics of the filtered subgraph: the same filter parameters as /network. */
function analyticsParams(extra = {}) {
  return { ...S.filterParams(state), ...extra, lang: lang() };
}

let communitiesCache = new Map();
function ensureCommunities(method = state.method) {
  if (!communitiesCache.has(method)) {
    const p = get("/analytics/communities", analyticsParams({ method }));
    communitiesCache.set(method, p);
    p.catch(() => communitiesCache.delete(method));
  }
  return communitiesCache.get(method);
}

let brokersPromise = null;
let brokersById = null;
/** Filters or language changed: every analysis is asked again, for the new subgraph. */
function forgetAnalytics() {
  communitiesCache = new Map();
  brokersPromise = null;
  brokersById = null;
  view.setArticulation([]);
  analysis.forget();
}

function ensureBrokers() {
  if (!brokersPromise) {
    brokersPromise = get("/analytics/brokers", analyticsParams()).then((data) => {
      brokersById = new Map();
      for (const r of data.rows || []) {
        brokersById.set(r.id, r);
        names.set(r.id, r.name);
      }
      view.setArticulation((data.rows || []).filter((r) => r.is_articulation_point).map((r) => r.id));
      renderLegend();
      return data;
    });
    brokersPromise.catch(() => (brokersPromise = null));
  }
  return brokersPromise;
}

async function applyColour() {
  if (state.colour === "community") {
    try {
      const c = await ensureCommunities(state.method);
      if (state.colour !== "community") return;
      view.setColourMode("community", c);
    } catch (e) {
      showError(e);
      view.setColourMode("helix");
    }
  } else view.setColourMode("helix");
  renderLegend();
}

async function applySize() {
  if (state.size === "degree") {
    view.setSizeMetric("degree");
    return;
  }
  try {
    await ensureBrokers();
    view.setSizeMetric(state.size, brokersById);
  } catch (e) {
    showError(e);
  }
}

function renderLegend() {
  const ul = clear($("#legend"));
  if (state.colour === "community" && view.membership) {
    const list = [...view.communityColour.entries()];
    communitiesCache.get(state.method)?.then((c) => {
      const byId = new Map((c.communities || []).map((x) => [x.id, x]));
      clear(ul);
      for (const [cid, col] of list) {
        const com = byId.get(cid);
        const sw = h("span.swatch", { "aria-hidden": "true" });
        sw.style.background = col;
        ul.append(h("li", { dataset: { colour: col } }, sw, h("span", `${t("legend.community", { id: cid })}${com ? ` (${fmt(com.size)})` : ""}`)));
      }
      const sw = h("span.swatch", { "aria-hidden": "true" });
      sw.style.background = OTHER_COLOUR;
      ul.append(h("li", sw, h("span", t("legend.isolate"))));
      legendExtras(ul);
    });
    return;
  }
  for (const role of helixRoles()) {
    ul.append(h("li", { dataset: { colour: roleColour(role) } }, h(`span.swatch.role-bg-${role}`, { "aria-hidden": "true" }), h("span", t(`role.${role}`))));
  }
  legendExtras(ul);
}

function legendExtras(ul) {
  if (view.articulation.size) ul.append(h("li", h("span.swatch.ring", { "aria-hidden": "true" }), h("span", t("legend.articulation"))));
  if (view.pathNodes.size) ul.append(h("li", h("span.swatch.path", { "aria-hidden": "true" }), h("span", t("legend.path"))));
}

// ---------------------------------------------------------------- filters

function buildFilters() {
  const helix = clear($("#filter-helix"));
  for (const role of helixRoles()) {
    const id = `filter-helix-${role}`;
    helix.append(
      h("div.check",
        h("input", { type: "checkbox", id, value: role, "data-testid": id, onchange: onHelixChange }),
        h("label", { for: id }, h(`span.swatch.role-bg-${role}`, { "aria-hidden": "true" }), h("span", { "data-i18n": `role.${role}` }, t(`role.${role}`))),
      ),
    );
  }
  const kind = clear($("#filter-kind"));
  for (const k of activityKinds()) {
    const id = `filter-kind-${k}`;
    kind.append(
      h("div.check",
        h("input", { type: "checkbox", id, value: k, "data-testid": id, onchange: onKindChange }),
        h("label", { for: id, "data-i18n": `kind.${k}` }, t(`kind.${k}`)),
      ),
    );
  }
  fillOrgTypes();
  fillThemes();
  $("#filter-org-type").addEventListener("change", (e) => update({ type: e.target.value }));
  $("#filter-theme").addEventListener("change", (e) => update({ theme: e.target.value }));
  const place = $("#filter-place");
  const applyPlace = () => {
    const v = place.value.trim();
    if (v !== state.place) update({ place: v });
  };
  place.addEventListener("change", applyPlace);
  place.addEventListener("input", debounce(applyPlace, 500));
  place.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      applyPlace();
    }
  });
  $("#filter-generic").addEventListener("change", (e) => update({ generic: e.target.checked }));
  $("#filters-reset").addEventListener("click", () => {
    const d = S.defaults();
    update({ roles: d.roles, kinds: d.kinds, type: "", theme: "", place: "", province: "", region: "", generic: false });
  });
  $("#colour-mode").addEventListener("change", (e) => update({ colour: e.target.value }));
  $("#size-metric").addEventListener("change", (e) => update({ size: e.target.value }));
}

function onHelixChange() {
  update({ roles: helixRoles().filter((r) => $(`#filter-helix-${r}`).checked) });
}
function onKindChange() {
  update({ kinds: activityKinds().filter((k) => $(`#filter-kind-${k}`).checked) });
}

function fillOrgTypes() {
  const sel = clear($("#filter-org-type"));
  sel.append(h("option", { value: "" }, t("filters.all")));
  codes("org_type").map((k) => [k, codeText("org_type", k)])
    .sort((a, b) => a[1].localeCompare(b[1], lang()))
    .forEach(([k, label]) => sel.append(h("option", { value: k }, label)));
  sel.value = state.type;
}

function fillThemes() {
  for (const sel of [$("#filter-theme")]) {
    const cur = sel.value;
    clear(sel);
    sel.append(h("option", { value: "" }, sel.id === "filter-theme" ? t("filters.all") : t("match.any")));
    for (const th of themes) sel.append(h("option", { value: th.id }, th.name));
    sel.value = sel.id === "filter-theme" ? state.theme : cur;
  }
}

function syncControls() {
  for (const r of helixRoles()) $(`#filter-helix-${r}`).checked = state.roles.includes(r);
  for (const k of activityKinds()) $(`#filter-kind-${k}`).checked = state.kinds.includes(k);
  $("#filter-org-type").value = state.type;
  if (themes.length || !state.theme) $("#filter-theme").value = state.theme;
  if (document.activeElement !== $("#filter-place")) $("#filter-place").value = state.place;
  $("#filter-generic").checked = state.generic;
  $("#colour-mode").value = state.colour;
  $("#size-metric").value = state.size;
  $("#ego-depth").value = String(state.ego);
  $("#community-method").value = state.method;
}

// ---------------------------------------------------------------- search

function setupSearch() {
  const input = $("#search");
  attachSuggest(input, {
    list: $("#search-results"),
    limit: 10,
    onError: showError,
    onPick: (o) => {
      names.set(o.id, o.name);
      focusOrg(o.id);
    },
  });
}

function focusOrg(id) {
  if (!id) return;
  update({ org: id });
  if (!view.focus(id)) updatePanelNote();
}

// ---------------------------------------------------------------- panel

function closePanel() {
  update({ org: "", ego: 0 });
}

function updatePanelNote() {
  const note = $("#panel-note");
  const outside = !!state.org && !view.graph.hasNode(state.org) && !!network;
  note.hidden = !outside;
  note.textContent = outside ? t("panel.notInView") : "";
}

async function openPanel(id) {
  const panel = $("#panel");
  const my = ++panelSeq;
  if (!id) {
    panel.hidden = true;
    delete panel.dataset.id;
    document.body.classList.remove("panel-open");
    return;
  }
  panel.hidden = false;
  panel.dataset.id = id;
  document.body.classList.add("panel-open");
  $("#panel-title").textContent = nodeName(id);
  const dot = $("#panel-dot");
  const attrs = view.graph.hasNode(id) ? view.graph.getNodeAttributes(id) : null;
  dot.className = `role-dot role-${attrs ? attrs.helix_role : "none"}`;
  clear($("#panel-meta"));
  $("#panel-desc").textContent = "";
  if (editing) editing.panel(null); // no edit control until this organisation is read
  clear($("#panel-links")).append(h("li.muted", t("panel.loading")));
  clear($("#panel-brokerage")).append(h("p.muted", t("panel.loading")));
  updatePanelNote();
  try {
    const [org, links] = await Promise.all([get(`/organisations/${encodeURIComponent(id)}`), get(`/organisations/${encodeURIComponent(id)}/links`)]);
    if (my !== panelSeq) return;
    names.set(org.id, org.name);
    renderPanel(org, links);
  } catch (e) {
    if (my !== panelSeq) return;
    clear($("#panel-links"));
    clear($("#panel-brokerage"));
    showError(e);
  }
  try {
    await ensureBrokers();
    if (my !== panelSeq) return;
    renderBrokerage(id);
  } catch (e) {
    if (my === panelSeq) clear($("#panel-brokerage")).append(h("p.muted", t("panel.brokerage.none")));
  }
}

let panelData = null;
function renderPanel(org, links) {
  panelData = { org, links };
  $("#panel-title").textContent = org.name;
  $("#panel-dot").className = `role-dot role-${org.helix_role}`;
  const meta = clear($("#panel-meta"));
  const row = (k, v) => v && meta.append(h("div.meta-row", h("dt", t(k)), h("dd", v)));
  if (org.aliases && org.aliases.length) row("panel.aliases", org.aliases.join(", "));
  row("panel.role", h("span.chips",
    h(`span.chip.role-chip.role-bg-${org.helix_role}`, t(`role.${org.helix_role}`)),
    (org.secondary_roles || []).map((r) => h(`span.chip.chip-outline.role-border-${r}`, t(`role.${r}`))),
  ));
  row("panel.type", org.org_type ? t(`type.${org.org_type}`) : "");
  row("panel.place", org.place || "");
  // the service takes only http(s) addresses; the check keeps any other scheme out of an href
  if (/^https?:\/\//.test(org.website || "")) {
    row("panel.website", h("a", { href: org.website, target: "_blank", rel: "noopener noreferrer", "data-testid": "panel-website" }, org.website.replace(/^https?:\/\//, "")));
  }
  if (view.graph.hasNode(org.id)) row("panel.degree", fmt(view.graph.degree(org.id)));
  $("#panel-desc").textContent = org.description || "";
  if (editing) editing.panel(null); // the links are drawn below; the edit controls follow them

  const ul = clear($("#panel-links"));
  const list = Array.isArray(links) ? links : links.data || [];
  if (!list.length) ul.append(h("li.muted", t("panel.links.none")));
  const order = Object.fromEntries(activityKinds().map((k, i) => [k, i]));
  list
    .slice()
    .sort((a, b) => (order[a.node.label] ?? 9) - (order[b.node.label] ?? 9) || String(a.node.name).localeCompare(String(b.node.name)))
    .forEach((l) => {
      const prov = l.provenance || {};
      ul.append(
        h("li.link", { dataset: { id: l.node.id, type: l.type } },
          h("div.link-head",
            h(`span.kind.kind-${l.node.label}`, t(`kind.${l.node.label}`)),
            h("span.link-name", l.node.name || l.node.id),
            l.role && l.role !== "connected" ? h("span.link-role", roleText(l.role)) : null,
          ),
          prov.quote ? h("blockquote.quote", `“${prov.quote}”`) : h("p.quote.muted", "–"),
          prov.section || prov.source ? h("p.source", `${t("panel.source")}: ${[prov.source, prov.section].filter(Boolean).join(" — ")}`) : null,
        ),
      );
    });
  if (editing) editing.panel(org);
}

/**
 * After a write: every cache is stale. Draw the new version of the network, its counts
 * and analyses, and the panel of `focus` (the organisation written; "" closes the panel).
 */
async function afterWrite({ focus } = {}) {
  clearCache();
  forgetAnalytics();
  if (focus !== undefined && focus !== state.org) {
    state = { ...state, org: focus || "", ego: focus ? state.ego : 0 };
    writeHash();
  }
  delete $("#panel").dataset.id; // the panel is read again
  editing.panel(null); // its edit controls come back with the new version
  await loadNetwork();
  if (!state.org) openPanel("");
  else if ($("#panel").dataset.id !== state.org || !panelData || panelData.org.id !== state.org) await openPanel(state.org);
  view.setSelected(state.org);
  if (state.tab && state.tab !== "match") openTab(state.tab);
}

/** A participation role (penvoerder, partner) or membership, from the served vocabulary. */
const roleText = linkRoleText;

function renderBrokerage(id) {
  const box = clear($("#panel-brokerage"));
  const r = brokersById && brokersById.get(id);
  if (!r) {
    box.append(h("p.muted", t("panel.brokerage.none")));
    return;
  }
  const items = [
    ["metric.rank", `${fmt(r.rank)}`],
    ["metric.betweenness", fmt(r.betweenness, 3)],
    ["metric.effective_size", fmt(r.effective_size, 1)],
    ["metric.constraint", fmt(r.constraint, 3)],
    ["metric.brokerage", r.brokerage ? fmt(r.brokerage.total) : "–"],
    ["metric.articulation", r.is_articulation_point ? t("metric.articulation.yes", { n: fmt(r.cut_off || 0) }) : t("metric.articulation.no")],
  ];
  box.append(
    h("dl.metrics", items.map(([k, v]) => h("div.metric", { dataset: { metric: k.split(".")[1] } }, h("dt", t(k)), h("dd", v)))),
    r.reason ? h("p.reason", r.reason) : null,
  );
}

async function applyEgo() {
  const my = ++egoSeq;
  const box = $("#panel-ego-info");
  if (!state.org || !state.ego) {
    view.setSpotlight(null);
    box.textContent = "";
    return;
  }
  try {
    // The neighbourhood is two-mode (organisation – activity – organisation): two API steps
    // make one organisation step; further steps follow the collaboration ties on the graph.
    const nb = await get(`/organisations/${encodeURIComponent(state.org)}/neighbourhood`, { depth: 2 });
    if (my !== egoSeq) return;
    const ids = new Set([state.org]);
    for (const n of nb.nodes || []) if (!n.label || n.label === "Organisation") ids.add(n.id);
    for (const n of nb.nodes || []) if (n.name) names.set(n.id, n.name);
    const g = view.graph;
    for (let d = 1; d < state.ego; d++) {
      for (const id of [...ids]) if (g.hasNode(id)) g.forEachNeighbor(id, (m) => ids.add(m));
    }
    view.setSpotlight(ids);
    box.textContent = t("panel.ego.info", { orgs: t("count.organisations", { n: ids.size }), steps: t("count.steps", { n: state.ego }) });
    view.fit([...ids]);
  } catch (e) {
    if (my === egoSeq) showError(e);
  }
}

function setupPanel() {
  $("#panel-close").addEventListener("click", closePanel);
  $("#ego-depth").addEventListener("change", (e) => update({ ego: parseInt(e.target.value, 10) || 0 }));
  $("#panel-match").addEventListener("click", () => {
    if (!state.org) return;
    matching.setOrg(state.org, nodeName(state.org));
    update({ tab: "match", match: state.org, cand: "" });
  });
  $("#panel-path").addEventListener("click", () => {
    if (!state.org) return;
    fromSuggest.set(state.org, nodeName(state.org));
    $("#path-to").focus();
  });
}

// ---------------------------------------------------------------- path finder

let fromSuggest;
let toSuggest;
let lastPath = null;

function setupPath() {
  const isId = (q) => (view.graph.hasNode(q) ? { id: q, name: nodeName(q) } : null);
  fromSuggest = attachSuggest($("#path-from"), { onError: showError, isId });
  toSuggest = attachSuggest($("#path-to"), { onError: showError, isId });
  $("#path-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const [a, b] = await Promise.all([fromSuggest.resolve(), toSuggest.resolve()]);
      if (!a || !b) {
        const missing = !a ? $("#path-from").value : $("#path-to").value;
        renderPathMessage(missing.trim() ? t("path.unknown", { q: missing.trim() }) : t("path.needBoth"));
        return;
      }
      names.set(a.id, a.name);
      names.set(b.id, b.name);
      if (a.id === state.from && b.id === state.to) runPath();
      else update({ from: a.id, to: b.id, cand: "" });
    } catch (err) {
      showError(err);
    }
  });
  $("#path-clear").addEventListener("click", () => {
    fromSuggest.set("", "");
    toSuggest.set("", "");
    update({ from: "", to: "" });
  });
}

function renderPathMessage(text) {
  clear($("#path-result"));
  $("#path-summary").textContent = text;
}

async function runPath() {
  const my = ++pathSeq;
  if (!state.from || !state.to) {
    lastPath = null;
    clear($("#path-result"));
    $("#path-summary").textContent = "";
    setHighlight([], [], "path");
    return;
  }
  if (!$("#path-from").dataset.id || $("#path-from").dataset.id !== state.from) fromSuggest.set(state.from, nodeName(state.from));
  if (!$("#path-to").dataset.id || $("#path-to").dataset.id !== state.to) toSuggest.set(state.to, nodeName(state.to));
  $("#path-summary").textContent = t("common.loading");
  try {
    const paths = await get("/paths", { from: state.from, to: state.to });
    if (my !== pathSeq) return;
    lastPath = paths;
    renderPath(paths);
  } catch (e) {
    if (my !== pathSeq) return;
    renderPathMessage("");
    showError(e);
  }
}

function renderPath(paths) {
  const ol = clear($("#path-result"));
  const list = Array.isArray(paths) ? paths : paths.data || [];
  if (!list.length) {
    $("#path-summary").textContent = t("path.none");
    setHighlight([], [], "path");
    return;
  }
  const p = list[0];
  const orgs = p.nodes.filter((n) => !n.label || n.label === "Organisation");
  orgs.forEach((n) => names.set(n.id, n.name));
  $("#path-summary").textContent = t("path.summary", { steps: t("count.steps", { n: p.hops.length }), a: orgs[0]?.name || state.from, b: orgs[orgs.length - 1]?.name || state.to });
  p.hops.forEach((hop, i) => {
    const quote = (hop.relationships || []).map((r) => r.provenance && r.provenance.quote).find(Boolean);
    ol.append(
      h("li.hop", { dataset: { source: hop.source.id, target: hop.target.id } },
        h("div.hop-orgs",
          h("button.linklike", { type: "button", onclick: () => focusOrg(hop.source.id) }, hop.source.name),
          h("span.hop-arrow", { "aria-hidden": "true" }, " ↔ "),
          h("button.linklike", { type: "button", onclick: () => focusOrg(hop.target.id) }, hop.target.name),
        ),
        h("div.hop-via", `${t("path.via")} `, (hop.via || []).map((v, j) => [j ? ", " : "", h(`span.kind.kind-${v.label}`, t(`kind.${v.label}`)), " ", h("span.via-name", v.name)])),
        quote ? h("blockquote.quote", `“${quote}”`) : null,
      ),
    );
  });
  if (list.length > 1) {
    const alt = h("li.hop.alt", list.slice(1, 4).map((q, i) => h("div.muted", `${t("path.alt", { n: i + 1 })}: ${q.summary}`)));
    ol.append(alt);
  }
  setHighlight(orgs.map((n) => n.id), p.hops.map((hop) => [hop.source.id, hop.target.id]), "path");
  view.fit(orgs.map((n) => n.id));
}

let highlightOwner = null; // "path" | "cand" | null
function setHighlight(ids, pairs, owner = null) {
  if (!ids.length && owner && highlightOwner && owner !== highlightOwner) return; // someone else's highlight
  highlightOwner = ids.length ? owner : null;
  view.setPath(ids, pairs);
  renderLegend();
}

// ---------------------------------------------------------------- tabs

function openTab(tab) {
  const dockBody = $("#dock-body");
  for (const b of $$("#tabs [role=tab]")) {
    const on = b.dataset.tab === tab;
    b.setAttribute("aria-selected", on ? "true" : "false");
    b.tabIndex = on || (!tab && b.dataset.tab === "brokers") ? 0 : -1;
  }
  for (const p of $$(".tabpanel")) p.hidden = p.id !== `tp-${tab}`;
  dockBody.hidden = !tab;
  $("#dock-close").hidden = !tab;
  document.body.classList.toggle("dock-open", !!tab);
  if (tab) analysis.show(tab);
}

function setupTabs() {
  const tabs = $$("#tabs [role=tab]");
  tabs.forEach((b, i) => {
    b.addEventListener("click", () => update({ tab: state.tab === b.dataset.tab ? "" : b.dataset.tab }));
    b.addEventListener("keydown", (e) => {
      let j = null;
      if (e.key === "ArrowRight") j = (i + 1) % tabs.length;
      else if (e.key === "ArrowLeft") j = (i - 1 + tabs.length) % tabs.length;
      if (j !== null) {
        e.preventDefault();
        tabs[j].focus();
        update({ tab: tabs[j].dataset.tab });
      }
    });
  });
  $("#dock-close").addEventListener("click", () => update({ tab: "" }));
}

// ---------------------------------------------------------------- exports

/** The title, caption, legend, date and version that frame every exported picture and table. */
function figure() {
  const date = new Date().toLocaleDateString(lang() === "nl" ? "nl-NL" : "en-GB", { day: "numeric", month: "long", year: "numeric" });
  const legend = $$("#legend li").map((li) => ({
    colour: li.dataset.colour || (li.querySelector(".path") ? "#111827" : null),
    ring: Boolean(li.querySelector(".ring")),
    label: li.textContent.trim(),
  }));
  return {
    name: S.filtered(state) ? captionText() : t("caption.none"),
    title: t("export.figure.title"),
    caption: captionText(),
    counts: $("#shown-count").textContent,
    legend,
    stamp: t("export.figure.stamp", { date, v: network ? network.version : "–" }),
    source: t("export.figure.source"),
  };
}

/**
 * The organisations of the view, for the CSV button when no analysis tab is open: the one
 * table the page writes itself (the analysis tabs' tables come from the service).
 */
function currentTables() {
  const rows = [];
  view.graph.forEachNode((id, a) => rows.push({ id, ...a, degree: view.graph.degree(id) }));
  rows.sort((x, y) => y.degree - x.degree || String(x.name).localeCompare(String(y.name)));
  return {
    what: t("export.table.organisations"),
    tables: [{
      title: t("export.table.organisations"),
      columns: [
        [t("csv.id"), (r) => r.id], [t("csv.name"), (r) => r.name], [t("panel.role"), (r) => t(`role.${r.helix_role}`)],
        [t("panel.type"), (r) => (r.org_type ? t(`type.${r.org_type}`) : "")], [t("panel.place"), (r) => r.place],
        [t("metric.degree"), (r) => r.degree],
      ],
      rows,
    }],
  };
}

/** Download a table the service writes — CSV for Excel or a workbook — for the page's filters. */
async function downloadTable(table, format, extra = {}) {
  try {
    const { blob, filename } = await getFile(`/analytics/tables/${table}`, analyticsParams({ ...extra, format }));
    const file = filename || `helixgraph-${table}-${new Date().toISOString().slice(0, 10)}.${format}`;
    download(file, blob);
    message(t("export.done", { file }));
  } catch (e) {
    if (e && e.name === "AbortError") return;
    message(t("export.failed", { file: `${table}.${format}`, detail: errorText(e) }), "error");
  }
}

/** A CSV and an Excel button for one of the service's tables (the analysis tabs show them). */
function tableLinks(table, extra = {}) {
  const button = (format) =>
    h("button.btn.btn-small", {
      type: "button",
      "data-testid": `table-${table}-${format}`,
      title: t(`export.table.${format}.title`),
      onclick: () => downloadTable(table, format, extra),
    }, t(`export.table.${format}`));
  return h("span.table-links", { role: "group" }, button("csv"), button("xlsx"));
}

/** The report follows the filters and the language. */
function updateReportLinks() {
  const params = { ...analyticsParams() };
  $("#report-pdf").href = url("/analytics/report", { ...params, format: "pdf" });
  $("#report-html").href = url("/analytics/report", { ...params, format: "html" });
  $("#report-links").hidden = false;
}

function exportCurrentTables() {
  const fromTab = analysis.tableFor(state.tab);
  if (fromTab) return downloadTable(fromTab.table, "csv", fromTab.params);
  if (state.tab === "match" && matching.rows().length) return matching.exportList("csv"); // the service writes the list
  const { what, tables } = currentTables();
  const fig = figure();
  const file = exportTables(`${what} ${fig.name}`, tables, { lang: lang(), heading: [`${what} — ${fig.caption}`, fig.stamp] });
  message(t("export.done", { file }));
}

function setupExports() {
  $("#export-gexf").addEventListener("click", () => message(t("export.done", { file: exportGEXF(view.graph, `${captionText()} — ${figure().stamp}`) })));
  $("#export-graphml").addEventListener("click", () => message(t("export.done", { file: exportGraphML(view.graph, `${captionText()} — ${figure().stamp}`) })));
  $("#export-csv").addEventListener("click", () => {
    try {
      exportCurrentTables();
    } catch (e) {
      showError(e);
    }
  });
  $("#export-png").addEventListener("click", async () => {
    try {
      message(t("export.done", { file: await exportPNG(view.renderer, figure()) }));
    } catch (e) {
      showError(e);
    }
  });
  $("#export-svg").addEventListener("click", () => {
    try {
      message(t("export.done", { file: exportSVG(view.renderer, figure()) }));
    } catch (e) {
      showError(e);
    }
  });
  $("#zoom-in").addEventListener("click", () => view.zoom(1 / 1.5));
  $("#zoom-out").addEventListener("click", () => view.zoom(1.5));
  $("#zoom-reset").addEventListener("click", () => view.fit(null));
}

// ---------------------------------------------------------------- keyboard & language

function setupKeyboard() {
  document.addEventListener("keydown", (e) => {
    const tag = (e.target.tagName || "").toLowerCase();
    const typing = tag === "input" || tag === "textarea" || tag === "select" || e.target.isContentEditable;
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      $("#search").focus();
      $("#search").select();
    } else if (e.key === "Escape") {
      if (typing && e.target.getAttribute("aria-expanded") === "true") return;
      if (msgEl.classList.contains("visible") && msgEl.dataset.kind === "error") message("");
      else if (state.org) closePanel();
      else if (state.tab) update({ tab: "" });
      else if (view.pathNodes.size || view.spotlight) {
        view.setSpotlight(null);
        update({ from: "", to: "", cand: "" });
      }
    }
  });
  $("#lang-toggle").addEventListener("click", () => update({ lang: lang() === "nl" ? "en" : "nl" }));
}

onLang(() => {
  fillOrgTypes();
  fillThemes();
  updateCounts();
  renderCaption();
  // What the service writes (reasons, labels) comes in the new language: ask again.
  forgetAnalytics();
  if (state.tab && state.tab !== "match") openTab(state.tab);
  if (network && network.total <= 5000) ensureBrokers().catch(() => {});
  renderLegend();
  $("#graph").setAttribute("aria-label", t("app.subtitle"));
  if (panelData && state.org === panelData.org.id) {
    renderPanel(panelData.org, panelData.links);
    renderBrokerage(state.org);
  }
  if (lastPath) renderPath(lastPath);
  matching.relabel();
});

// ---------------------------------------------------------------- bootstrap

const ctx = {
  get state() {
    return state;
  },
  view,
  names,
  update,
  message,
  showError,
  focusOrg,
  nodeName,
  ensureBrokers,
  ensureCommunities,
  analyticsParams,
  caption: () => captionText(),
  listing,
  tableLinks,
  setHighlight,
  themes: () => themes,
  themesReady,
  attachSuggest,
};
const analysis = new Analysis(ctx);
const matching = new Matching(ctx);
const editing = new Editing({
  ...ctx,
  get state() {
    return state;
  },
  afterWrite,
  rerenderPanel: () => {
    if (panelData && state.org === panelData.org.id) renderPanel(panelData.org, panelData.links);
  },
});
const proposals = new Proposals(editing);
const sync = new Sync(editing);

window.helixExplorer = {
  ready,
  nodeCount: () => view.graph.order,
  edgeCount: () => view.graph.size,
  state: () => JSON.parse(JSON.stringify(state)),
  focus: (id) => focusOrg(id),
  highlighted: () => view.highlighted(),
  frameStats: () => view.frameStats(),
};
Object.defineProperty(window.helixExplorer, "_view", { value: view, enumerable: false }); // debugging aid

async function init() {
  await loadCatalogues();
  state = S.parse();
  buildFilters();
  setupSearch();
  setupPanel();
  setupPath();
  setupTabs();
  setupExports();
  setupKeyboard();
  editing.setup();
  proposals.setup();
  sync.setup();
  setLang(state.lang);
  applyStatic();
  fillOrgTypes();
  fillThemes();
  renderLegend();
  writeHash();
  get("/themes", { limit: 200 }, { cached: true })
    .then((res) => {
      themes = (res.data || []).map((x) => ({ id: x.id, name: x.name }));
      fillThemes();
      syncControls();
      renderCaption();
      resolveThemes();
    })
    .catch((e) => {
      resolveThemes();
      showError(e);
    });
  apply(S.defaults(), state, true)
    .then(() => {
      // Small graphs: fetch the broker figures in the background to mark articulation points.
      if (network && network.total <= 5000) setTimeout(() => ensureBrokers().catch(() => {}), 300);
    })
    .catch(showError);
  // The network request is in flight: compile the WebGL shaders meanwhile.
  view.ensureRenderer();
  if (state.tab) openTab(state.tab);
  matching.restore(); // the need or the organisation to match, from the URL
}

init().catch((err) => {
  // Without the catalogue there is no text to show: say so in both languages.
  document.body.prepend(Object.assign(document.createElement("p"), { role: "alert", textContent: `De teksten konden niet worden geladen / texts could not be loaded: ${err.message}` }));
});
