// The spreadsheet round trip in the explorer.
//
// Everyone can download the organisations and their links as an Excel workbook or a zip of
// CSV files (GET /api/v1/sync/workbook, in the page's language). Signed in with a write key
// (edit.js's sign-in, requests and dialogs), a person uploads the edited file: the page
// first asks for a dry run (POST /api/v1/sync?dry_run=true) and shows what the file adds,
// changes (field: before → after) and removes, and every invalid cell with its sheet, row,
// column, value and reason. "Toepassen" stays disabled while a cell is invalid; applying is
// ONE request without dry_run, after which the page says the new graph version and its
// counts and draws the graph again. Cancel or Escape writes nothing.
import { ApiError, getFile } from "./api.js";
import { h, $, clear, download } from "./dom.js";
import { t, codes, codeText } from "./i18n.js";
import { sourceWords } from "./edit.js";

const GROUPS = ["added", "changed", "removed"];

/** A field's name in words (the edit form's labels); the field itself when unworded. */
function fieldName(field) {
  const text = t(`edit.field.${field}`);
  return text === `edit.field.${field}` ? field : text;
}

/** A field's value in words: codes of a closed list as words, lists joined, sources told. */
function fieldValue(field, value) {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return t("sync.page.empty");
  if (Array.isArray(value)) return value.map((v) => fieldValue(field === "secondary_roles" ? "helix_role" : field, v)).join(", ");
  if (typeof value === "object") return sourceWords(value) || JSON.stringify(value);
  if (codes(field).includes(value)) return codeText(field, value);
  return String(value);
}

/** A table with a caption and column headers; rows as arrays of cells. */
function table(id, caption, headers, rows) {
  return h(`table.sync-table`, { "data-testid": id },
    h("caption", caption),
    h("thead", h("tr", headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", rows));
}

export class Sync {
  /** editing: the page's Editing (its key, call(), dialog(), ctx). */
  constructor(editing) {
    this.editing = editing;
  }

  setup() {
    $("#sync-download-xlsx").addEventListener("click", () => this.download("xlsx"));
    $("#sync-download-csv").addEventListener("click", () => this.download("csv"));
    $("#sync-upload").addEventListener("click", () => this.openUpload());
  }

  // ------------------------------------------------------------ download

  async download(format) {
    try {
      const { blob, filename } = await getFile("/sync/workbook", { format });
      const file = filename || `helixgraph-organisaties.${format === "csv" ? "zip" : "xlsx"}`;
      download(file, blob);
      this.editing.ctx.message(t("sync.page.downloaded", { file }), "info");
    } catch (e) {
      const detail = e instanceof ApiError && e.status === 0 ? t("msg.network") : e.message || String(e);
      this.editing.ctx.message(t("sync.page.downloadFailed", { detail }), "error");
    }
  }

  // ------------------------------------------------------------ upload

  openUpload() {
    const input = h("input#sync-file", { type: "file", required: true, "data-testid": "sync-file", accept: ".xlsx,.zip,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/zip", "aria-describedby": "sync-file-help" });
    const error = h("div.edit-error", { role: "alert", "data-testid": "sync-upload-error" });
    let outcome = null;
    let file = null;
    const dlg = this.editing.dialog("sync.page.upload.title", "sync-upload", [
      h("div.field", h("label", { for: "sync-file" }, t("sync.page.upload.file")), input,
        h("p.help#sync-file-help", t("sync.page.upload.help"))),
      error,
    ], {
      submitKey: "sync.page.upload.submit",
      onSubmit: async () => {
        clear(error);
        file = input.files && input.files[0];
        if (!file) {
          error.textContent = t("sync.page.upload.none");
          input.focus();
          return false;
        }
        try {
          outcome = (await this.editing.call("POST", "/sync", { file, params: { dry_run: "true" } })).body;
        } catch (e) {
          error.textContent = e instanceof ApiError && e.status === 0 ? t("msg.network") : t("sync.page.upload.failed", { detail: e.message || String(e) });
          return false;
        }
        return true;
      },
    });
    // the difference opens once this dialog has closed (and focus is back on the opener)
    dlg.el.addEventListener("close", () => {
      if (outcome) this.openReview(file, outcome);
    });
    dlg.open(input);
  }

  // ------------------------------------------------------------ review

  openReview(file, outcome) {
    const invalid = outcome.invalid || [];
    const problems = h("div.edit-error", { role: "alert", "data-testid": "sync-problems" },
      invalid.length ? t("sync.page.blocked", { n: invalid.length }) : "");
    const sections = [];
    if (invalid.length) sections.push(this.invalidView(invalid));
    for (const group of GROUPS) sections.push(this.groupView(group, outcome[group] || []));
    const nothing = !invalid.length && GROUPS.every((g) => !(outcome[g] || []).length);
    const error = h("div.edit-error", { role: "alert", "data-testid": "sync-apply-error" });
    const dlg = this.editing.dialog("sync.page.review.title", "sync", [
      h("p.help", { "data-testid": "sync-compared" }, t("sync.page.review.version", { version: outcome.version })),
      problems,
      nothing ? h("p.help", { "data-testid": "sync-nothing" }, t("sync.page.nothing")) : null,
      sections,
      error,
    ], {
      wide: true,
      titleVars: { file: outcome.file || file.name },
      submitKey: "sync.page.apply",
      onSubmit: () => this.apply(file, error),
    });
    const submit = dlg.el.querySelector("button[type=submit]");
    dlg.open(invalid.length ? dlg.el.querySelector("button[type=button]") : submit);
    if (invalid.length) {
      submit.disabled = true;
      submit.setAttribute("aria-describedby", "sync-problems-text");
      problems.id = "sync-problems-text";
    }
  }

  /** Invalid cells: sheet, row, column, value and the reason in words. */
  invalidView(invalid) {
    const rows = invalid.map((x) => h("tr", { "data-testid": "sync-invalid-row" },
      h("td", x.sheet), h("td", x.row ?? ""), h("td", x.column ?? ""), h("td", x.value ?? ""), h("td", x.reason)));
    return h("section.sync-group", { "data-testid": "sync-invalid" },
      table("sync-invalid-table", `${t("sync.page.group.invalid")} (${invalid.length})`,
        ["sheet", "row", "column", "value", "reason"].map((c) => t(`sync.page.col.${c}`)), rows));
  }

  /** Added, changed or removed organisations and links. */
  groupView(group, items) {
    const headers = ["kind", "name", "sheet", "row"].map((c) => t(`sync.page.col.${c}`));
    if (group === "changed") headers.push(t("sync.page.col.change"));
    const rows = items.map((x) => {
      const cells = [h("td", t(`sync.page.kind.${x.kind}`)), h("th", { scope: "row" }, x.name), h("td", x.sheet), h("td", x.row ?? "")];
      if (group === "changed") {
        const fields = Object.entries(x.fields || {}).map(([f, [before, after]]) =>
          h("li", { "data-field": f }, t("sync.page.field", { field: fieldName(f), before: fieldValue(f, before), after: fieldValue(f, after) })));
        cells.push(h("td", h("ul.sync-fields", fields)));
      }
      return h("tr", { "data-testid": `sync-${group}-row`, "data-id": x.id }, cells);
    });
    return h("section.sync-group", { "data-testid": `sync-${group}` },
      table(`sync-${group}-table`, `${t(`sync.page.group.${group}`)} (${items.length})`, headers, rows));
  }

  /** One write of the whole file; the page then shows the new version. */
  async apply(file, error) {
    clear(error);
    let result;
    try {
      result = (await this.editing.call("POST", "/sync", { file })).body;
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 0 ? t("msg.network") : t("sync.page.upload.failed", { detail: e.message || String(e) });
      return false;
    }
    const counts = { version: result.version, added: result.added.length, changed: result.changed.length, removed: result.removed.length };
    this.editing.ctx.message(t(result.written ? "sync.page.applied" : "sync.page.appliedNothing", counts), "info");
    await this.editing.ctx.afterWrite({});
    return true;
  }
}
