// Editing the graph from the explorer, for a person with an API key of scope write.
//
// The key is kept for this tab only (sessionStorage), sent as X-API-Key, and forgotten on
// sign-out; without it the page shows no edit control. Every user action is ONE request,
// POST /api/v1/edits, carrying the ETags of what the form was opened on: when someone else
// changed the record meanwhile (412), both versions are shown field by field and the person
// chooses. History per node (GET /api/v1/history/{id}) with undo per change
// (POST /api/v1/changes/{version}/undo); deleting says first what goes with it
// (GET /api/v1/edits/impact). Every new fact carries its source: a document, a web page or
// a person who told it, written as provenance {source, section, quote}.
import { BASE, ApiError, query } from "./api.js";
import { h, $, $$, clear } from "./dom.js";
import { t, lang, applyStatic, codes, codeText, linkRoleText, activityLinks, activityKinds, collection } from "./i18n.js";
import { attachSuggest } from "./suggest.js";

const KEY_SLOT = "helixgraph.editKey";
const SOURCE_SLOT = "helixgraph.lastSource";
// The relationship an organisation has with each kind of activity, the list of its roles and
// whether one is required: graph_schema's relation rules, as GET /api/v1/vocabulary serves them.
const linkOf = (kind) => activityLinks()[kind];
const ORG_FIELDS = ["name", "aliases", "helix_role", "secondary_roles", "org_type", "place", "province", "description", "website"];

/** Today as an ISO date (the reader's local day). */
function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** A slug id from a name: lowercase letters and digits joined by single hyphens. */
export function slug(name) {
  return String(name || "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/g, "");
}

/** An ISO date in words in the page's language ("3 december 2026"); anything else as is. */
function dateWords(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s || "")) return s || "";
  const [y, m, d] = s.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(lang() === "nl" ? "nl-NL" : "en-GB", { day: "numeric", month: "long", year: "numeric" });
}

/** Provenance in words: a document, a web page or what a person told. */
export function sourceWords(p) {
  if (!p || !p.source) return "";
  if (p.source.startsWith("told:")) return t("edit.source.words.told", { name: p.source.slice(5), date: dateWords(p.section), note: p.quote || "" });
  if (/^https?:\/\//i.test(p.source)) return t("edit.source.words.web", { url: p.source, date: dateWords(p.section), note: p.quote || "" });
  return t("edit.source.words.document", { document: p.source, section: p.section || "", quote: p.quote || "" });
}

/** The choice and fields of a source form from a provenance (the last one used). */
function sourceFields(p) {
  if (!p || !p.source) return { mode: "web", date: today() };
  if (p.source.startsWith("told:")) return { mode: "told", name: p.source.slice(5), date: p.section, note: p.quote };
  if (/^https?:\/\//i.test(p.source)) return { mode: "web", url: p.source, date: p.section, note: p.quote };
  return { mode: "document", document: p.source, section: p.section, quote: p.quote };
}

export class Editing {
  /**
   * ctx: { state, names, message, showError, themes(), afterWrite({focus}) → Promise,
   *        rerenderPanel() } from main.js.
   */
  constructor(ctx) {
    this.ctx = ctx;
    this.key = sessionStorage.getItem(KEY_SLOT) || "";
    this.panelOrg = null;
    this.names = new Map(); // names of activities seen in panels (the history names links by them)
  }

  /** A node's name as far as the page knows it; else its id. */
  nameOf(id) {
    return this.ctx.names.get(id) || this.names.get(id) || id;
  }

  get signedIn() {
    return Boolean(this.key);
  }

  // ------------------------------------------------------------ requests

  /** A request with the key: {body, etag}; a problem answer becomes ApiError with its body. */
  async call(method, path, { params = {}, body, file } = {}) {
    const headers = { Accept: "application/json", "Accept-Language": lang() };
    if (this.key) headers["X-API-Key"] = this.key;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const form = file ? new FormData() : null; // an uploaded file goes as a form (its name kept)
    if (form) form.append("file", file, file.name);
    let res;
    try {
      res = await fetch(`${BASE}${path}${query({ ...params, lang: lang() })}`, {
        method,
        headers,
        body: form || (body === undefined ? undefined : JSON.stringify(body)),
        cache: "no-store",
      });
    } catch {
      throw new ApiError(t("msg.network"), 0, null);
    }
    const type = res.headers.get("content-type") || "";
    const answer = type.includes("json") ? await res.json().catch(() => null) : null;
    if (!res.ok) {
      let detail = answer && typeof answer === "object" ? answer.detail || answer.title : null;
      if (Array.isArray(detail)) detail = detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
      throw new ApiError(String(detail || `HTTP ${res.status}`), res.status, answer);
    }
    return { body: answer, etag: res.headers.get("etag") };
  }

  /** A node as it is now, with its ETag. */
  async node(label, id) {
    const { body, etag } = await this.call("GET", `/${collection(label) || collection("Organisation")}/${encodeURIComponent(id)}`);
    return { doc: body, etag };
  }

  /** One user action, one write. */
  edits(batch) {
    return this.call("POST", "/edits", { body: batch }).then((r) => r.body);
  }

  // ------------------------------------------------------------ sign-in

  setup() {
    $("#edit-signin").addEventListener("click", () => this.openSignIn());
    $("#edit-signout").addEventListener("click", () => this.signOut());
    $("#edit-new-org").addEventListener("click", () => this.openOrgForm(null));
    $("#edit-new-activity").addEventListener("click", () => this.openActivityForm(null, null));
    this.showSignedIn();
  }

  showSignedIn() {
    const on = this.signedIn;
    $("#edit-signin").hidden = on;
    $("#edit-signout").hidden = !on;
    $("#edit-card").hidden = !on;
    document.body.classList.toggle("editing", on);
    this.ctx.rerenderPanel();
  }

  openSignIn() {
    const input = h("input#edit-key", { type: "password", autocomplete: "off", spellcheck: "false", required: true, "data-testid": "edit-key", "aria-describedby": "edit-key-help" });
    const error = h("p.edit-error", { role: "alert", "data-testid": "edit-error" });
    const dlg = this.dialog("edit.signin.title", "signin", [
      h("div.field", h("label", { for: "edit-key", "data-i18n": "edit.signin.key" }, t("edit.signin.key")), input,
        h("p.help#edit-key-help", { "data-i18n": "edit.signin.help" }, t("edit.signin.help"))),
      error,
    ], {
      submitKey: "edit.signin.submit",
      onSubmit: async () => {
        const key = input.value.trim();
        if (!key) return false;
        error.textContent = "";
        const previous = this.key;
        this.key = key;
        try {
          // an empty batch, tried only: 401 or 403 when the key may not write
          await this.call("POST", "/edits", { params: { dry_run: "true" }, body: { upsert: { nodes: [], edges: [] }, delete: { nodes: [], edges: [] }, expected: {} } });
        } catch (e) {
          if (e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 0)) {
            this.key = previous;
            error.textContent = e.status === 401 ? t("edit.signin.unknown") : e.status === 403 ? t("edit.signin.noWrite") : t("msg.network");
            input.focus();
            return false;
          }
          // any other answer (an empty batch refused): the key was accepted
        }
        sessionStorage.setItem(KEY_SLOT, key);
        this.showSignedIn();
        this.ctx.message(t("edit.signin.done"));
        return true;
      },
    });
    dlg.open(input);
  }

  signOut() {
    this.key = "";
    sessionStorage.removeItem(KEY_SLOT);
    this.showSignedIn();
    this.ctx.message(t("edit.signout.done"));
  }

  // ------------------------------------------------------------ dialogs

  /**
   * A modal dialog: labelled by its title, focus inside, Escape closes, focus goes back to
   * where it was. onSubmit returns true (or a promise of it) to close.
   */
  dialog(titleKey, name, content, { submitKey, onSubmit, wide = false, extraButtons = [], titleVars } = {}) {
    const opener = document.activeElement;
    const titleId = `edit-title-${name}`;
    const status = h("p.edit-busy", { role: "status", "aria-live": "polite" });
    const submit = submitKey ? h("button.btn.btn-primary", { type: "submit", "data-testid": `edit-${name}-submit`, "data-i18n": submitKey }, t(submitKey)) : null;
    const cancel = h("button.btn.btn-ghost", { type: "button", "data-testid": `edit-${name}-cancel`, "data-i18n": submitKey ? "edit.cancel" : "edit.close" }, t(submitKey ? "edit.cancel" : "edit.close"));
    const form = h("form.edit-form", { method: "dialog", novalidate: true, autocomplete: "off" },
      h("div.edit-dialog-head", h("h2", { id: titleId }, titleVars ? t(titleKey, titleVars) : t(titleKey))),
      h("div.edit-dialog-body", content),
      h("div.edit-dialog-foot", status, extraButtons, cancel, submit),
    );
    const el = h(`dialog.edit-dialog${wide ? ".wide" : ""}`, { "aria-labelledby": titleId, "data-testid": `edit-dialog-${name}` }, form);
    const close = () => {
      if (el.open) el.close();
    };
    el.addEventListener("keydown", (e) => {
      if (e.key === "Escape") e.stopPropagation(); // the page's own Escape (closing the panel) waits
    });
    el.addEventListener("close", () => {
      el.remove();
      if (opener && opener.isConnected && typeof opener.focus === "function") opener.focus();
    });
    cancel.addEventListener("click", close);
    let busy = false;
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!onSubmit || busy) return;
      busy = true;
      if (submit) submit.disabled = true;
      status.textContent = t("edit.saving");
      try {
        if (await onSubmit()) close();
      } finally {
        busy = false;
        if (submit) submit.disabled = false;
        status.textContent = "";
      }
    });
    return {
      el,
      form,
      close,
      open(focus) {
        document.body.append(el);
        applyStatic(el);
        el.showModal();
        const first = focus || el.querySelector("input:not([type=hidden]):not([disabled]), select, textarea, button");
        if (first) first.focus();
      },
    };
  }

  // ------------------------------------------------------------ panel

  /** Edit controls in the organisation panel (signed in only) and on its activities. */
  panel(org) {
    const box = $("#panel-edit");
    clear(box);
    this.panelOrg = org;
    box.hidden = !this.signedIn || !org;
    if (!this.signedIn || !org) return;
    const button = (key, testid, fn, extra = "") =>
      h(`button.btn.btn-small${extra}`, { type: "button", "data-testid": testid, "data-i18n": key, onclick: fn }, t(key));
    box.append(
      button("edit.org.edit", "edit-org", () => this.openOrgForm(org.id)),
      button("edit.link.add", "edit-add-link", () => this.openOrgForm(org.id, { focusLinks: true })),
      button("edit.activity.new", "edit-new-activity-here", () => this.openActivityForm(null, org)),
      button("edit.history", "edit-history", () => this.openHistory("Organisation", org.id, org.name)),
      button("edit.delete", "edit-delete", () => this.openDelete("Organisation", org.id, org.name), ".btn-danger"),
    );
    for (const li of $$("#panel-links li.link")) {
      const id = li.dataset.id;
      const label = li.querySelector(".kind") ? [...li.querySelector(".kind").classList].find((c) => c.startsWith("kind-"))?.slice(5) : null;
      if (!id || !activityKinds().includes(label)) continue;
      const name = li.querySelector(".link-name")?.textContent || id;
      this.names.set(id, name);
      li.append(
        h("div.row.link-edit",
          h("button.btn-link", { type: "button", "data-testid": `edit-activity-${id}`, onclick: () => this.openActivityForm({ label, id }, null) }, t("edit.activity.edit")),
          h("button.btn-link", { type: "button", "data-testid": `history-activity-${id}`, onclick: () => this.openHistory(label, id, name) }, t("edit.history")),
        ),
      );
    }
  }

  // ------------------------------------------------------------ source

  /** The three ways of giving a source, the last one used offered again. */
  sourceSection() {
    let last = null;
    try {
      last = JSON.parse(sessionStorage.getItem(SOURCE_SLOT) || "null");
    } catch {
      last = null;
    }
    const v = sourceFields(last);
    const input = (id, key, value, attrs = {}) =>
      h("div.field", h("label", { for: id, "data-i18n": key }, t(key)), h("input", { id, "data-testid": id, value: value || "", ...attrs }));
    const area = (id, key, value) =>
      h("div.field", h("label", { for: id, "data-i18n": key }, t(key)), h("textarea", { id, "data-testid": id, rows: 2 }, value || ""));
    const groups = {
      document: h("div.source-fields", { dataset: { mode: "document" } },
        input("edit-source-document-name", "edit.source.document.name", v.document),
        input("edit-source-section", "edit.source.document.section", v.section),
        area("edit-source-quote", "edit.source.document.quote", v.quote)),
      web: h("div.source-fields", { dataset: { mode: "web" } },
        input("edit-source-url", "edit.source.web.url", v.url, { type: "url", placeholder: "https://" }),
        input("edit-source-web-date", "edit.source.date", v.mode === "web" ? v.date || today() : today(), { type: "date" }),
        area("edit-source-web-note", "edit.source.note", v.mode === "web" ? v.note : "")),
      told: h("div.source-fields", { dataset: { mode: "told" } },
        input("edit-source-person", "edit.source.told.name", v.name),
        input("edit-source-told-date", "edit.source.date", v.mode === "told" ? v.date || today() : today(), { type: "date" }),
        area("edit-source-told-note", "edit.source.told.note", v.mode === "told" ? v.note : "")),
    };
    const radios = ["document", "web", "told"].map((mode) =>
      h("label.radio", { for: `edit-source-${mode}` },
        h("input", { type: "radio", name: "edit-source-mode", id: `edit-source-${mode}`, value: mode, "data-testid": `edit-source-${mode}`, checked: mode === v.mode, onchange: () => show(mode) }),
        h("span", { "data-i18n": `edit.source.${mode}` }, t(`edit.source.${mode}`))),
    );
    const show = (mode) => {
      for (const [m, g] of Object.entries(groups)) g.hidden = m !== mode;
    };
    show(v.mode);
    const section = h("fieldset.field.edit-source", { "data-testid": "edit-source" },
      h("legend", { "data-i18n": "edit.source.title" }, t("edit.source.title")),
      last ? h("p.help", { "data-testid": "edit-source-last" }, t("edit.source.last", { source: sourceWords(last) })) : null,
      h("div.row.source-modes", { role: "radiogroup" }, radios),
      Object.values(groups),
    );
    const read = () => {
      const mode = section.querySelector("input[name=edit-source-mode]:checked")?.value || "web";
      const val = (id) => (section.querySelector(`#${id}`)?.value || "").trim();
      let p;
      if (mode === "document") p = { source: val("edit-source-document-name"), section: val("edit-source-section"), quote: val("edit-source-quote") };
      else if (mode === "web") p = { source: val("edit-source-url"), section: val("edit-source-web-date"), quote: val("edit-source-web-note") };
      else p = { source: val("edit-source-person") ? `told:${val("edit-source-person")}` : "", section: val("edit-source-told-date"), quote: val("edit-source-told-note") };
      const missing = [];
      if (!p.source) missing.push(t(mode === "document" ? "edit.source.document.name" : mode === "web" ? "edit.source.web.url" : "edit.source.told.name"));
      else if (mode === "web" && !/^https?:\/\/\S+$/i.test(p.source)) return { error: t("edit.source.badUrl") };
      if (!p.section) missing.push(t(mode === "document" ? "edit.source.document.section" : "edit.source.date"));
      if (!p.quote) missing.push(t(mode === "document" ? "edit.source.document.quote" : mode === "web" ? "edit.source.note" : "edit.source.told.note"));
      if (missing.length) return { error: t("edit.source.missing", { fields: missing.join(", ") }) };
      return { provenance: p };
    };
    const remember = (p) => sessionStorage.setItem(SOURCE_SLOT, JSON.stringify(p));
    return { section, read, remember };
  }

  // ------------------------------------------------------------ organisation form

  /** Edit an organisation (id) or create one (null), with its links, in one write. */
  async openOrgForm(id, { focusLinks = false } = {}) {
    let base = null;
    let etag = null;
    let links = [];
    try {
      if (id) {
        const [n, l] = await Promise.all([this.node("Organisation", id), this.call("GET", `/organisations/${encodeURIComponent(id)}/links`)]);
        base = n.doc;
        etag = n.etag;
        links = (Array.isArray(l.body) ? l.body : l.body.data || []).filter((x) => activityKinds().includes(x.node.label) && x.direction !== "in");
      }
    } catch (e) {
      this.ctx.showError(e);
      return;
    }
    const roles = codes("helix_role");
    const types = codes("org_type");
    const field = (name, control) =>
      h("div.field", h("label", { for: `edit-field-${name}`, "data-i18n": `edit.field.${name}` }, t(`edit.field.${name}`)), control);
    const text = (name, value, attrs = {}) => h("input", { id: `edit-field-${name}`, "data-testid": `edit-field-${name}`, value: value || "", ...attrs });
    const select = (name, options, value) => {
      const s = h("select", { id: `edit-field-${name}`, "data-testid": `edit-field-${name}` }, options.map(([k, label]) => h("option", { value: k }, label)));
      s.value = value || options[0][0];
      return s;
    };
    const nameInput = text("name", base?.name, { required: true });
    const idInput = text("id", base?.id || "", { pattern: "[a-z0-9]+(-[a-z0-9]+)*", disabled: Boolean(base), "aria-describedby": "edit-field-id-help" });
    let idTouched = false;
    idInput.addEventListener("input", () => (idTouched = true));
    nameInput.addEventListener("input", () => {
      if (!base && !idTouched) idInput.value = slug(nameInput.value);
    });
    const helix = select("helix_role", roles.map((r) => [r, codeText("helix_role", r)]), base?.helix_role);
    const secondary = h("div.checks.checks-row", roles.map((r) =>
      h("div.check",
        h("input", { type: "checkbox", id: `edit-field-secondary-${r}`, "data-testid": `edit-field-secondary-${r}`, value: r, checked: (base?.secondary_roles || []).includes(r) }),
        h("label", { for: `edit-field-secondary-${r}`, "data-i18n": `role.${r}` }, codeText("helix_role", r)))));
    const orgType = select("org_type", types.map((k) => [k, codeText("org_type", k)]).sort((a, b) => a[1].localeCompare(b[1], lang())), base?.org_type || "company");
    const aliases = text("aliases", (base?.aliases || []).join(", "), { "aria-describedby": "edit-field-aliases-help" });
    const place = text("place", base?.place, { list: "places" });
    const province = text("province", base?.province, { "aria-describedby": "edit-field-province-help" });
    const description = h("textarea", { id: "edit-field-description", "data-testid": "edit-field-description", rows: 3 }, base?.description || "");
    const website = text("website", base?.website, { type: "url", inputmode: "url", maxlength: 300, placeholder: "https://" });

    // links: the existing ones (each can be removed) and new ones
    const removed = new Set();
    const added = [];
    const linkList = h("ul.edit-links", { "data-testid": "edit-links" });
    const renderLinks = () => {
      clear(linkList);
      for (const l of links) {
        const cid = `edit-link-remove-${l.node.id}`;
        linkList.append(h("li", { dataset: { id: l.node.id } },
          h("input", { type: "checkbox", id: cid, "data-testid": cid, checked: removed.has(l.node.id), onchange: (e) => (e.target.checked ? removed.add(l.node.id) : removed.delete(l.node.id)) }),
          h("label", { for: cid }, h(`span.kind.kind-${l.node.label}`, t(`kind.${l.node.label}`)), " ", l.node.name || l.node.id,
            l.role ? ` (${roleText(l.role)})` : "", " — ", h("span.muted", t("edit.link.remove")))));
      }
      added.forEach((a, i) => {
        linkList.append(h("li.added", { dataset: { id: a.id } },
          h(`span.kind.kind-${a.label}`, t(`kind.${a.label}`)), " ", a.name, a.role ? ` (${roleText(a.role)})` : "", " ",
          h("span.chip.chip-new", t("edit.link.new")), " ",
          h("button.btn-link", { type: "button", "data-testid": `edit-link-undo-${a.id}`, onclick: () => { added.splice(i, 1); renderLinks(); } }, t("edit.link.undoAdd"))));
      });
      if (!links.length && !added.length) linkList.append(h("li.muted", t("edit.link.none")));
    };
    const picker = this.activityPicker();
    const addButton = h("button.btn.btn-small", { type: "button", "data-testid": "edit-link-add", "data-i18n": "edit.link.addThis" }, t("edit.link.addThis"));
    const linkError = h("p.edit-error", { role: "alert" });
    addButton.addEventListener("click", async () => {
      linkError.textContent = "";
      const picked = await picker.read();
      if (picked.error) {
        linkError.textContent = picked.error;
        return;
      }
      if (!picked.link) return;
      if (!added.some((a) => a.id === picked.link.id)) added.push(picked.link);
      picker.reset();
      renderLinks();
    });
    renderLinks();
    const linksSection = h("fieldset.field.edit-links-box", { "data-testid": "edit-links-box" },
      h("legend", { "data-i18n": "edit.link.title" }, t("edit.link.title")),
      linkList, picker.element, h("div.row", addButton), linkError);

    const source = this.sourceSection();
    const errors = h("div.edit-error", { role: "alert", "data-testid": "edit-errors" });
    const content = [
      h("div.edit-grid",
        field("name", nameInput),
        h("div.field", h("label", { for: "edit-field-id", "data-i18n": "edit.field.id" }, t("edit.field.id")), idInput,
          h("p.help#edit-field-id-help", { "data-i18n": "edit.field.id.help" }, t("edit.field.id.help"))),
        h("div.field", h("label", { for: "edit-field-aliases", "data-i18n": "edit.field.aliases" }, t("edit.field.aliases")), aliases,
          h("p.help#edit-field-aliases-help", { "data-i18n": "edit.field.aliases.help" }, t("edit.field.aliases.help"))),
        field("helix_role", helix),
        h("fieldset.field.edit-wide", h("legend", { "data-i18n": "edit.field.secondary_roles" }, t("edit.field.secondary_roles")), secondary),
        field("org_type", orgType),
        field("place", place),
        h("div.field", h("label", { for: "edit-field-province", "data-i18n": "edit.field.province" }, t("edit.field.province")), province,
          h("p.help#edit-field-province-help", { "data-i18n": "edit.field.province.help" }, t("edit.field.province.help"))),
        h("div.field.edit-wide", h("label", { for: "edit-field-description", "data-i18n": "edit.field.description" }, t("edit.field.description")), description),
        h("div.field.edit-wide", h("label", { for: "edit-field-website", "data-i18n": "edit.field.website" }, t("edit.field.website")), website),
      ),
      linksSection,
      source.section,
      errors,
    ];

    const build = () => {
      const doc = { ...(base || {}), label: "Organisation" };
      doc.id = base ? base.id : idInput.value.trim() || slug(nameInput.value);
      doc.name = nameInput.value.trim();
      doc.aliases = aliases.value.split(",").map((s) => s.trim()).filter(Boolean);
      doc.helix_role = helix.value;
      // in the order they were stored, new ones after them: a list merely reordered is no change
      const checked = roles.filter((r) => $(`#edit-field-secondary-${r}`, secondary).checked && r !== helix.value);
      const kept = (base?.secondary_roles || []).filter((r) => checked.includes(r));
      doc.secondary_roles = [...kept, ...checked.filter((r) => !kept.includes(r))];
      doc.org_type = orgType.value;
      const newPlace = place.value.trim() || null;
      const newProvince = province.value.trim() || null;
      const placeChanged = newPlace !== (base?.place || null);
      const provinceChanged = newProvince !== (base?.province || null);
      doc.place = newPlace;
      doc.province = newProvince;
      // a new place or province: the service fills in what follows from it
      if (placeChanged || provinceChanged) {
        delete doc.region;
        delete doc.place_source;
        if (placeChanged && !provinceChanged) delete doc.province;
      }
      doc.description = description.value.trim() || null;
      doc.website = website.value.trim() || null;
      for (const k of Object.keys(doc)) if (doc[k] === null) delete doc[k];
      return doc;
    };

    const changedFields = (doc) => (base ? ORG_FIELDS.filter((f) => JSON.stringify(doc[f] ?? null) !== JSON.stringify(base[f] ?? null)) : ORG_FIELDS);

    const dlg = this.dialog(base ? "edit.org.titleEdit" : "edit.org.titleNew", "org", content, {
      wide: true,
      titleVars: base ? { name: base.name } : undefined,
      submitKey: "edit.save",
      onSubmit: async () => {
        errors.textContent = "";
        const doc = build();
        if (!doc.name) {
          errors.textContent = t("edit.required", { field: t("edit.field.name") });
          nameInput.focus();
          return false;
        }
        if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(doc.id)) {
          errors.textContent = t("edit.badId");
          idInput.focus();
          return false;
        }
        if (doc.website && !/^https?:\/\/[^\s/?#]+\.[^\s]+$/.test(doc.website)) {
          errors.textContent = t("edit.website.invalid");
          website.focus();
          return false;
        }
        // a link picked but not yet added goes along
        const pending = await picker.read();
        if (pending.link && !added.some((a) => a.id === pending.link.id)) added.push(pending.link);
        const nodeChanged = changedFields(doc).length > 0;
        const needsSource = nodeChanged || added.length > 0;
        if (!needsSource && !removed.size) {
          errors.textContent = t("edit.nothing");
          return false;
        }
        let provenance = null;
        if (needsSource) {
          const s = source.read();
          if (s.error) {
            errors.textContent = s.error;
            return false;
          }
          provenance = s.provenance;
        }
        const batch = {
          upsert: { nodes: [], edges: [] },
          delete: { nodes: [], edges: [] },
          expected: { [doc.id]: base ? etag : null },
        };
        if (nodeChanged) batch.upsert.nodes.push({ ...doc, provenance });
        for (const a of added) batch.upsert.edges.push({ source: doc.id, target: a.id, type: a.type, ...(a.role ? { role: a.role } : {}), provenance });
        for (const l of links) if (removed.has(l.node.id)) batch.delete.edges.push({ type: l.type, source: doc.id, target: l.node.id });
        // the form's values as she sees them (a province she left as it was stays shown)
        const shown = { ...doc, province: province.value.trim() || null, provenance: provenance || base?.provenance || null };
        const ok = await this.write(batch, {
          focus: doc.id,
          errors,
          mine: { [doc.id]: shown },
          base: { [doc.id]: base },
          fields: [...ORG_FIELDS, "provenance"],
          derive: derivePlace,
        });
        if (ok && provenance) source.remember(provenance);
        return ok;
      },
    });
    dlg.open(focusLinks ? picker.first : nameInput);
  }

  /** Kind, activity (name suggestions) and role of a new link. */
  activityPicker() {
    const kinds = h("select#edit-link-kind", { "data-testid": "edit-link-kind" }, activityKinds().map((k) => h("option", { value: k }, t(`kind.${k}`))));
    const name = h("input#edit-link-activity", { "data-testid": "edit-link-activity", type: "text", "data-i18n-placeholder": "edit.link.activity.placeholder", placeholder: t("edit.link.activity.placeholder") });
    const role = h("select#edit-link-role", { "data-testid": "edit-link-role" });
    const roleField = h("div.field", h("label", { for: "edit-link-role", "data-i18n": "edit.link.role" }, t("edit.link.role")), role);
    const fillRoles = () => {
      const rule = linkOf(kinds.value);
      clear(role);
      roleField.hidden = !rule.roles;
      if (!rule.roles) return;
      if (!rule.required) role.append(h("option", { value: "" }, t("edit.link.role.none")));
      for (const r of codes(rule.roles)) role.append(h("option", { value: r }, codeText(rule.roles, r)));
    };
    const wrap = h("div.field.suggest-host", h("label", { for: "edit-link-activity", "data-i18n": "edit.link.activity" }, t("edit.link.activity")), name);
    const suggest = attachSuggest(name, {
      limit: 8,
      onError: (e) => this.ctx.showError(e),
      search: (q, limit) => this.call("GET", `/${collection(kinds.value)}`, { params: { q, limit } }).then((r) => r.body.data || []),
      meta: () => t(`kind.${kinds.value}`),
    });
    name.addEventListener("keydown", (e) => {
      if (e.key === "Enter") e.preventDefault(); // picks a suggestion, never saves the form
    });
    kinds.addEventListener("change", () => {
      fillRoles();
      suggest.set("", "");
    });
    fillRoles();
    const element = h("div.edit-grid.edit-picker",
      h("div.field", h("label", { for: "edit-link-kind", "data-i18n": "edit.link.kind" }, t("edit.link.kind")), kinds),
      wrap, roleField);
    return {
      element,
      first: kinds,
      reset: () => suggest.set("", ""),
      /** {link} when an activity is chosen, {error} when it cannot be, {} when nothing is typed. */
      read: async () => {
        if (!name.value.trim()) return {};
        const rule = linkOf(kinds.value);
        let found = null;
        if (name.dataset.id) found = { id: name.dataset.id, name: name.value.trim() };
        else {
          const res = await this.call("GET", `/${collection(kinds.value)}`, { params: { q: name.value.trim(), limit: 1 } });
          const o = (res.body.data || [])[0];
          if (o) found = { id: o.id, name: o.name };
        }
        if (!found) return { error: t("edit.link.unknown", { q: name.value.trim() }) };
        return { link: { ...found, label: kinds.value, type: rule.type, role: rule.roles ? role.value || null : null } };
      },
    };
  }

  // ------------------------------------------------------------ activity form

  /** Edit an action, project or network ({label, id}) or create one, optionally linked to org. */
  async openActivityForm(which, org) {
    let base = null;
    let etag = null;
    try {
      if (which) {
        const n = await this.node(which.label, which.id);
        base = n.doc;
        etag = n.etag;
      }
    } catch (e) {
      this.ctx.showError(e);
      return;
    }
    const kind = h("select#edit-field-kind", { "data-testid": "edit-field-kind", disabled: Boolean(base) }, activityKinds().map((k) => h("option", { value: k }, t(`kind.${k}`))));
    kind.value = base ? base.label : "Project";
    const input = (name, value, attrs = {}) => h("input", { id: `edit-field-${name}`, "data-testid": `edit-field-${name}`, value: value ?? "", ...attrs });
    const area = (name, value) => h("textarea", { id: `edit-field-${name}`, "data-testid": `edit-field-${name}`, rows: 3 }, value || "");
    const field = (name, control, kinds) =>
      h("div.field", { dataset: { kinds: kinds ? kinds.join(" ") : "" } }, h("label", { for: `edit-field-${name}`, "data-i18n": `edit.field.${name}` }, t(`edit.field.${name}`)), control);
    const nameInput = input("name", base?.name, { required: true });
    const idInput = input("id", base?.id || "", { disabled: Boolean(base) });
    let idTouched = false;
    idInput.addEventListener("input", () => (idTouched = true));
    const prefix = () => kind.value.toLowerCase(); // action-…, project-…, network-…
    const autoId = () => {
      if (!base && !idTouched) idInput.value = slug(`${prefix()} ${nameInput.value}`);
    };
    nameInput.addEventListener("input", autoId);
    const themes = this.ctx.themes();
    const theme = h("select#edit-field-theme", { "data-testid": "edit-field-theme" }, themes.map((th) => h("option", { value: th.id }, th.name)));
    if (base?.theme) theme.value = base.theme;
    const what = area("what", base?.what);
    const description = area("description", base?.description);
    const status = h("select#edit-field-status", { "data-testid": "edit-field-status" }, h("option", { value: "" }, "–"), codes("project_status").map((s) => h("option", { value: s }, codeText("project_status", s))));
    status.value = base?.status || "";
    const period = input("period", base?.period);
    const aliases = input("aliases", (base?.aliases || []).join(", "));
    const fields = [
      field("kind", kind),
      field("name", nameInput),
      field("id", idInput),
      field("theme", theme, ["Action"]),
      field("what", what, ["Action"]),
      field("aliases", aliases, ["Project", "Network"]),
      field("description", description, ["Project", "Network"]),
      field("status", status, ["Project"]),
      field("period", period, ["Project"]),
    ];
    // linked to the organisation whose panel is open, with a role
    const linkRole = h("select#edit-activity-role", { "data-testid": "edit-activity-role" });
    const linkCheck = h("input#edit-activity-link", { type: "checkbox", checked: true, "data-testid": "edit-activity-link" });
    const linkBox = org
      ? h("div.field.edit-wide",
          h("div.check", linkCheck, h("label", { for: "edit-activity-link" }, t("edit.activity.linkTo", { name: org.name }))),
          h("label", { for: "edit-activity-role", "data-i18n": "edit.link.role" }, t("edit.link.role")), linkRole)
      : null;
    const showKind = () => {
      for (const f of fields) if (f.dataset.kinds) f.hidden = !f.dataset.kinds.split(" ").includes(kind.value);
      const rule = linkOf(kind.value);
      clear(linkRole);
      linkRole.disabled = !rule.roles;
      if (!rule.required) linkRole.append(h("option", { value: "" }, t("edit.link.role.none")));
      if (rule.roles) for (const r of codes(rule.roles)) linkRole.append(h("option", { value: r }, codeText(rule.roles, r)));
      autoId();
    };
    kind.addEventListener("change", showKind);
    showKind();
    const source = this.sourceSection();
    const errors = h("div.edit-error", { role: "alert", "data-testid": "edit-errors" });
    const dlg = this.dialog(base ? "edit.activity.titleEdit" : "edit.activity.titleNew", "activity", [h("div.edit-grid", fields, linkBox), source.section, errors], {
      wide: true,
      titleVars: base ? { name: base.name } : undefined,
      submitKey: "edit.save",
      onSubmit: async () => {
        errors.textContent = "";
        const label = kind.value;
        const doc = { ...(base || {}), label, id: base ? base.id : idInput.value.trim(), name: nameInput.value.trim() };
        if (!doc.name) {
          errors.textContent = t("edit.required", { field: t("edit.field.name") });
          return false;
        }
        if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(doc.id)) {
          errors.textContent = t("edit.badId");
          return false;
        }
        const set = (k, v) => {
          if (v === "" || v === null || (Array.isArray(v) && !v.length && !(base && k in base))) delete doc[k];
          else doc[k] = v;
        };
        if (label === "Action") {
          set("theme", theme.value);
          set("what", what.value.trim());
          if (!doc.what) {
            errors.textContent = t("edit.required", { field: t("edit.field.what") });
            return false;
          }
        } else {
          set("aliases", aliases.value.split(",").map((s) => s.trim()).filter(Boolean));
          set("description", description.value.trim());
          if (label === "Project") {
            set("status", status.value);
            set("period", period.value.trim());
          }
        }
        const s = source.read();
        if (s.error) {
          errors.textContent = s.error;
          return false;
        }
        const rule = linkOf(label);
        if (org && linkCheck.checked && rule.required && !linkRole.value) {
          errors.textContent = t("edit.required", { field: t("edit.link.role") });
          return false;
        }
        const node = { ...doc, provenance: s.provenance };
        const batch = { upsert: { nodes: [node], edges: [] }, delete: { nodes: [], edges: [] }, expected: { [doc.id]: base ? etag : null } };
        if (org && linkCheck.checked) batch.upsert.edges.push({ source: org.id, target: doc.id, type: rule.type, ...(linkRole.value ? { role: linkRole.value } : {}), provenance: s.provenance });
        const ok = await this.write(batch, {
          focus: org ? org.id : this.ctx.state.org,
          errors,
          mine: { [doc.id]: node },
          base: { [doc.id]: base },
          fields: ["name", ...fields.filter((f) => !f.hidden && f.dataset.kinds).map((f) => f.querySelector("[id^=edit-field-]").id.slice(11)), "provenance"],
        });
        if (ok) source.remember(s.provenance);
        return ok;
      },
    });
    dlg.open(base ? nameInput : kind);
  }

  // ------------------------------------------------------------ writing, conflicts

  /**
   * Send one batch. 412: show both versions and let the person choose, then send again.
   * Returns true when written (the page then shows the new version).
   */
  async write(batch, { focus, errors, mine, base, fields, derive, onConflict }) {
    try {
      const result = await this.edits(batch);
      await this.done(result, focus);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 412 && e.body && e.body.current) {
        if (onConflict) return onConflict(e.body);
        return this.resolveConflict(batch, e.body, { focus, errors, mine, base, fields, derive });
      }
      this.showProblem(errors, e);
      return false;
    }
  }

  async done(result, focus) {
    this.ctx.message(t("edit.saved", { version: result.version }), "info");
    await this.ctx.afterWrite({ focus });
  }

  showProblem(box, e) {
    clear(box);
    const problems = e && e.body && Array.isArray(e.body.errors) ? e.body.errors : [];
    if (e instanceof ApiError && e.status === 0) box.append(h("p", t("msg.network")));
    else if (!problems.length) box.append(h("p", t("edit.failed", { detail: e.message || String(e) })));
    else {
      // the service's reasons, in the page's language; a batch problem also says where
      box.append(h("p", t("edit.failedList")), h("ul", problems.map((p) => h("li", [p.where, p.message].filter(Boolean).join(": ")))));
    }
  }


  /** Both versions side by side, field by field; the person chooses per field. */
  resolveConflict(batch, problem, { focus, errors, mine, base, fields, derive }) {
    return new Promise((resolve) => {
      const ids = Object.keys(problem.current);
      const rows = [];
      const table = h("table.data.conflict", { "data-testid": "conflict-table" },
        h("thead", h("tr", h("th", { scope: "col", "data-i18n": "edit.conflict.field" }, t("edit.conflict.field")),
          h("th", { scope: "col", "data-i18n": "edit.conflict.mine" }, t("edit.conflict.mine")),
          h("th", { scope: "col", "data-i18n": "edit.conflict.current" }, t("edit.conflict.current")))));
      const tbody = h("tbody");
      table.append(tbody);
      const notes = [];
      for (const id of ids) {
        const current = problem.current[id];
        const my = mine[id];
        if (current === null || current === undefined) {
          notes.push(t(base[id] ? "edit.conflict.deleted" : "edit.conflict.gone", { id }));
          continue;
        }
        if (!base[id]) {
          notes.push(t("edit.conflict.exists", { id, name: current.name || id })); // a new id taken meanwhile: never merged
          continue;
        }
        if (!my) continue;
        const keys = fields || [...new Set([...Object.keys(my), ...Object.keys(current)])].filter((k) => !["id", "label"].includes(k));
        for (const k of keys) {
          const a = my[k] ?? null;
          const b = current[k] ?? null;
          const same = JSON.stringify(a) === JSON.stringify(b);
          const touched = JSON.stringify(a) !== JSON.stringify(base[id] ? base[id][k] ?? null : null);
          const name = `conflict-${id}-${k}`;
          const choice = (which, value, checked) =>
            h("td", h("label.conflict-choice",
              same ? null : h("input", { type: "radio", name, value: which, checked, "data-testid": `conflict-${k}-${which}`, "aria-label": `${fieldLabel(k)}: ${t(`edit.conflict.${which}`)}` }),
              h("span.conflict-value", valueWords(k, value))));
          const tr = h(`tr${same ? ".same" : ".differs"}`, { dataset: { field: k } },
            h("th", { scope: "row" }, fieldLabel(k)),
            choice("mine", a, touched),
            choice("current", b, !touched));
          rows.push({ id, k, a, b, same, tr });
          tbody.append(tr);
        }
      }
      const pick = (which) => rows.forEach((r) => {
        const input = r.tr.querySelector(`input[value=${which}]`);
        if (input) input.checked = true;
      });
      const allMine = h("button.btn", { type: "button", "data-testid": "conflict-all-mine", onclick: () => pick("mine") }, t("edit.conflict.allMine"));
      const allCurrent = h("button.btn", { type: "button", "data-testid": "conflict-all-current", onclick: () => pick("current") }, t("edit.conflict.allCurrent"));
      const box = h("div.edit-error", { role: "alert", "data-testid": "conflict-errors" });
      const onlyNotes = !rows.length;
      let written = false;
      const dlg = this.dialog("edit.conflict.title", "conflict", [
        h("p.intro", { "data-testid": "conflict-intro" }, t("edit.conflict.intro")),
        notes.map((n) => h("p.conflict-note", { "data-testid": "conflict-note" }, n)),
        rows.length ? h("div.table-wrap", table) : null,
        rows.length ? h("div.row", allMine, allCurrent) : null,
        box,
      ], {
        wide: true,
        submitKey: onlyNotes ? null : "edit.conflict.save",
        onSubmit: async () => {
          // the chosen document per id, sent with the ETag it has now
          const next = JSON.parse(JSON.stringify(batch));
          for (const id of ids) {
            const current = problem.current[id];
            if (!current || !mine[id]) continue;
            const doc = { ...current };
            for (const r of rows.filter((x) => x.id === id)) {
              const chosen = r.same ? "current" : r.tr.querySelector("input:checked")?.value || "current";
              const v = chosen === "mine" ? r.a : r.b;
              if (v === null) delete doc[r.k];
              else doc[r.k] = v;
            }
            if (derive) derive(doc, current);
            const label = current.label || "Organisation";
            let fresh;
            try {
              fresh = await this.node(label, id);
            } catch (e) {
              this.showProblem(box, e);
              return false;
            }
            next.expected[id] = fresh.etag;
            next.upsert.nodes = next.upsert.nodes.filter((n) => n.id !== id);
            if (JSON.stringify(doc) !== JSON.stringify(fresh.doc)) next.upsert.nodes.push(doc);
          }
          try {
            const result = await this.edits(next);
            written = true;
            await this.done(result, focus);
            return true;
          } catch (e) {
            if (e instanceof ApiError && e.status === 412 && e.body && e.body.current) {
              // changed once more meanwhile: compare again
              Object.assign(problem, e.body);
              box.textContent = t("edit.conflict.again");
              return false;
            }
            this.showProblem(box, e);
            return false;
          }
        },
      });
      dlg.el.addEventListener("close", () => {
        if (!written && errors) errors.textContent = t("edit.conflict.notSaved");
        resolve(written);
      });
      dlg.open();
    });
  }

  // ------------------------------------------------------------ delete

  async openDelete(label, id, name) {
    let impact;
    let etag;
    try {
      const [imp, n] = await Promise.all([this.call("GET", "/edits/impact", { params: { node: id } }), this.node(label, id)]);
      impact = imp.body;
      etag = n.etag;
    } catch (e) {
      this.ctx.showError(e);
      return;
    }
    const nameOf = (x) => this.nameOf(x);
    const errors = h("div.edit-error", { role: "alert", "data-testid": "edit-errors" });
    const rels = impact.relationships || [];
    const content = [
      h("p.impact-sentence", { "data-testid": "edit-impact-sentence" }, impact.sentence || ""),
      rels.length
        ? h("div", h("h3.sub", t("edit.delete.links", { n: rels.length })),
            h("ul.impact-links", { "data-testid": "edit-impact-links" }, rels.map((r) =>
              h("li", `${t(`rel.${r.type}`)}: ${nameOf(r.source === id ? r.target : r.source)}${r.role ? ` (${roleText(r.role)})` : ""}`))))
        : null,
      (impact.cut_off || []).length
        ? h("div", h("h3.sub", t("edit.delete.cutOff", { n: impact.cut_off.length })),
            h("ul.impact-cut", { "data-testid": "edit-impact-cut-off" }, impact.cut_off.map((o) => h("li", o.name || o.id))))
        : null,
      h("p", t("edit.delete.question", { name })),
      errors,
    ];
    const dlg = this.dialog("edit.delete.title", "delete", content, {
      titleVars: { name },
      submitKey: "edit.delete.confirm",
      onSubmit: () => this.write(
        { upsert: { nodes: [], edges: [] }, delete: { nodes: [id], edges: [] }, expected: { [id]: etag } },
        {
          focus: label === "Organisation" && this.ctx.state.org === id ? "" : this.ctx.state.org,
          errors,
          onConflict: async (problem) => {
            const now = problem.current[id];
            errors.textContent = now ? t("edit.delete.changed", { name: now.name || name }) : t("edit.conflict.deleted", { id });
            if (now) etag = (await this.node(label, id)).etag; // a second click deletes what is there now
            return false;
          },
        },
      ),
    });
    dlg.open(dlg.el.querySelector("[data-testid=edit-delete-cancel]"));
  }

  // ------------------------------------------------------------ history

  async openHistory(label, id, name) {
    const list = h("ol.history", { "data-testid": "history-list", "aria-live": "polite" });
    const status = h("p.edit-error", { role: "alert", "data-testid": "history-status" });
    const dlg = this.dialog("edit.history.title", "history", [status, list], { wide: true, titleVars: { name } });
    dlg.open();
    const load = async () => {
      clear(list).append(h("li.muted", t("panel.loading")));
      try {
        const { body } = await this.call("GET", `/history/${encodeURIComponent(id)}`, { params: { limit: 100 } });
        this.renderHistory(list, body, { status, reload: load });
      } catch (e) {
        clear(list);
        this.showProblem(status, e);
      }
    };
    await load();
  }

  renderHistory(list, body, { status, reload }) {
    clear(list);
    const entries = body.data || [];
    if (!entries.length) list.append(h("li.muted", t("edit.history.none")));
    for (const c of entries) {
      const kept = Boolean(c.before || c.after); // a bulk import keeps the ids only
      const what = !kept ? "imported" : !c.before ? "created" : !c.after ? "deleted" : "changed";
      const at = c.at ? new Date(c.at).toLocaleString(lang() === "nl" ? "nl-NL" : "en-GB", { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" }) : "";
      const subject = c.kind === "relationship"
        ? relationWords(c.after || c.before || keyEdge(c.key), (x) => this.nameOf(x))
        : (c.after || c.before || {}).name || this.nameOf(c.key);
      const diff = c.before && c.after ? fieldDiff(c.before, c.after) : [];
      const undo = h("button.btn.btn-small", { type: "button", "data-testid": `history-undo-${c.version}`, hidden: Boolean(c.undone_by) || !kept }, t("edit.history.undo"));
      undo.addEventListener("click", async () => {
        undo.disabled = true;
        status.textContent = "";
        try {
          const { body: result } = await this.call("POST", `/changes/${encodeURIComponent(c.version)}/undo`);
          this.ctx.message(t("edit.history.undone", { version: c.version, now: result.version }));
          await this.ctx.afterWrite({ focus: this.ctx.state.org });
          await reload();
        } catch (e) {
          undo.disabled = false;
          status.textContent = e instanceof ApiError && e.status === 409 ? t("edit.history.conflict", { detail: e.message }) : t("edit.failed", { detail: e.message });
        }
      });
      list.append(
        h("li.history-entry", { dataset: { version: String(c.version), kind: c.kind, what }, "data-testid": "history-entry" },
          h("div.history-head",
            h("span.history-version", t("edit.history.version", { version: c.version })),
            h("span.history-at", at),
            h("span.history-actor", t("edit.history.actor", { actor: c.actor || "–" })),
          ),
          h("p.history-what", t(`edit.history.${c.kind === "relationship" ? "rel" : "node"}.${what}`, { name: subject })),
          c.undo_of ? h("p.history-undo-of", t("edit.history.undoOf", { version: c.undo_of })) : null,
          c.undone_by ? h("p.history-undone", t("edit.history.undoneBy", { version: c.undone_by })) : null,
          diff.length
            ? h("table.data.history-diff",
                h("thead", h("tr", h("th", { scope: "col" }, t("edit.conflict.field")), h("th", { scope: "col" }, t("edit.history.before")), h("th", { scope: "col" }, t("edit.history.after")))),
                h("tbody", diff.map(([k, a, b]) => h("tr", { dataset: { field: k } }, h("th", { scope: "row" }, fieldLabel(k)), h("td", valueWords(k, a)), h("td", valueWords(k, b))))))
            : null,
          c.source ? h("p.history-source", `${t("panel.source")}: ${sourceWords(c.source)}`) : null,
          h("div.row", undo),
        ),
      );
    }
  }
}

// ------------------------------------------------------------ words

const roleText = linkRoleText;

function fieldLabel(k) {
  const key = `edit.field.${k}`;
  return t(key) !== key ? t(key) : k;
}

function valueWords(k, v) {
  if (v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length)) return "–";
  if (k === "provenance") return sourceWords(v);
  if (k === "helix_role") return codeText("helix_role", v);
  if (k === "secondary_roles") return v.map((r) => codeText("helix_role", r)).join(", ");
  if (k === "org_type") return codeText("org_type", v);
  if (k === "status") return codeText("project_status", v);
  if (k === "role") return roleText(v);
  if (typeof v === "boolean") return t(v ? "edit.yes" : "edit.no");
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/**
 * After merging two versions of an organisation: a place or province other than the
 * stored one leaves the rest of the location (and its source) to the service.
 */
function derivePlace(doc, current) {
  const placeChanged = (doc.place ?? null) !== (current.place ?? null);
  const provinceChanged = (doc.province ?? null) !== (current.province ?? null);
  if (!placeChanged && !provinceChanged) return;
  delete doc.region;
  delete doc.place_source;
  if (placeChanged && !provinceChanged) delete doc.province;
}

function fieldDiff(before, after) {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !["id", "label"].includes(k));
  return keys.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)).map((k) => [k, before[k], after[k]]);
}

/** A relationship from its key "TYPE source target". */
function keyEdge(key) {
  const [type, source, target] = String(key || "").split(" ");
  return type && source && target ? { type, source, target } : null;
}

function relationWords(r, name) {
  if (!r) return "";
  return `${name(r.source)} — ${t(`rel.${r.type}`)} — ${name(r.target)}${r.role ? ` (${roleText(r.role)})` : ""}`;
}
