// Partner matching: for an organisation (GET /match/partners) or for a described need (POST /match).
import { get, post } from "./api.js";
import { h, $, clear } from "./dom.js";
import { t, fmt, lang } from "./i18n.js";

export class Matching {
  constructor(ctx) {
    this.ctx = ctx;
    this.result = null;
    this.last = null; // {kind: "org", org} | {kind: "need", body}
    this.seq = 0;
    this.pendingCand = null;
    this.orgSuggest = ctx.attachSuggest($("#match-org"), {
      onError: ctx.showError,
      isId: (q) => (ctx.view.graph.hasNode(q) ? { id: q, name: ctx.nodeName(q) } : null),
    });
    $("#match-org-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        const o = await this.orgSuggest.resolve();
        if (!o) {
          this.renderInfo(t("match.needOrg"));
          return;
        }
        ctx.names.set(o.id, o.name);
        if (ctx.state.match === o.id) this.runForOrg(o.id);
        else ctx.update({ match: o.id, cand: "" });
      } catch (err) {
        ctx.showError(err);
      }
    });
    $("#match-need-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const theme = $("#match-theme").value;
      const role = $("#match-role").value;
      const place = $("#match-place").value.trim();
      const keywords = $("#match-keywords").value.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
      const body = { themes: theme ? [theme] : [], roles: role ? [role] : [], keywords, top: 10 };
      if (place) body.place = place;
      if (ctx.state.match || ctx.state.cand) ctx.update({ match: "", cand: "" });
      this.runNeed(body);
    });
  }

  rows() {
    return this.result ? this.result.candidates || [] : [];
  }

  setOrg(id, name) {
    this.orgSuggest.set(id, name);
  }

  async runForOrg(id) {
    if (!id) return;
    this.setOrg(id, this.ctx.nodeName(id));
    await this.run({ kind: "org", org: id }, () => get("/match/partners", { org: id, top: 10, lang: lang() }));
  }

  async runNeed(body) {
    await this.run({ kind: "need", body }, () => post("/match", { ...body, lang: lang() }));
  }

  async run(last, fetcher) {
    const my = ++this.seq;
    this.last = last;
    const ol = clear($("#match-results"));
    ol.append(h("li.muted.loading-row", t("common.loading")));
    try {
      const res = await fetcher();
      if (my !== this.seq) return;
      this.result = res;
      for (const c of res.candidates || []) this.ctx.names.set(c.id, c.name);
      this.render();
      const cand = this.pendingCand || this.ctx.state.cand;
      this.pendingCand = null;
      if (cand) this.highlightCandidate(cand);
    } catch (e) {
      if (my !== this.seq) return;
      clear(ol);
      this.ctx.showError(e);
    }
  }

  relabel() {
    if (!this.last) return;
    // Reasons come from the server in the chosen language: ask again.
    if (this.last.kind === "org") this.runForOrg(this.last.org);
    else this.runNeed(this.last.body);
  }

  renderInfo(text) {
    clear($("#match-results")).append(h("li.muted", text));
  }

  render() {
    const ol = clear($("#match-results"));
    const list = this.rows();
    if (!list.length) {
      ol.append(h("li.muted", t("match.none")));
      return;
    }
    const max = Math.max(...list.map((c) => c.score), 1e-9);
    for (const c of list) {
      const li = h("li.candidate", {
        dataset: { id: c.id, rank: String(c.rank) },
        tabindex: "0",
        "aria-pressed": c.id === this.ctx.state.cand ? "true" : "false",
        onclick: () => this.select(c.id),
        onkeydown: (e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            this.select(c.id);
          }
        },
      });
      const bar = h("span.score-fill");
      bar.style.width = `${Math.max(4, (100 * c.score) / max)}%`;
      li.append(
        h("div.cand-head",
          h("span.rank", String(c.rank)),
          h(`span.role-dot.role-${c.helix_role}`, { "aria-hidden": "true" }),
          h("span.cand-name", c.name),
          h("span.cand-score", { title: t("metric.score") }, t("match.score", { s: fmt(c.score, 2) })),
        ),
        h("span.score-bar", { "aria-hidden": "true" }, bar),
        h("ul.reasons", (c.reasons || []).map((r) => h("li", r))),
        h("p.intro-path", h("strong", `${t("match.intro")}: `), c.introduction ? c.introduction.summary : t("match.noIntro")),
      );
      if (c.id === this.ctx.state.cand) li.classList.add("selected");
      ol.append(li);
    }
  }

  select(id) {
    if (this.ctx.state.cand === id) this.highlightCandidate(id);
    else this.ctx.update({ cand: id, from: "", to: "" });
  }

  /** Highlight the introduction path of a candidate (or just the candidate when there is none). */
  highlightCandidate(id) {
    const { view } = this.ctx;
    for (const li of document.querySelectorAll("#match-results li.candidate")) {
      const on = li.dataset.id === id;
      li.classList.toggle("selected", on);
      li.setAttribute("aria-pressed", on ? "true" : "false");
    }
    if (!id) {
      this.ctx.setHighlight([], [], "cand");
      return;
    }
    const c = this.rows().find((x) => x.id === id);
    if (!c) {
      if (this.result) this.ctx.setHighlight([], [], "cand");
      else this.pendingCand = id;
      return;
    }
    let ids;
    let pairs = [];
    const intro = c.introduction;
    if (intro && intro.hops && intro.hops.length) {
      ids = [intro.hops[0].source.id, ...intro.hops.map((hop) => hop.target.id)];
      pairs = intro.hops.map((hop) => [hop.source.id, hop.target.id]);
    } else {
      ids = [c.id];
      const asker = this.result.asker && this.result.asker.id;
      if (asker) ids.unshift(asker);
    }
    this.ctx.setHighlight(ids, pairs, "cand");
    view.fit(ids);
  }
}
