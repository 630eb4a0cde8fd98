// Proposals from a document, reviewed in the explorer (signed in with a write key).
//
// The person chooses a file (PDF, Word, text); the page uploads it (POST /api/v1/proposals)
// and shows what the service read in three groups — organisations (matched to the graph, or
// new with a proposed helix role and type and the evidence), links (organisation → activity
// with relation and role) and activities — each with its quote and section heading, and a
// decision per item: accept, edit or reject. "Opslaan" checks the decisions first (a dry
// run: the problems are shown at their items, in words) and then sends ONE review request;
// the page says the new graph version and its counts and draws the new graph. Requests,
// sign-in and dialogs are edit.js's.
import { ApiError } from "./api.js";
import { h, $, clear } from "./dom.js";
import { t, codes, codeText, activityLinks, linkRoleText } from "./i18n.js";

const GROUPS = ["organisations", "links", "activities"];
const DECISIONS = ["accept", "edit", "reject"];

/** A relation type in words ("neemt deel aan"); the code when unworded. */
function relationText(type) {
  const text = t(`rel.${type}`);
  return text === `rel.${type}` ? type : text;
}

/** A closed list of the served vocabulary as [code, words] pairs. */
function closedList(name) {
  return codes(name).map((c) => [c, codeText(name, c)]);
}

/** The relations an organisation has with activities (one per kind of activity). */
function relations() {
  return [...new Set(Object.values(activityLinks()).map((x) => x.type))].map((c) => [c, relationText(c)]);
}

/** The roles those relations carry (penvoerder, partner, lid, …), each list once. */
function linkRoles() {
  return [...new Set(Object.values(activityLinks()).map((x) => x.roles).filter(Boolean))].flatMap(closedList);
}

/** A link role in words; "geen rol" without one. */
function roleWords(role) {
  return role ? linkRoleText(role) : t("proposal.field.noRole");
}

/** A select over codes, labelled, with the item's current value chosen. */
function choice(id, labelKey, options, current) {
  const select = h(`select#${id}`, { "data-testid": id },
    options.map(([value, text]) => h("option", { value, selected: value === (current ?? "") }, text)));
  return { el: h("div.field", h("label", { for: id }, t(labelKey)), select), select };
}

export class Proposals {
  /** editing: the page's Editing (its key, call(), dialog(), done()). */
  constructor(editing) {
    this.editing = editing;
  }

  setup() {
    $("#edit-propose").addEventListener("click", () => this.openUpload());
  }

  // ------------------------------------------------------------ upload

  openUpload() {
    const input = h("input#proposal-file", { type: "file", required: true, "data-testid": "proposal-file", accept: ".pdf,.docx,.txt,.md,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain", "aria-describedby": "proposal-file-help" });
    const error = h("div.edit-error", { role: "alert", "data-testid": "proposal-upload-error" });
    let proposal = null;
    const dlg = this.editing.dialog("proposal.upload.title", "proposal-upload", [
      h("div.field", h("label", { for: "proposal-file" }, t("proposal.upload.file")), input,
        h("p.help#proposal-file-help", t("proposal.upload.help"))),
      error,
    ], {
      submitKey: "proposal.upload.submit",
      onSubmit: async () => {
        clear(error);
        const file = input.files && input.files[0];
        if (!file) {
          error.textContent = t("proposal.upload.none");
          input.focus();
          return false;
        }
        try {
          proposal = (await this.editing.call("POST", "/proposals", { file })).body;
        } catch (e) {
          error.textContent = e instanceof ApiError && e.status === 0 ? t("msg.network") : t("proposal.upload.failed", { detail: e.message || String(e) });
          return false;
        }
        return true;
      },
    });
    // the review opens once this dialog has closed (and focus is back on the opener)
    dlg.el.addEventListener("close", () => {
      if (proposal) this.openReview(proposal);
    });
    dlg.open(input);
  }

  // ------------------------------------------------------------ review

  openReview(proposal) {
    this.proposal = proposal;
    this.items = new Map(); // ref -> {group, item, decision(), edit(), errors, li}
    this.names = new Map();
    for (const group of ["organisations", "activities"]) for (const item of proposal[group] || []) this.names.set(item.ref, item.name);
    const summary = h("div.edit-error", { role: "alert", "data-testid": "proposal-problems" });
    const sections = GROUPS.map((group) => {
      const list = (proposal[group] || []).map((item) => this.itemView(group, item));
      const headingId = `proposal-group-${group}`;
      return h("section.proposal-group", { "aria-labelledby": headingId, "data-testid": `proposal-${group}` },
        h("h3", { id: headingId }, `${t(`proposal.group.${group}`)} (${list.length})`),
        list.length ? h("ul.proposal-items", list) : h("p.help", t("proposal.group.empty")));
    });
    const dlg = this.editing.dialog("proposal.review.title", "proposal", [
      h("p.help", t("proposal.review.intro")), summary, sections,
    ], {
      wide: true,
      titleVars: { source: proposal.source },
      submitKey: "proposal.review.save",
      onSubmit: () => this.save(summary),
    });
    this.refreshLinks();
    dlg.open(dlg.el.querySelector("input[type=radio]"));
  }

  /** One proposed item: what it is, its quote and heading, and the decision on it. */
  itemView(group, item) {
    const ref = item.ref;
    const name = group === "links" ? this.linkWords(item) : item.name;
    const lines = [];
    const fields = [];
    let edit = () => ({});
    if (group === "organisations") {
      if (item.existing_id) lines.push(h("p.proposal-known", { "data-testid": "proposal-known" }, t("proposal.matched", { name: item.name }), item.matched && item.matched !== item.name ? ` — ${t("proposal.matchedVia", { matched: item.matched })}` : ""));
      else {
        lines.push(h("p.proposal-new", t("proposal.newOrg", { role: item.helix_role ? codeText("helix_role", item.helix_role) : "", type: item.org_type ? codeText("org_type", item.org_type) : "" })));
        if (item.evidence && item.evidence.type_word) lines.push(h("p.help", t("proposal.evidence.word", { word: item.evidence.type_word })));
        const nameInput = h(`input#proposal-${ref}-name`, { type: "text", value: item.name, "data-testid": `proposal-${ref}-name` });
        const role = choice(`proposal-${ref}-role`, "proposal.field.helixRole", closedList("helix_role"), item.helix_role);
        const type = choice(`proposal-${ref}-type`, "proposal.field.orgType", closedList("org_type"), item.org_type);
        fields.push(h("div.field", h("label", { for: nameInput.id }, t("proposal.field.name")), nameInput), role.el, type.el);
        edit = () => {
          const out = {};
          if (nameInput.value.trim() && nameInput.value.trim() !== item.name) out.name = nameInput.value.trim();
          if (role.select.value !== (item.helix_role || "")) out.helix_role = role.select.value;
          if (type.select.value !== (item.org_type || "")) out.org_type = type.select.value;
          return out;
        };
      }
    } else if (group === "activities") {
      if (item.existing_id) lines.push(h("p.proposal-known", { "data-testid": "proposal-known" }, t("proposal.matched", { name: item.name })));
      else {
        lines.push(h("p.proposal-new", t("proposal.newActivity", { kind: codeText("node_kinds", item.label) })));
        const nameInput = h(`input#proposal-${ref}-name`, { type: "text", value: item.name, "data-testid": `proposal-${ref}-name` });
        fields.push(h("div.field", h("label", { for: nameInput.id }, t("proposal.field.name")), nameInput));
        edit = () => (nameInput.value.trim() && nameInput.value.trim() !== item.name ? { name: nameInput.value.trim() } : {});
      }
    } else {
      lines.push(h("p.proposal-link", relationText(item.type), " · ", t("proposal.link.role", { role: roleWords(item.role) })));
      if (item.in_graph) lines.push(h("p.proposal-known", { "data-testid": "proposal-known" }, t("proposal.inGraph")));
      lines.push(h("p.proposal-blocked", { "data-testid": "proposal-blocked", hidden: true }));
      const relation = choice(`proposal-${ref}-relation`, "proposal.field.relation", relations(), item.type);
      const roles = [["", t("proposal.field.noRole")], ...linkRoles()];
      const role = choice(`proposal-${ref}-linkrole`, "proposal.field.role", roles, item.role);
      fields.push(relation.el, role.el);
      edit = () => {
        const out = {};
        if (relation.select.value !== item.type) out.type = relation.select.value;
        if (role.select.value !== (item.role || "")) out.role = role.select.value || null;
        return out;
      };
    }
    // a decision taken earlier on this proposal (the same document against the same graph)
    const earlier = (this.proposal.decisions || {})[ref] === "rejected" ? "reject" : "accept";
    const radios = DECISIONS.map((d) =>
      h("label.radio", h("input", { type: "radio", name: `proposal-${ref}-decision`, value: d, checked: d === earlier, "data-testid": `proposal-${ref}-${d}` }), t(`proposal.${d}`)));
    const editBox = fields.length ? h("div.edit-grid.proposal-edit", { hidden: true }, fields) : null;
    const errors = h("div.edit-error", { role: "alert", "data-testid": `proposal-${ref}-errors` });
    const fieldset = h("fieldset.proposal-decision",
      h("legend.sr-only", t("proposal.decision", { name })),
      h("div.row", radios));
    const li = h("li.proposal-item", { "data-ref": ref, "data-testid": `proposal-${ref}` },
      h("h4.proposal-name", name),
      lines,
      h("blockquote.proposal-quote", { "aria-label": t("proposal.quote") }, `“${item.quote}”`),
      h("p.proposal-section", t("proposal.section", { section: item.section || "" })),
      fieldset, editBox, errors);
    const decision = () => fieldset.querySelector("input:checked").value;
    fieldset.addEventListener("change", () => {
      const d = decision();
      if (editBox) editBox.hidden = d !== "edit";
      li.classList.toggle("rejected", d === "reject");
      this.refreshLinks();
    });
    li.classList.toggle("rejected", earlier === "reject");
    this.items.set(ref, { group, item, decision, edit, errors, li });
    return li;
  }

  linkWords(link) {
    return t("proposal.link.words", {
      organisation: this.names.get(link.organisation) || link.organisation,
      relation: relationText(link.type),
      activity: this.names.get(link.activity) || link.activity,
    });
  }

  /** A link whose new organisation or activity is rejected cannot be written: say so. */
  refreshLinks() {
    for (const { group, item, li } of this.items.values()) {
      if (group !== "links") continue;
      const missing = [item.organisation, item.activity].filter((end) => {
        const other = this.items.get(end);
        return other && !other.item.existing_id && other.decision() === "reject";
      });
      const note = li.querySelector(".proposal-blocked");
      note.hidden = !missing.length;
      note.textContent = missing.map((end) => t("proposal.link.blocked", { name: this.names.get(end) || end })).join(" ");
      li.classList.toggle("blocked", missing.length > 0);
    }
  }

  /** The decisions as the review request carries them. */
  decisions() {
    return [...this.items.entries()].map(([ref, entry]) => {
      const decision = entry.decision();
      const edit = decision === "edit" ? entry.edit() : {};
      if (decision === "edit" && !Object.keys(edit).length) return { ref, decision: "accept" };
      return decision === "edit" ? { ref, decision, edit } : { ref, decision };
    });
  }

  /** A dry run, then the review: ONE write. True closes the dialog. */
  async save(summary) {
    clear(summary);
    for (const entry of this.items.values()) clear(entry.errors);
    const body = { items: this.decisions() };
    const path = `/proposals/${encodeURIComponent(this.proposal.id)}/review`;
    let result;
    try {
      await this.editing.call("POST", path, { params: { dry_run: "true" }, body });
      result = (await this.editing.call("POST", path, { body })).body;
    } catch (e) {
      this.showProblems(summary, e);
      return false;
    }
    if (result.version === null || result.version === undefined) this.editing.ctx.message(t("proposal.savedNothing"), "info");
    else this.editing.ctx.message(t("proposal.saved", result), "info", 0);
    await this.editing.ctx.afterWrite({});
    return true;
  }

  /** A service message naming items by their refs ('org-2'), with their names instead. */
  worded(message) {
    return String(message || "").replace(/'((?:org|act|link)-\d+)'/g, (m, ref) => {
      const entry = this.items.get(ref);
      if (!entry) return m;
      return `‘${entry.group === "links" ? this.linkWords(entry.item) : entry.item.name}’`;
    });
  }

  /** Every problem at its item, in words; a count on top. */
  showProblems(summary, e) {
    const problems = e && e.body && Array.isArray(e.body.errors) ? e.body.errors : [];
    if (!(e instanceof ApiError) || e.status === 0 || !problems.length) {
      this.editing.showProblem(summary, e);
      return;
    }
    summary.append(h("p", t("proposal.problems", { n: problems.length })));
    const general = [];
    for (const p of problems) {
      const entry = this.items.get(p.where);
      if (entry) {
        const list = entry.errors.querySelector("ul") || entry.errors.appendChild(h("ul"));
        list.append(h("li", this.worded(p.message)));
      } else general.push(h("li", this.worded([p.where, p.message].filter(Boolean).join(": "))));
    }
    if (general.length) summary.append(h("ul", general));
    const first = [...this.items.values()].find((x) => x.errors.childElementCount);
    if (first) first.li.scrollIntoView({ block: "nearest" });
  }
}
