// Analysis tabs: brokers table, gap heatmaps and missing roles, communities, KPIs — each
// computed by the service on the subgraph of the page's filters (ctx.analyticsParams()).
import { get } from "./api.js";
import { h, $, clear } from "./dom.js";
import { t, fmt } from "./i18n.js";
import { ROLES } from "./state.js";
import { communityPalette, OTHER_COLOUR } from "./graph.js";

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
    this.gapFilter = ""; // "" | a helix role ("zonder …") | "generic"
    this.gapAll = false;
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
    }
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
      const [gaps] = await Promise.all([get("/analytics/gaps", this.ctx.analyticsParams()), this.ctx.ensureBrokers().catch(() => null), this.ctx.themesReady]);
      if (my !== this.seq) return;
      this.gaps = gaps;
    }
    this.renderGaps();
    if (!this.activityNames) this.loadActivityNames();
  }

  async loadActivityNames() {
    this.activityNames = new Map();
    const kinds = ["actions", "projects", "networks"];
    const res = await Promise.allSettled(kinds.map((k) => get(`/${k}`, { limit: 500 }, { cached: true })));
    for (const r of res) if (r.status === "fulfilled") for (const a of r.value.data || []) this.activityNames.set(a.id, { name: a.name, label: a.label });
    if (this.gapSel) this.renderGapDetail();
  }

  activity(id) {
    const a = this.activityNames && this.activityNames.get(id);
    return a ? a : { name: id, label: id.split("-")[0].replace(/^./, (c) => c.toUpperCase()) };
  }

  /** A theme's name as the agenda writes it (from /themes). */
  themeName(id) {
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
    const roles = hm.roles || ROLES;
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
      const roles = this.gaps.helix_mix.roles || ROLES;
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

  /** Activities that miss at least one helix role, as the service lists them. */
  missingActivities() {
    return ((this.gaps.missing_roles || {}).activities || []).filter((x) => (x.missing || []).length);
  }

  /** The missing-role list after the "zonder …" filter. */
  filteredMissing() {
    const f = this.gapFilter;
    return this.missingActivities().filter((x) =>
      !f ? true : f === "generic" ? (x.generic_only || []).length > 0 : (x.missing || []).includes(f));
  }

  renderGapLists() {
    const box = clear($("#gaps-lists"));
    const all = this.missingActivities();
    const roles = (this.gaps.missing_roles || {}).roles || ROLES;
    const list = this.filteredMissing();
    const LIMIT = 12;
    const shown = this.gapAll ? list : list.slice(0, LIMIT);
    const select = h("select#gap-filter", {
      "data-testid": "gap-filter",
      onchange: (e) => {
        this.gapFilter = e.target.value;
        this.gapAll = false;
        this.renderGapLists();
        $("#gap-filter").focus();
      },
    },
      h("option", { value: "" }, t("gaps.filter.all")),
      roles.map((r) => h("option", { value: r }, t(`gaps.without.${r}`))),
      h("option", { value: "generic" }, t("gaps.filter.generic")),
    );
    select.value = this.gapFilter;
    const section = h("section.gap-list", { "data-testid": "gaps-missing" },
      h("h3.sub", t("gaps.missing")),
      h("div.gap-filter",
        h("label", { for: "gap-filter" }, t("gaps.filter")), select,
        h("span.gap-count", { "data-testid": "gaps-missing-count", dataset: { shown: String(shown.length), total: String(list.length), all: String(all.length) } },
          t("gaps.missing.summary", { shown: t("gaps.count", { n: fmt(shown.length) }), total: fmt(list.length) })),
      ),
    );
    if (!list.length) section.append(h("p.muted", t("gaps.none")));
    section.append(h("ul.gap-missing-list", shown.map((x) => this.missingItem(x, roles))));
    if (list.length > LIMIT) {
      section.append(h("button.btn.btn-small.gap-more", {
        type: "button",
        "data-testid": "gaps-show-all",
        "aria-expanded": this.gapAll ? "true" : "false",
        onclick: () => {
          this.gapAll = !this.gapAll;
          this.renderGapLists();
          const more = $("[data-testid=gaps-show-all]");
          if (more) more.focus();
        },
      }, this.gapAll ? t("gaps.showFewer") : t("gaps.showAll", { n: fmt(list.length) })));
    }
    box.append(section);

    const holes = (this.gaps.structural_holes || []).slice(0, 8);
    if (holes.length) {
      box.append(h("section.gap-list",
        h("h3.sub", t("gaps.holes")),
        h("ul", holes.map((x) => h("li",
          t("gaps.hole", { a: x.community_a, b: x.community_b, sa: fmt(x.size_a), sb: fmt(x.size_b), ties: t("count.ties", { n: fmt(x.ties) }) }),
          (x.bridges || []).length ? [" · ", t("gaps.bridgeBy"), ": ", (x.bridges || []).slice(0, 3).map((br, k) => [k ? ", " : "", h("button.linklike", { type: "button", onclick: () => this.ctx.focusOrg(br.node) }, this.ctx.nodeName(br.node))])] : null,
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

  /** One activity of the missing-role list: each role says in words whether it is missing or present. */
  missingItem(x, roles) {
    const missing = new Set(x.missing || []);
    const generic = new Set(x.generic_only || []);
    const chips = roles.map((r) => {
      if (missing.has(r)) return h(`span.chip.chip-missing.role-border-${r}`, { dataset: { role: r, state: "missing" } }, t("gaps.chip.missing", { role: t(`role.${r}`) }));
      if (generic.has(r)) return h(`span.chip.chip-generic.role-border-${r}`, { dataset: { role: r, state: "generic" } }, t("gaps.chip.generic", { role: t(`role.${r}`) }));
      return h(`span.chip.chip-present.role-border-${r}`, { dataset: { role: r, state: "present" } }, t("gaps.chip.present", { role: t(`role.${r}`) }));
    });
    return h("li", { dataset: { id: x.id, missing: [...missing].join(","), generic: [...generic].join(",") } },
      h(`span.kind.kind-${x.kind}`, t(`kind.${x.kind}`)), " ", h("strong", x.name),
      h("span.gap-chips", chips),
    );
  }

  // ------------------------------------------------------------ tables (CSV)

  /** The tables of a tab for the CSV export: what the analyst sees, with Dutch headers. */
  tables(tab) {
    const role = (r) => (r ? t(`role.${r}`) : "");
    if (tab === "brokers" && this.brokers) {
      return {
        what: t("tab.brokers"),
        tables: [{
          title: t("tab.brokers"),
          columns: [
            [t("metric.rank"), (r) => r.rank], [t("csv.id"), (r) => r.id], [t("brokers.name"), (r) => r.name],
            [t("brokers.role"), (r) => role(r.helix_role)], [t("metric.degree"), (r) => r.degree],
            [t("metric.betweenness"), (r) => r.betweenness], [t("metric.effective_size"), (r) => r.effective_size],
            [t("metric.constraint"), (r) => r.constraint], [t("metric.brokerage"), (r) => (r.brokerage ? r.brokerage.total : null)],
            [t("metric.articulation"), (r) => (r.is_articulation_point ? t("common.yes") : t("common.no"))],
            [t("csv.reason"), (r) => r.reason || ""],
          ],
          rows: this.sortedBrokers(),
        }],
      };
    }
    if (tab === "gaps" && this.gaps) {
      const tc = this.gaps.theme_crossovers || {};
      const hm = this.gaps.helix_mix || {};
      const roles = hm.roles || ROLES;
      const helixRows = [];
      roles.forEach((a, i) => roles.forEach((b, j) => {
        if (j < i) return;
        helixRows.push({ a, b, obs: ((hm.ties || [])[i] || [])[j] || 0, exp: this.helixExpected ? this.helixExpected(i, j) : null, dens: ((hm.density || [])[i] || [])[j] });
      }));
      const ratio = (o, e) => (e ? o / e : null);
      const roleList = (rs) => (rs || []).map(role).join(", ");
      return {
        what: t("tab.gaps"),
        tables: [
          {
            title: t("gaps.theme"),
            columns: [
              [t("csv.themeA"), (p) => this.themeName(p.theme_a)], [t("csv.themeB"), (p) => this.themeName(p.theme_b)],
              [t("gaps.observed"), (p) => p.observed], [t("gaps.expected"), (p) => p.expected], [t("gaps.ratio"), (p) => ratio(p.observed, p.expected)],
              [t("gaps.orgs"), (p) => (p.organisations || []).map((id) => this.ctx.nodeName(id))],
            ],
            rows: tc.pairs || [],
          },
          {
            title: t("gaps.helix"),
            columns: [
              [t("csv.roleA"), (r) => role(r.a)], [t("csv.roleB"), (r) => role(r.b)], [t("gaps.observed"), (r) => r.obs],
              [t("gaps.expected"), (r) => r.exp], [t("gaps.ratio"), (r) => ratio(r.obs, r.exp)], [t("gaps.density"), (r) => r.dens],
            ],
            rows: helixRows,
          },
          {
            title: t("gaps.missing"),
            columns: [
              [t("csv.kind"), (x) => t(`kind.${x.kind}`)], [t("csv.name"), (x) => x.name], [t("csv.missing"), (x) => roleList(x.missing)],
              [t("csv.present"), (x) => roleList(x.present)], [t("csv.genericOnly"), (x) => roleList(x.generic_only)],
              [t("csv.organisations"), (x) => x.organisations],
            ],
            rows: this.filteredMissing(),
          },
        ],
      };
    }
    if (tab === "communities" && this.communities) {
      return {
        what: t("tab.communities"),
        tables: [{
          title: t("tab.communities"),
          columns: [
            [t("csv.community"), (c) => c.id], [t("csv.size"), (c) => c.size], [t("csv.description"), (c) => this.communityLabel(c)],
            [t("csv.members"), (c) => c.members.map((id) => this.ctx.nodeName(id))],
          ],
          rows: this.communities.communities || [],
        }],
      };
    }
    if (tab === "kpis" && this.kpis) {
      const k = this.kpis;
      return {
        what: t("tab.kpis"),
        tables: [{
          title: t("tab.kpis"),
          columns: [[t("csv.kpi"), ([key]) => t(`kpi.${key}`)], [t("csv.value"), ([key]) => k[key]]],
          rows: KPI_KEYS.filter(([key]) => k[key] !== undefined),
        }],
      };
    }
    return null;
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
    }
    this.renderCommunities();
  }

  /**
   * A community described in the page's language from its parts: its main themes (as the
   * agenda names them) and its largest helix groups.
   */
  communityLabel(com) {
    const themes = (com.themes || []).slice(0, 2).map((x) => this.themeName(x.theme || x.id || x));
    const mix = Object.entries(com.helix_mix || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, 2)
      .map(([r, n]) => t("communities.mix", { role: t(`role.${r}`), n: fmt(n) }));
    if (!themes.length) return mix.join(", ");
    return t("communities.label", { themes: themes.join(", "), roles: mix.join(", ") });
  }

  renderCommunities() {
    const c = this.communities;
    $("#communities-summary").textContent = t("communities.summary", { n: fmt(c.n_communities), q: fmt(c.modularity, 3) });
    const ul = clear($("#communities-list"));
    const palette = communityPalette(c);
    const view = this.ctx.view;
    for (const com of c.communities || []) {
      const sw = h("span.swatch", { "aria-hidden": "true" });
      sw.style.background = palette.get(com.id) || OTHER_COLOUR;
      const mix = com.helix_mix || {};
      const total = Object.values(mix).reduce((x, y) => x + y, 0) || 1;
      const bar = h("span.mixbar", { "aria-hidden": "true" }, ROLES.map((r) => {
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
        h("div.com-label", this.communityLabel(com)),
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
    }
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
