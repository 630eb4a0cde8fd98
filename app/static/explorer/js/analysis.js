// Analysis tabs: brokers table, gap heatmaps and missing roles, communities, KPIs — each
// computed by the service on the subgraph of the page's filters (ctx.analyticsParams()),
// each saying which filter it was computed on (the service's `filters.caption`). Their
// tables are downloaded from the service (/analytics/tables/{table}), never written here.
import { get } from "./api.js";
import { h, $, clear } from "./dom.js";
import { t, fmt, helixRoles, activityKinds, collection } from "./i18n.js";
import { communityPalette, OTHER_COLOUR } from "./graph.js";

/** Activities of the missing-role list asked per page ("meer tonen" asks the next). */
const MISSING_PAGE = 20;

/** The service's table behind each tab's CSV/Excel download (the gaps tab: its list). */
export const TAB_TABLES = { brokers: "brokers", gaps: "missing-roles", communities: "communities", kpis: "kpis" };

const KPI_KEYS = [
  ["organisations", 0], ["ties", 0], ["density", 3], ["average_degree", 1], ["cross_helix_share", "%"],
  ["isolated", 0], ["components", 0], ["largest_component_share", "%"], ["actions", 0],
  ["actions_with_all_four_roles", 0], ["helix_completeness", "%"],
];

/** Diverging colour for observed/expected: blue below, orange above (colour-blind safe). */
function ratioColour(obs, exp) {
  if (!(exp > 0)) return { bg: obs > 0 ? "#F6D9A8" : "#F3F4F6", fg: "#1F2933" };
  const r = obs / exp;
  const v = Math.max(-1, Math.min(1, Math.log2(Math.max(r, 0.125)) / 2));
  const base = v < 0 ? [0, 114, 178] : [230, 159, 0];
  const k = Math.abs(v) * 0.85;
  const c = base.map((x) => Math.round(255 + (x - 255) * k));
  const dark = v < -0.55;
  return { bg: `rgb(${c.join(",")})`, fg: dark ? "#FFFFFF" : "#1F2933" };
}

export class Analysis {
  constructor(ctx) {
    this.ctx = ctx;
    this.brokers = null;
    this.sort = { key: "rank", dir: 1 };
    this.gaps = null;
    this.gapSel = null;
    this.activityNames = null;
    this.communities = null;
    this.kpis = null;
    this.compare = null;
    this.current = "";
    this.gapFilter = ""; // "" | a helix role: the list "zonder …" (missing_role)
    this.missing = null; // {rows, total, has_more, weak_industry, role} as paged so far
    this.names = new Map(); // ids of themes and activities -> names, from the answers
    this.seq = 0;
    $("#community-method").addEventListener("change", (e) => ctx.update({ method: e.target.value }));
    $("#community-colour").addEventListener("click", () => ctx.update({ colour: "community" }));
  }

  brokerRows() {
    return this.sortedBrokers();
  }

  /** The filters changed: every tab is computed again on the new subgraph. */
  forget() {
    this.seq++;
    this.brokers = null;
    this.gaps = null;
    this.gapSel = null;
    this.communities = null;
    this.kpis = null;
    this.compare = null;
    this.missing = null;
  }

  /** Names the service sent with an answer (themes and activities as the agenda writes them). */
  learn(answer) {
    for (const [id, name] of Object.entries((answer && answer.names) || {})) this.names.set(id, name);
  }

  /**
   * The line above a tab's figures: the filter the service computed them on, in its words,
   * and how many organisations that subgraph holds.
   */
  renderCaption(tab, answer, orgs) {
    const panel = $(`#tp-${tab}`);
    let el = $(`#tab-caption-${tab}`);
    if (!el) {
      el = h(`p.tab-caption#tab-caption-${tab}`, { "data-testid": `tab-caption-${tab}` });
      panel.prepend(h("div.tab-head", el));
    }
    const caption = (answer && answer.filters && answer.filters.caption) || "";
    el.textContent = orgs === undefined || orgs === null ? caption : t("caption.counted", { filter: caption, orgs: t("count.organisations", { n: fmt(orgs) }) });
    el.dataset.orgs = orgs === undefined || orgs === null ? "" : String(orgs);
    // the tab's table from the service (the gaps tab has a pair beside each of its tables)
    el.parentElement.querySelector(".table-links")?.remove();
    const table = this.tableFor(tab);
    if (table && tab !== "gaps") el.after(this.ctx.tableLinks(table.table, table.params));
  }

  show(tab) {
    this.current = tab;
    const run = {
      brokers: () => this.loadBrokers(),
      gaps: () => this.loadGaps(),
      communities: () => this.loadCommunities(),
      kpis: () => this.loadKpis(),
    }[tab];
    if (run) run().catch((e) => this.ctx.showError(e));
  }

  // ------------------------------------------------------------ brokers

  async loadBrokers() {
    const table = $("#brokers-table");
    if (!this.brokers) {
      const my = this.seq;
      clear(table).append(h("caption.muted", t("common.loading")));
      clear($("#bridges"));
      const brokers = await this.ctx.ensureBrokers();
      if (my !== this.seq) return;
      this.brokers = brokers;
      this.learn(brokers);
    }
    this.renderCaption("brokers", this.brokers, this.brokers.nodes);
    this.renderBrokers();
  }

  columns() {
    return [
      ["rank", "metric.rank", (r) => fmt(r.rank), 1],
      ["name", "brokers.name", (r) => r.name, 1],
      ["helix_role", "brokers.role", (r) => h(`span.chip.role-bg-${r.helix_role}`, t(`role.${r.helix_role}`)), 1],
      ["degree", "metric.degree", (r) => fmt(r.degree), -1],
      ["betweenness", "metric.betweenness", (r) => fmt(r.betweenness, 3), -1],
      ["effective_size", "metric.effective_size", (r) => fmt(r.effective_size, 1), -1],
      ["constraint", "metric.constraint", (r) => fmt(r.constraint, 3), 1],
      ["brokerage", "metric.brokerage", (r) => fmt(r.brokerage ? r.brokerage.total : null), -1],
      ["is_articulation_point", "metric.articulation", (r) => (r.is_articulation_point ? h("span.ap", { title: t("legend.articulation") }, "●") : ""), -1],
    ];
  }

  sortedBrokers() {
    if (!this.brokers) return [];
    const { key, dir } = this.sort;
    const val = (r) => (key === "brokerage" ? (r.brokerage ? r.brokerage.total : 0) : key === "is_articulation_point" ? (r.is_articulation_point ? 1 : 0) : r[key]);
    return (this.brokers.rows || []).slice().sort((a, b) => {
      const x = val(a);
      const y = val(b);
      if (typeof x === "string" || typeof y === "string") return dir * String(x ?? "").localeCompare(String(y ?? ""));
      return dir * ((x ?? -Infinity) - (y ?? -Infinity)) || a.rank - b.rank;
    });
  }

  renderBrokers() {
    const table = clear($("#brokers-table"));
    const cols = this.columns();
    const head = h("tr");
    for (const [key, label, , defDir] of cols) {
      const active = this.sort.key === key;
      const th = h("th", { scope: "col", "aria-sort": active ? (this.sort.dir === 1 ? "ascending" : "descending") : "none", class: `col-${key}` },
        h("button.sort", {
          type: "button",
          title: t("brokers.sort", { col: t(label) }),
          dataset: { sort: key },
          onclick: () => {
            this.sort = { key, dir: active ? -this.sort.dir : defDir };
            this.renderBrokers();
            const btn = table.querySelector(`button[data-sort="${key}"]`);
            if (btn) btn.focus();
          },
        }, t(label), h("span.sort-ind", { "aria-hidden": "true" }, active ? (this.sort.dir === 1 ? "▲" : "▼") : "")),
      );
      head.append(th);
    }
    const tbody = h("tbody");
    for (const r of this.sortedBrokers()) {
      const tr = h("tr", {
        dataset: { id: r.id },
        tabindex: "0",
        title: r.reason || "",
        onclick: () => this.ctx.focusOrg(r.id),
        onkeydown: (e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            this.ctx.focusOrg(r.id);
          }
        },
      });
      if (r.id === this.ctx.state.org) tr.classList.add("selected");
      for (const [key, , render] of cols) tr.append(h(key === "name" ? "th" : "td", { class: `col-${key}`, scope: key === "name" ? "row" : null }, render(r)));
      tbody.append(tr);
    }
    table.append(h("thead", head), tbody);
    const bridges = clear($("#bridges"));
    const list = this.brokers.bridges || [];
    if (list.length) {
      bridges.append(
        h("h3.sub", t("brokers.bridges")),
        h("ul.bridges", list.map((b) => h("li",
          h("button.linklike", { type: "button", onclick: () => this.ctx.focusOrg(b.u) }, this.ctx.nodeName(b.u)),
          ` (${fmt(b.u_side)}) — `,
          h("button.linklike", { type: "button", onclick: () => this.ctx.focusOrg(b.v) }, this.ctx.nodeName(b.v)),
          ` (${fmt(b.v_side)})`,
        ))),
      );
    }
  }

  // ------------------------------------------------------------ gaps

  async loadGaps() {
    if (!this.gaps) {
      const my = this.seq;
      clear($("#heatmap-theme")).append(h("caption.muted", t("common.loading")));
      clear($("#heatmap-helix"));
      clear($("#gaps-lists"));
      const [gaps] = await Promise.all([
        get("/analytics/gaps", this.ctx.analyticsParams()),
        this.ctx.ensureBrokers().catch(() => null),
        this.ctx.themesReady,
        this.missing ? null : this.loadMissing(),
      ]);
      if (my !== this.seq) return;
      this.gaps = gaps;
      this.learn(gaps);
    }
    const sizes = (this.gaps.helix_mix || {}).sizes || {};
    this.renderCaption("gaps", this.gaps, this.gaps.theme_crossovers?.n_organisations ?? Object.values(sizes).reduce((x, y) => x + y, 0));
    this.renderGaps();
    if (!this.activityNames) this.loadActivityNames();
  }

  async loadActivityNames() {
    this.activityNames = new Map();
    const res = await Promise.allSettled(activityKinds().map((k) => get(`/${collection(k)}`, { limit: 500 }, { cached: true })));
    for (const r of res) if (r.status === "fulfilled") for (const a of r.value.data || []) this.activityNames.set(a.id, { name: a.name, label: a.label });
    if (this.gapSel) this.renderGapDetail();
  }

  activity(id) {
    const a = this.activityNames && this.activityNames.get(id);
    // an activity's id starts with its kind: action-…, project-…, network-…
    const label = activityKinds().find((k) => id.startsWith(`${k.toLowerCase()}-`)) || activityKinds()[0];
    return a ? a : { name: this.names.get(id) || id, label };
  }

  /** A theme's name as the agenda writes it (from the answers' names, else /themes). */
  themeName(id) {
    if (this.names.has(id)) return this.names.get(id);
    const th = this.ctx.themes().find((x) => x.id === id);
    return th ? th.name : id;
  }

  renderGaps() {
    const g = this.gaps;
    // Theme × theme
    const tc = g.theme_crossovers || {};
    const themes = tc.themes || [];
    const pair = new Map();
    for (const p of tc.pairs || []) {
      pair.set(`${p.theme_a}|${p.theme_b}`, p);
      pair.set(`${p.theme_b}|${p.theme_a}`, p);
    }
    const tt = clear($("#heatmap-theme"));
    tt.append(h("thead", h("tr", h("td.corner"), themes.map((id) => h("th.colh", { scope: "col", title: this.themeName(id) }, h("span", this.themeName(id)))))));
    const tb = h("tbody");
    for (const a of themes) {
      const tr = h("tr", h("th.rowh", { scope: "row" }, this.themeName(a)));
      for (const b of themes) {
        if (a === b) {
          const n = (tc.organisations_per_theme || {})[a];
          tr.append(h("td.diag", { title: `${this.themeName(a)}: ${t("count.organisations", { n: fmt(n) })}` }, fmt(n)));
          continue;
        }
        const p = pair.get(`${a}|${b}`);
        tr.append(this.cell("theme", a, b, p ? p.observed : 0, p ? p.expected : 0, `${this.themeName(a)} × ${this.themeName(b)}`));
      }
      tb.append(tr);
    }
    tt.append(tb);

    // Helix × helix (expected under random mixing by group size)
    const hm = g.helix_mix || {};
    const roles = hm.roles || helixRoles();
    const sizes = roles.map((r) => (hm.sizes || {})[r] || 0);
    const N = sizes.reduce((x, y) => x + y, 0);
    const ties = hm.ties || [];
    let total = 0;
    for (let i = 0; i < roles.length; i++) for (let j = i; j < roles.length; j++) total += (ties[i] || [])[j] || 0;
    const pairs = (N * (N - 1)) / 2 || 1;
    this.helixExpected = (i, j) => (total * (i === j ? (sizes[i] * (sizes[i] - 1)) / 2 : sizes[i] * sizes[j])) / pairs;
    const ht = clear($("#heatmap-helix"));
    ht.append(h("thead", h("tr", h("td.corner"), roles.map((r) => h("th.colh", { scope: "col" }, h("span", h(`span.role-dot.role-${r}`, { "aria-hidden": "true" }), t(`role.${r}`)))))));
    const hb = h("tbody");
    roles.forEach((a, i) => {
      const tr = h("tr", h("th.rowh", { scope: "row" }, h(`span.role-dot.role-${a}`, { "aria-hidden": "true" }), t(`role.${a}`)));
      roles.forEach((b, j) => tr.append(this.cell("helix", a, b, (ties[i] || [])[j] || 0, this.helixExpected(i, j), `${t(`role.${a}`)} × ${t(`role.${b}`)}`)));
      hb.append(tr);
    });
    ht.append(hb);
    for (const [table, el] of [["theme-crossovers", tt], ["helix-mix", ht]]) {
      const box = el.closest("figure");
      box.querySelector(".table-links")?.remove();
      box.append(this.ctx.tableLinks(table));
    }

    if (this.gapSel) this.renderGapDetail();
    else clear($("#heatmap-detail")).append(h("p.muted", t("gaps.pick")));
    this.renderGapLists();
  }

  cell(kind, a, b, obs, exp, title) {
    const { bg, fg } = ratioColour(obs, exp);
    const td = h("td.cell", {
      dataset: { a, b, observed: String(obs), expected: exp.toFixed(2), kind },
      tabindex: "0",
      role: "button",
      title: `${title}: ${t("gaps.cell", { obs: fmt(obs), exp: fmt(exp, 1) })}`,
      "aria-label": `${title}: ${t("gaps.cell", { obs: fmt(obs), exp: fmt(exp, 1) })}`,
      onclick: () => this.selectCell(kind, a, b),
      onkeydown: (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          this.selectCell(kind, a, b);
        }
      },
    }, h("span.obs", fmt(obs)), h("span.exp", fmt(exp, 1)));
    td.style.background = bg;
    td.style.color = fg;
    if (this.gapSel && this.gapSel.kind === kind && this.gapSel.a === a && this.gapSel.b === b) td.classList.add("selected");
    return td;
  }

  selectCell(kind, a, b) {
    this.gapSel = { kind, a, b };
    for (const td of document.querySelectorAll(".heatmap td.cell.selected")) td.classList.remove("selected");
    const td = document.querySelector(`.heatmap td.cell[data-kind="${kind}"][data-a="${a}"][data-b="${b}"]`);
    if (td) td.classList.add("selected");
    this.renderGapDetail();
  }

  orgButtons(ids) {
    if (!ids.length) return h("p.muted", t("gaps.none"));
    return h("ul.chips-list", ids.map((id) => h("li", h("button.chip-btn", { type: "button", onclick: () => this.ctx.focusOrg(id) }, this.ctx.nodeName(id)))));
  }

  renderGapDetail() {
    const box = clear($("#heatmap-detail"));
    const { kind, a, b } = this.gapSel;
    let orgs = [];
    if (kind === "theme") {
      const p = (this.gaps.theme_crossovers.pairs || []).find((x) => (x.theme_a === a && x.theme_b === b) || (x.theme_a === b && x.theme_b === a)) || { observed: 0, expected: 0, organisations: [], activities: [], via_activities: [] };
      orgs = p.organisations || [];
      box.append(
        h("h3", `${this.themeName(a)} × ${this.themeName(b)}`),
        h("dl.metrics.inline",
          h("div.metric", h("dt", t("gaps.observed")), h("dd", fmt(p.observed))),
          h("div.metric", h("dt", t("gaps.expected")), h("dd", fmt(p.expected, 1))),
          h("div.metric", h("dt", t("gaps.ratio")), h("dd", p.expected ? fmt(p.observed / p.expected, 2) : "–")),
        ),
        h("h4", t("gaps.orgs")), this.orgButtons(orgs),
        h("h4", t("gaps.activities")), this.activityList(p.activities || []),
        h("h4", t("gaps.via")), this.activityList(p.via_activities || []),
      );
    } else {
      const roles = this.gaps.helix_mix.roles || helixRoles();
      const i = roles.indexOf(a);
      const j = roles.indexOf(b);
      const obs = ((this.gaps.helix_mix.ties || [])[i] || [])[j] || 0;
      const exp = this.helixExpected(i, j);
      const dens = ((this.gaps.helix_mix.density || [])[i] || [])[j];
      // Candidates to bridge: organisations that hold both roles.
      const cands = [];
      this.ctx.view.graph.forEachNode((id, attr) => {
        const rs = attr.helix_roles || [attr.helix_role];
        if (a === b ? rs.includes(a) && rs.length > 1 : rs.includes(a) && rs.includes(b)) cands.push([id, this.ctx.view.graph.degree(id)]);
      });
      cands.sort((x, y) => y[1] - x[1]);
      orgs = cands.slice(0, 20).map((x) => x[0]);
      box.append(
        h("h3", `${t(`role.${a}`)} × ${t(`role.${b}`)}`),
        h("dl.metrics.inline",
          h("div.metric", h("dt", t("gaps.observed")), h("dd", fmt(obs))),
          h("div.metric", h("dt", t("gaps.expected")), h("dd", fmt(exp, 1))),
          h("div.metric", h("dt", t("gaps.density")), h("dd", fmt(dens, 3))),
        ),
        h("h4", t("gaps.candidates")), this.orgButtons(orgs),
      );
    }
    if (orgs.length) {
      box.append(h("button.btn.btn-small", { type: "button", onclick: () => { this.ctx.view.setSpotlight(orgs); this.ctx.view.fit(orgs); } }, t("gaps.highlight")));
    }
  }

  activityList(ids) {
    if (!ids.length) return h("p.muted", t("gaps.none"));
    return h("ul.acts", ids.map((id) => {
      const a = this.activity(id);
      return h("li", h(`span.kind.kind-${a.label}`, t(`kind.${a.label}`)), " ", a.name);
    }));
  }

  /**
   * The next page of the activities without all four helix roles (or with only a generic
   * group such as 'mkb' as industry), as the service pages them, for the list's filter.
   */
  async loadMissing(more = false) {
    const my = this.seq;
    const role = this.gapFilter;
    const offset = more && this.missing ? this.missing.rows.length : 0;
    const page = await get("/analytics/gaps/missing-roles", this.ctx.analyticsParams({ missing_role: role || undefined, offset, limit: MISSING_PAGE }));
    if (my !== this.seq || role !== this.gapFilter) return;
    this.learn(page);
    const rows = more && this.missing ? [...this.missing.rows, ...page.rows] : page.rows;
    this.missing = { rows, total: page.total, has_more: page.has_more, weak_industry: page.weak_industry || 0, role };
  }

  renderGapLists() {
    const box = clear($("#gaps-lists"));
    box.append(this.missingSection());
    const holes = (this.gaps.structural_holes || []).slice(0, 8);
    if (holes.length) {
      box.append(h("section.gap-list",
        h("h3.sub", t("gaps.holes")),
        h("ul", holes.map((x) => h("li",
          t("gaps.hole", { a: x.community_a, b: x.community_b, sa: fmt(x.size_a), sb: fmt(x.size_b), ties: t("count.ties", { n: fmt(x.ties) }) }),
          (x.bridges || []).length ? [" · ", t("gaps.bridgeBy"), ": ", (x.bridges || []).slice(0, 3).map((br, k) => [k ? ", " : "", h("button.linklike", { type: "button", onclick: () => this.ctx.focusOrg(br.node) }, br.name || this.ctx.nodeName(br.node))])] : null,
          [...(x.candidates_a || []), ...(x.candidates_b || [])].length
            ? [" · ", t("gaps.candidates"), ": ", [...(x.candidates_a || []), ...(x.candidates_b || [])].slice(0, 4).map((c, k) => {
                const id = typeof c === "string" ? c : c.node || c.id;
                return [k ? ", " : "", h("button.linklike", { type: "button", onclick: () => this.ctx.focusOrg(id) }, this.ctx.nodeName(id))];
              })]
            : null,
        ))),
      ));
    }
  }

  /** "Activiteiten zonder alle vier rollen": the filter, the count, the rows so far, "meer tonen". */
  missingSection() {
    const m = this.missing || { rows: [], total: 0, has_more: false, weak_industry: 0 };
    const roles = helixRoles();
    const select = h("select#gap-filter", {
      "data-testid": "gap-filter",
      onchange: (e) => this.filterMissing(e.target.value),
    },
      h("option", { value: "" }, t("gaps.filter.all")),
      roles.map((r) => h("option", { value: r }, t(`gaps.without.${r}`))),
    );
    select.value = this.gapFilter;
    const section = h("section.gap-list.gap-missing", { "data-testid": "gaps-missing" },
      h("div.gap-head",
        h("h3.sub", t("gaps.missing")),
        this.ctx.tableLinks("missing-roles", this.tableFor("gaps").params), // the list as filtered
      ),
      h("div.gap-filter",
        h("label", { for: "gap-filter" }, t("gaps.filter")), select,
        h("span.gap-count", { "data-testid": "gaps-missing-count", dataset: { shown: String(m.rows.length), total: String(m.total) } },
          (() => {
            // the count says what it counts: with a role chosen, "zonder … of alleen via een algemene groep"
            const count = t("gaps.count", { n: fmt(m.total) });
            const total = this.gapFilter ? t("gaps.count.without", { count, without: t(`gaps.without.${this.gapFilter}`) }) : count;
            return m.rows.length < m.total ? t("gaps.listed", { shown: fmt(m.rows.length), total }) : total;
          })()),
      ),
    );
    if (m.weak_industry) section.append(h("p.gap-flagged", { "data-testid": "gaps-flagged" }, t("gaps.flagged", { n: fmt(m.weak_industry) })));
    if (!m.rows.length) section.append(h("p.muted", t("gaps.none")));
    section.append(h("ul.gap-missing-list", m.rows.map((x) => this.missingItem(x, roles))));
    if (m.has_more) {
      const rest = m.total - m.rows.length;
      section.append(h("button.btn.btn-small.gap-more", {
        type: "button",
        "data-testid": "gaps-more",
        onclick: async (e) => {
          e.target.disabled = true;
          try {
            await this.loadMissing(true);
            this.renderMissing();
            const more = $("[data-testid=gaps-more]");
            (more || $("#gap-filter")).focus();
          } catch (err) {
            e.target.disabled = false;
            this.ctx.showError(err);
          }
        },
      }, t("gaps.more", { n: fmt(Math.min(rest, MISSING_PAGE)) })));
    }
    return section;
  }

  async filterMissing(role) {
    this.gapFilter = role;
    try {
      await this.loadMissing();
      this.renderMissing();
      $("#gap-filter").focus();
    } catch (e) {
      this.ctx.showError(e);
    }
  }

  renderMissing() {
    const old = $("[data-testid=gaps-missing]");
    if (old) old.replaceWith(this.missingSection());
  }

  /**
   * One activity of the missing-role list: each role says in words whether it is missing,
   * present, or there only through a generic group; an activity whose only industry is a
   * generic group such as 'mkb' carries a flag naming the group; the service's finding below.
   */
  missingItem(x, roles) {
    const missing = new Set(x.missing || []);
    const generic = new Set(x.generic_only || []);
    const groups = x.generic_groups || {};
    const via = (r) => this.ctx.listing((groups[r] || []).map((n) => `‘${n}’`));
    const chips = roles.map((r) => {
      const role = t(`role.${r}`);
      if (missing.has(r)) return h(`span.chip.chip-missing.role-border-${r}`, { dataset: { role: r, state: "missing" } }, t("gaps.chip.missing", { role }));
      if (r === "industry" && (x.weak_industry || generic.has(r))) {
        // the flag: the only industry at the table is a generic group such as 'mkb'
        return h(`span.chip.chip-flag.role-border-${r}`, { "data-testid": "gap-flag-weak-industry", dataset: { role: r, state: "generic", flag: "weak-industry" }, title: t("gaps.flag.weakIndustry.title") },
          (groups[r] || []).length ? t("gaps.chip.genericVia", { role, groups: via(r) }) : t("gaps.chip.generic", { role }));
      }
      if (generic.has(r)) {
        return h(`span.chip.chip-generic.role-border-${r}`, { dataset: { role: r, state: "generic" } },
          (groups[r] || []).length ? t("gaps.chip.genericVia", { role, groups: via(r) }) : t("gaps.chip.generic", { role }));
      }
      return h(`span.chip.chip-present.role-border-${r}`, { dataset: { role: r, state: "present" } }, t("gaps.chip.present", { role }));
    });
    return h("li", { dataset: { id: x.id, missing: [...missing].join(","), generic: [...generic].join(","), weakIndustry: x.weak_industry ? "1" : "0" } },
      h("div.gap-item-head", h(`span.kind.kind-${x.kind}`, x.kind_name || t(`kind.${x.kind}`)), " ", h("strong", x.name)),
      h("div.gap-chips", chips),
      x.finding ? h("p.gap-finding", x.finding) : null,
    );
  }

  /** The service's table behind a tab's downloads (the page's filters are added to it). */
  tableFor(tab) {
    const table = TAB_TABLES[tab];
    if (!table) return null;
    if (tab === "gaps") return { table, params: { missing_role: this.gapFilter || undefined } };
    if (tab === "communities") return { table, params: { method: this.ctx.state.method } };
    return { table, params: {} };
  }

  // ------------------------------------------------------------ communities

  async loadCommunities() {
    const method = this.ctx.state.method;
    if (!this.communities || this.communities.method !== method) {
      const my = this.seq;
      clear($("#communities-list")).append(h("li.muted", t("common.loading")));
      const [c] = await Promise.all([this.ctx.ensureCommunities(method), this.ctx.themesReady]);
      if (my !== this.seq) return;
      this.communities = c;
      this.learn(c);
    }
    const c = this.communities;
    this.renderCaption("communities", c, (c.communities || []).reduce((n, x) => n + x.size, 0) + (c.isolates || []).length);
    this.renderCommunities();
  }

  /**
   * A community's label as the service words it in the page's language (its main themes as
   * the agenda names them, its largest helix groups); composed from those parts otherwise.
   */
  communityLabel(com) {
    if (com.label) return com.label;
    const themes = (com.themes || []).slice(0, 2).map((x) => this.themeName(x.theme || x.id || x));
    const mix = Object.entries(com.helix_mix || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, 2)
      .map(([r, n]) => t("communities.mix", { role: t(`role.${r}`), n: fmt(n) }));
    if (!themes.length) return mix.join(", ");
    return t("communities.label", { themes: themes.join(", "), roles: mix.join(", ") });
  }

  renderCommunities() {
    const c = this.communities;
    // The cards below: communities of at least min_size organisations (as the report counts
    // them); isolated organisations are said apart, under the cards.
    $("#communities-summary").textContent = t("communities.summary", { n: fmt((c.communities || []).length), q: fmt(c.modularity, 2) });
    const ul = clear($("#communities-list"));
    const palette = communityPalette(c);
    const view = this.ctx.view;
    for (const com of c.communities || []) {
      const sw = h("span.swatch", { "aria-hidden": "true" });
      sw.style.background = palette.get(com.id) || OTHER_COLOUR;
      const mix = com.helix_mix || {};
      const total = Object.values(mix).reduce((x, y) => x + y, 0) || 1;
      const bar = h("span.mixbar", { "aria-hidden": "true" }, helixRoles().map((r) => {
        const seg = h(`span.role-bg-${r}`);
        seg.style.width = `${(100 * (mix[r] || 0)) / total}%`;
        return seg;
      }));
      const li = h("li.community", {
        dataset: { community: String(com.id) },
        tabindex: "0",
        onclick: () => {
          view.setSpotlight(com.members);
          view.fit(com.members);
        },
        onkeydown: (e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            view.setSpotlight(com.members);
            view.fit(com.members);
          }
        },
      },
        h("div.com-head", sw, h("strong", t("legend.community", { id: com.id })), h("span.muted", t("count.organisations", { n: fmt(com.size) }))),
        bar,
        h("div.com-label", com.description || this.communityLabel(com)),
        h("div.com-members", com.members.slice(0, 8).map((id) => this.ctx.nodeName(id)).join(", ") + (com.members.length > 8 ? " …" : "")),
      );
      ul.append(li);
    }
    if ((c.isolates || []).length) ul.append(h("li.community.muted", t("communities.isolates", { n: fmt(c.isolates.length) })));
  }

  // ------------------------------------------------------------ KPIs

  async loadKpis() {
    if (!this.kpis) {
      const my = this.seq;
      clear($("#kpis")).append(h("li.muted", t("common.loading")));
      const [k] = await Promise.all([get("/analytics/kpis", this.ctx.analyticsParams()), this.ctx.themesReady]);
      if (my !== this.seq) return;
      this.kpis = k;
      this.learn(k);
    }
    this.renderCaption("kpis", this.kpis, this.kpis.organisations);
    this.renderKpis();
  }

  renderKpis() {
    const k = this.kpis;
    const ul = clear($("#kpis"));
    for (const [key, digits] of KPI_KEYS) {
      if (k[key] === undefined) continue;
      const v = digits === "%" ? `${fmt(k[key] * 100, 0)}%` : fmt(k[key], digits);
      ul.append(h("li.kpi", { dataset: { kpi: key, value: String(k[key]) } }, h("span.kpi-value", v), h("span.kpi-label", t(`kpi.${key}`))));
    }
    const extra = clear($("#kpi-extra"));
    const ipt = k.industry_per_theme || {};
    const max = Math.max(1, ...Object.values(ipt));
    if (Object.keys(ipt).length) {
      extra.append(h("h3.sub", t("kpi.industry_per_theme")), h("ul.bars", { "data-kpi": "industry_per_theme" }, Object.entries(ipt).sort((a, b) => b[1] - a[1]).map(([id, n]) => {
        const bar = h("span.bar-fill.role-bg-industry");
        bar.style.width = `${(100 * n) / max}%`;
        return h("li", h("span.bar-label", this.themeName(id)), h("span.bar", bar), h("span.bar-value", fmt(n)));
      })));
    }
    const versions = k.analysed_versions || [];
    extra.append(h("p.muted", t("kpi.version", { v: k.version })));
    if (versions.length < 2) {
      extra.append(h("p.muted", t("kpi.compare.none")));
      return;
    }
    const sel = h("select#kpi-compare", { onchange: (e) => this.loadCompare(e.target.value) },
      versions.filter((v) => v !== k.version).map((v) => h("option", { value: String(v) }, String(v))));
    extra.append(h("div.row", h("label", { for: "kpi-compare" }, t("kpi.compare")), sel), h("div#compare-box"));
    if (this.compare) sel.value = String(this.compare.since);
    this.loadCompare(sel.value);
  }

  async loadCompare(since) {
    try {
      const c = await get("/analytics/compare", this.ctx.analyticsParams({ since }));
      this.compare = { since, c };
      const box = $("#compare-box");
      if (!box) return;
      clear(box).append(
        h("h3.sub", t("kpi.changes", { v: since })),
        h("ul.kpis.small",
          [["kpi.newTies", c.new_ties], ["kpi.lostTies", c.lost_ties], ["kpi.newOrgs", c.new_organisations], ["kpi.lostOrgs", c.lost_organisations]].map(([lbl, arr]) =>
            h("li.kpi", h("span.kpi-value", fmt((arr || []).length)), h("span.kpi-label", t(lbl)))),
          h("li.kpi", h("span.kpi-value", fmt(c.density_change, 3)), h("span.kpi-label", t("kpi.densityChange"))),
          h("li.kpi", h("span.kpi-value", `${fmt((c.cross_helix_share_change || 0) * 100, 1)}%`), h("span.kpi-label", t("kpi.crossChange"))),
        ),
      );
    } catch (e) {
      this.ctx.showError(e);
    }
  }
}
