// Partner matching: for an organisation (GET /match/partners) or for a described need
// (POST /match) — a start-up's need with an optional asking organisation and a team that
// is already on board, several themes, wanted roles and organisation types, a place or
// region and keywords.
//
// The question lives in the URL next to the page's other state (state.js, NEED_KEYS):
//   #tab=match&need=1&need.team=nom,rijksuniversiteit-groningen&need.theme=theme-digitalisering
//   &need.role=knowledge,civil_society&need.type=care_provider&need.place=Drenthe&need.kw=diabetes
//   &need.org=<asking organisation>
// `need=1` says the need was asked (reloading the URL asks it again); an organisation to
// match (`match=`) takes precedence over it. Asking pushes a history entry, so the browser's
// back button returns to the previous question; main.js calls follow() when the keys change.
//
// The answer is the service's: reasons, role label, eligibility, penalty and introduction
// note come worded in the page's language; the page only arranges them. The list is
// exported by the service too (POST /match/table), so the file has the rows on screen.
import { get, post, postFile } from "./api.js";
import { h, $, clear, download } from "./dom.js";
import { t, fmt, lang, onLang, codes, helixRoles } from "./i18n.js";

/** URL keys of the need (hash key → field of the form). */
const KEYS = {
  org: "need.org",
  team: "need.team",
  themes: "need.theme",
  roles: "need.role",
  types: "need.type",
  place: "need.place",
  keywords: "need.kw",
};
const ASKED = "need";
const LIST_KEYS = ["team", "themes", "roles", "types", "keywords"];
const TOP = 10;

const splitList = (s) => String(s || "").split(/[,;]/).map((x) => x.trim()).filter(Boolean);

/** The need's keys as the page state keeps them (strings). */
function needKeysOf(state) {
  const out = { [ASKED]: state[ASKED] === "1" ? "1" : "" };
  for (const key of Object.values(KEYS)) out[key] = state[key] || "";
  return out;
}

/** What the state asks: partners of an organisation, a need, or nothing. */
function questionOf(state) {
  if (state.match) return { kind: "org", org: state.match };
  const keys = needKeysOf(state);
  return keys[ASKED] ? { kind: "need", keys } : null;
}

/** "Geen introductiepad: …" — the service's notes begin in lower case, as parts of a sentence. */
const sentence = (s) => (s ? s[0].toUpperCase() + s.slice(1) : "");

/** The request body of POST /match for the need the keys describe. */
function bodyOf(keys) {
  const body = { top: TOP };
  for (const [field, key] of Object.entries(KEYS)) {
    const v = keys[key] || "";
    if (LIST_KEYS.includes(field)) {
      const items = splitList(v);
      if (items.length) body[field === "types" ? "include_types" : field] = items;
    } else if (v.trim()) body[field] = v.trim();
  }
  return body;
}

export class Matching {
  constructor(ctx) {
    this.ctx = ctx;
    this.result = null;
    this.last = null; // {kind: "org", org} | {kind: "need", body}
    this.seq = 0;
    this.pendingCand = null;
    this.team = []; // [{id, name}] already on board
    this.types = [];
    this.themes = [];
    this.asked = null; // the question (as JSON) last asked: follow() asks only a new one
    this.restored = false;

    const isId = (q) => (ctx.view.graph.hasNode(q) ? { id: q, name: ctx.nodeName(q) } : null);
    this.orgSuggest = ctx.attachSuggest($("#match-org"), { onError: ctx.showError, isId });
    this.askerSuggest = ctx.attachSuggest($("#match-asker"), { onError: ctx.showError, isId });
    this.teamSuggest = ctx.attachSuggest($("#match-team"), {
      onError: ctx.showError,
      isId,
      onPick: (o) => this.addTeam(o),
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
        else this.ask({ match: o.id, cand: "" });
      } catch (err) {
        ctx.showError(err);
      }
    });
    $("#match-need-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.submitNeed().catch((err) => ctx.showError(err));
    });
    $("#match-need-clear").addEventListener("click", () => this.clearNeed());
    $("#match-export").addEventListener("click", () => this.exportList("csv"));
    $("#match-export-xlsx").addEventListener("click", () => this.exportList("xlsx"));
    $("#match-place").addEventListener("focus", () => this.fillPlaces());
    onLang(() => this.buildChoices());
  }

  rows() {
    return this.result ? this.result.candidates || [] : [];
  }

  setOrg(id, name) {
    this.orgSuggest.set(id, name);
  }

  // ------------------------------------------------------------------ the need form

  /** After the catalogues are loaded: build the form, fill it from the URL, ask again. */
  async restore() {
    this.buildChoices();
    await this.loadThemes();
    const q = questionOf(this.ctx.state);
    if (!q || q.kind !== "need") await this.fillForm(needKeysOf(this.ctx.state));
    this.restored = true;
    await this.follow();
  }

  /** A new history entry for a new question (so that back returns to the last one), then ask it. */
  ask(patch) {
    history.pushState(null, "", location.href);
    return this.ctx.update(patch);
  }

  /** The question in the page state changed (a submit, a link, the back button): answer it. */
  async follow() {
    if (!this.restored) return;
    const q = questionOf(this.ctx.state);
    const key = q ? JSON.stringify(q) : "";
    if (key === this.asked) return;
    this.asked = key;
    if (!q) {
      this.forget();
      await this.fillForm(needKeysOf(this.ctx.state));
    } else if (q.kind === "org") {
      await this.runForOrg(q.org);
    } else {
      await this.fillForm(q.keys);
      await this.runNeed(bodyOf(q.keys));
    }
  }

  /** No question: no answer on screen. */
  forget() {
    this.seq++;
    this.result = null;
    this.last = null;
    clear($("#match-results"));
    $("#match-bar").hidden = true;
    $("#match-explain").hidden = true;
    $("#match-intro-note").hidden = true;
    this.ctx.setHighlight([], [], "cand");
  }

  async loadThemes() {
    try {
      const res = await get("/themes", { limit: 200 }, { cached: true });
      this.themes = (res.data || []).map((x) => ({ id: x.id, name: x.name }));
    } catch (e) {
      this.ctx.showError(e);
    }
    this.buildThemes();
  }

  /** Roles and organisation types from the vocabulary (the catalogue names each of them). */
  buildChoices() {
    const roleBox = $("#match-roles");
    const rolesOn = this.checked("roles");
    clear(roleBox);
    for (const role of helixRoles()) {
      roleBox.append(this.check("roles", role, [h(`span.role-dot.role-${role}`, { "aria-hidden": "true" }), h("span", t(`role.${role}`))], rolesOn));
    }
    this.typeList().then((types) => {
      const typeBox = $("#match-types");
      const on = this.checked("types");
      clear(typeBox);
      types
        .map((k) => [k, t(`type.${k}`)])
        .sort((a, b) => a[1].localeCompare(b[1], lang()))
        .forEach(([k, label]) => typeBox.append(this.check("types", k, h("span", label), on)));
      if (this.pendingTypes) {
        this.setChecked("types", this.pendingTypes);
        this.pendingTypes = null;
      }
    });
    this.fillPlaces();
  }

  buildThemes() {
    const box = $("#match-themes");
    const on = this.checked("themes");
    clear(box);
    for (const th of this.themes) box.append(this.check("themes", th.id, h("span", th.name), on));
  }

  /** The organisation types: the keys `type.*` of the catalogue, which names every one. */
  async typeList() {
    if (!this.types.length) this.types = codes("org_type");
    return this.types;
  }

  check(group, value, label, on) {
    const id = `match-${group}-${value}`;
    return h("div.check",
      h("input", { type: "checkbox", id, name: group, value, "data-testid": id, checked: on.has(value) }),
      h("label", { for: id }, label),
    );
  }

  checked(group) {
    return new Set([...document.querySelectorAll(`#match-${group} input:checked`)].map((x) => x.value));
  }

  setChecked(group, values) {
    const want = new Set(values);
    for (const box of document.querySelectorAll(`#match-${group} input`)) box.checked = want.has(box.value);
  }

  /** Suggestions for the place field: the provinces and regions the matcher knows, then places. */
  fillPlaces() {
    const dl = clear($("#match-places"));
    const seen = new Set();
    for (const name of splitList(t("match.need.place.regions"))) {
      seen.add(name.toLowerCase());
      dl.append(h("option", { value: name, label: t("match.need.place.region") }));
    }
    const places = [...document.querySelectorAll("#places option")].map((o) => o.value).filter(Boolean);
    for (const name of places.sort((a, b) => a.localeCompare(b))) {
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      dl.append(h("option", { value: name }));
    }
  }

  addTeam(o) {
    if (!o) return;
    this.ctx.names.set(o.id, o.name);
    if (!this.team.some((m) => m.id === o.id)) this.team.push({ id: o.id, name: o.name });
    this.teamSuggest.set("", "");
    this.renderTeam();
  }

  removeTeam(id) {
    this.team = this.team.filter((m) => m.id !== id);
    this.renderTeam();
    $("#match-team").focus();
  }

  renderTeam() {
    const ul = clear($("#match-team-list"));
    for (const m of this.team) {
      ul.append(
        h("li.team-chip", { dataset: { id: m.id } },
          h("span.team-name", m.name),
          h("button.team-remove", {
            type: "button",
            "aria-label": t("match.need.team.remove", { name: m.name }),
            title: t("match.need.team.remove", { name: m.name }),
            onclick: () => this.removeTeam(m.id),
          }, "×"),
        ),
      );
    }
  }

  /** Names of organisations known by id only (from a URL): ask the service once. */
  async named(ids) {
    return Promise.all(
      ids.map(async (id) => {
        const known = this.ctx.names.get(id);
        if (known) return { id, name: known };
        try {
          const o = await get(`/organisations/${encodeURIComponent(id)}`);
          this.ctx.names.set(id, o.name);
          return { id, name: o.name };
        } catch {
          return { id, name: id };
        }
      }),
    );
  }

  async fillForm(keys) {
    const [asker] = keys[KEYS.org] ? await this.named([keys[KEYS.org]]) : [null];
    this.askerSuggest.set(asker ? asker.id : "", asker ? asker.name : "");
    this.team = await this.named(splitList(keys[KEYS.team]));
    this.renderTeam();
    this.setChecked("themes", splitList(keys[KEYS.themes]));
    this.setChecked("roles", splitList(keys[KEYS.roles]));
    const types = splitList(keys[KEYS.types]);
    if (document.querySelector("#match-types input")) this.setChecked("types", types);
    else this.pendingTypes = types; // the type list is still on its way
    $("#match-place").value = keys[KEYS.place] || "";
    $("#match-keywords").value = splitList(keys[KEYS.keywords]).join(", ");
  }

  /** The form as the URL keeps it (organisations resolved to their ids). */
  async readForm() {
    const askerText = $("#match-asker").value.trim();
    const asker = askerText ? await this.askerSuggest.resolve() : null;
    if (askerText && !asker) throw new FormError(t("match.need.asker.unknown", { q: askerText }), "#match-asker");
    const typed = $("#match-team").value.trim();
    if (typed) {
      const o = await this.teamSuggest.resolve();
      if (!o) throw new FormError(t("match.need.team.unknown", { q: typed }), "#match-team");
      this.addTeam(o);
    }
    const keys = { [ASKED]: "1" };
    keys[KEYS.org] = asker ? asker.id : "";
    keys[KEYS.team] = this.team.map((m) => m.id).join(",");
    keys[KEYS.themes] = [...this.checked("themes")].join(",");
    keys[KEYS.roles] = helixRoles().filter((r) => this.checked("roles").has(r)).join(",");
    keys[KEYS.types] = [...this.checked("types")].join(",");
    keys[KEYS.place] = $("#match-place").value.trim();
    keys[KEYS.keywords] = splitList($("#match-keywords").value).join(",");
    return keys;
  }

  async submitNeed() {
    let keys;
    try {
      keys = await this.readForm();
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      this.renderInfo(err.message);
      $(err.field).focus();
      return;
    }
    const same = !this.ctx.state.match && JSON.stringify(keys) === JSON.stringify(needKeysOf(this.ctx.state));
    if (same) await this.runNeed(bodyOf(keys)); // asked again: ask the service again
    else await this.ask({ ...keys, match: "", cand: "" });
  }

  clearNeed() {
    const keys = { [ASKED]: "" };
    for (const key of Object.values(KEYS)) keys[key] = "";
    this.fillForm(keys);
    this.ctx.update(keys);
  }

  // ------------------------------------------------------------------ asking the service

  async runForOrg(id) {
    if (!id) return;
    this.setOrg(id, this.ctx.nodeName(id));
    if (this.ctx.nodeName(id) === id) this.named([id]).then(([o]) => this.ctx.state.match === id && this.setOrg(o.id, o.name));
    await this.run({ kind: "org", org: id }, () => get("/match/partners", { org: id, top: TOP, lang: lang() }));
  }

  async runNeed(body) {
    await this.run({ kind: "need", body }, () => post("/match", { ...body, lang: lang() }));
  }

  async run(last, fetcher) {
    const my = ++this.seq;
    this.last = last;
    const ol = clear($("#match-results"));
    $("#match-bar").hidden = true;
    $("#match-explain").hidden = true;
    $("#match-intro-note").hidden = true;
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
      this.result = null;
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
    $("#match-bar").hidden = true;
    $("#match-explain").hidden = true;
    $("#match-intro-note").hidden = true;
    clear($("#match-results")).append(h("li.muted", text));
  }

  // ------------------------------------------------------------------ the answer

  render() {
    const ol = clear($("#match-results"));
    const res = this.result;
    const list = this.rows();
    this.renderSummary(res, list);
    this.renderExplanation(res);
    // Without an asker or a team nobody can introduce: say so once, not on every card.
    const note = $("#match-intro-note");
    note.textContent = t("match.list.noIntroNoTeam");
    note.hidden = !list.length || this.hasSource();
    if (!list.length) {
      if ($("#match-explain").hidden) ol.append(h("li.muted", t("match.none")));
      return;
    }
    const max = Math.max(...list.map((c) => c.score), 1e-9);
    for (const c of list) ol.append(this.candidate(c, max));
  }

  renderSummary(res, list) {
    const bar = $("#match-bar");
    bar.hidden = !list.length;
    const candidates = t("count.candidates", { n: list.length });
    const eligible = t("count.organisations", { n: res.eligible ?? list.length });
    const team = this.last && this.last.kind === "need" ? this.last.body.team || [] : [];
    let text;
    if (res.asker) text = t("match.list.summaryFor", { candidates, eligible, name: res.asker.name });
    else if (team.length) text = t("match.list.summaryTeam", { candidates, eligible, names: listing(team.map((id) => this.ctx.names.get(id) || id)) });
    else text = t("match.list.summary", { candidates, eligible });
    $("#match-summary").textContent = text;
  }

  /** Why the answer is empty (or was relaxed): what left whom out, and what to relax. */
  renderExplanation(res) {
    const box = clear($("#match-explain"));
    const ex = res.explanation;
    const show = Boolean(ex && (ex.summary || (!this.rows().length && ((ex.removed_by || []).length || (ex.suggestions || []).length))));
    box.hidden = !show;
    if (!show) return;
    if (ex.summary) box.append(h("p.explain-summary", ex.summary));
    const removed = (ex.removed_by || []).filter((r) => r.count > 0 && r.text);
    if (removed.length) box.append(h("ul.explain-removed", removed.map((r) => h("li", { dataset: { constraint: r.constraint } }, r.text))));
    const tips = (ex.suggestions || []).filter((s) => s.text);
    if (tips.length) {
      box.append(
        h("p.explain-head", t("match.list.relax")),
        h("ul.explain-suggest", tips.map((s) => h("li", { dataset: { constraint: s.constraint || "" } }, s.text))),
      );
    }
  }

  candidate(c, max) {
    const selected = c.id === this.ctx.state.cand;
    const roleLabel = c.role_label || t(`role.${c.helix_role}`);
    const typeLabel = c.type_label || (c.org_type ? t(`type.${c.org_type}`) : "");
    const li = h("li.candidate", {
      dataset: { id: c.id, rank: String(c.rank), role: c.helix_role },
      onclick: (e) => {
        if (e.target.closest("button")) return;
        this.select(c.id);
      },
    });
    const bar = h("span.score-fill");
    bar.style.width = `${Math.max(4, (100 * c.score) / max)}%`;
    const eligibility = c.eligibility || "";
    const penalty = c.penalty || "";
    // The eligibility, the penalty and the introduction have places of their own on the card.
    const apart = new Set([eligibility, penalty, c.introduction_note].filter(Boolean));
    const reasons = (c.reasons || []).filter((r) => !apart.has(r));
    const parts = [
      h("div.cand-head",
        h("span.rank", String(c.rank)),
        h("button.linklike.cand-name", {
          type: "button",
          "aria-pressed": selected ? "true" : "false",
          title: t("match.list.select", { name: c.name }),
          onclick: () => this.select(c.id),
        }, c.name),
        h("span.cand-score", { title: t("metric.score") }, t("match.score", { s: fmt(c.score, 2) })),
      ),
      h("div.cand-meta",
        h("span.cand-role", { title: t("match.list.roleTitle"), "data-role": c.helix_role },
          h(`span.role-dot.role-${c.helix_role}`, { "aria-hidden": "true" }),
          h("span.cand-role-label", roleLabel),
        ),
        [typeLabel, c.place].filter(Boolean).map((x) => h("span.cand-more", ` · ${x}`)),
      ),
      h("span.score-bar", { "aria-hidden": "true" }, bar),
      eligibility ? h("p.cand-eligible", { "data-through": c.eligible_through || "" }, sentence(eligibility)) : null,
      h("ul.reasons", reasons.map((r) => h("li", r))),
      penalty ? h("p.cand-penalty", { title: t("match.list.penaltyTitle") }, h("span.penalty-sign", { "aria-hidden": "true" }, "−"), t("match.list.penalty", { text: penalty })) : null,
      this.hasSource() ? this.introduction(c) : null,
    ];
    li.append(...parts.filter(Boolean));
    li.dataset.through = c.eligible_through || "";
    if (selected) li.classList.add("selected");
    return li;
  }

  /** Whether the question names someone to introduce from: an asker or a team. */
  hasSource() {
    if (this.result && this.result.asker) return true;
    const body = this.last && this.last.kind === "need" ? this.last.body : null;
    return Boolean(body && body.team && body.team.length);
  }

  /** Who introduces, through which activity — or why nobody can (the service's note). */
  introduction(c) {
    const intro = c.introduction;
    const box = h("div.intro-path", { "data-has-path": intro ? "1" : "0" });
    if (!intro || !intro.hops || !intro.hops.length) {
      box.append(h("p.intro-note", sentence(c.introduction_note || t("match.intro.noPath"))));
      return box;
    }
    const via = (hop) => (hop.via || []).slice(0, 1).map((v) => `${t(`kind.${v.label}`).toLowerCase()} ‘${v.name}’`).join("");
    box.append(h("strong", `${t("match.intro")}: `));
    if (intro.introducers && intro.introducers.length) {
      const chain = intro.introducers.map((o) => o.name).join(" → ");
      box.append(h("span.intro-via", t("match.list.viaChain", { chain, steps: t("count.steps", { n: intro.hops.length }) })));
    } else {
      // A direct collaboration: one step, said in one sentence.
      const [hop] = intro.hops;
      const v = via(hop);
      box.append(h("span.intro-direct", v ? t("match.list.direct", { a: hop.source.name, b: hop.target.name, via: v }) : c.introduction_note));
      return box;
    }
    box.append(
      h("ol.hops", intro.hops.map((hop) => {
        const v = via(hop);
        const text = v ? t("match.list.hop", { a: hop.source.name, b: hop.target.name, via: v }) : t("match.list.hopPlain", { a: hop.source.name, b: hop.target.name });
        return h("li", { dataset: { source: hop.source.id, target: hop.target.id } }, text);
      })),
    );
    return box;
  }

  // ------------------------------------------------------------------ export

  /** The request of the answer on screen, as POST /match takes it. */
  requestBody() {
    if (!this.last) return null;
    if (this.last.kind === "org") return { org: this.last.org, top: TOP };
    return { ...this.last.body };
  }

  /**
   * The short list to send on, written by the service (POST /match/table) in the page's
   * language: CSV as Dutch or English Excel opens it, or an Excel workbook.
   */
  async exportList(format) {
    const body = this.requestBody();
    if (!body || !this.rows().length) return;
    try {
      const { blob, filename } = await postFile("/match/table", { format, lang: lang() }, { ...body, lang: lang() });
      const name = filename || `helixgraph-${t("match.export.file")}-${new Date().toISOString().slice(0, 10)}.${format}`;
      download(name, blob);
      this.ctx.message(t("export.done", { file: name }));
    } catch (e) {
      this.ctx.showError(e);
    }
  }

  // ------------------------------------------------------------------ the graph

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
      const btn = li.querySelector(".cand-name");
      if (btn) btn.setAttribute("aria-pressed", on ? "true" : "false");
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

class FormError extends Error {
  constructor(message, field) {
    super(message);
    this.field = field;
  }
}

/** "a, b en c" in the page's language. */
function listing(items) {
  if (items.length < 2) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${t("common.and")} ${items[items.length - 1]}`;
}
