// Organisation autocomplete for search inputs (header search, path finder, matching).
import { get } from "./api.js";
import { h, clear, debounce } from "./dom.js";
import { t } from "./i18n.js";

let uid = 0;

/**
 * attachSuggest(input, { list, onPick, limit, search, meta })
 * The picked organisation's id is stored in input.dataset.id (cleared when the user edits the text).
 * `search(q, limit)` → items and `meta(item)` → text suggest something else than organisations
 * (the actions, projects or networks of the edit form).
 * Returns { resolve(): Promise<{id,name}|null>, set(id, name), close() }.
 */
export function attachSuggest(input, { list, onPick, limit = 8, onError, isId, search: find, meta } = {}) {
  if (!list) {
    list = h("ul.suggest", { role: "listbox", hidden: true });
    input.insertAdjacentElement("afterend", list);
  }
  list.id = list.id || `suggest-${++uid}`;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  let items = [];
  let active = -1;
  let seq = 0;
  let pending = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };

  const render = () => {
    clear(list);
    if (!items.length) {
      list.append(h("li.empty", { role: "presentation" }, t("search.none")));
    }
    items.forEach((o, i) => {
      const li = h(
        "li",
        {
          role: "option",
          id: `${list.id}-${i}`,
          "aria-selected": i === active ? "true" : "false",
          dataset: { id: o.id },
          onmousedown: (e) => e.preventDefault(),
          onclick: () => pick(i),
        },
        h(`span.role-dot.role-${o.helix_role || "none"}`, { "aria-hidden": "true" }),
        h("span.s-name", o.name),
        h("span.s-meta", meta ? meta(o) : [t(`role.${o.helix_role}`), o.place].filter(Boolean).join(" · ")),
      );
      if (i === active) li.classList.add("active");
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    if (active >= 0) input.setAttribute("aria-activedescendant", `${list.id}-${active}`);
  };

  const search = async (q) => {
    const my = ++seq;
    const found = find ? await find(q, limit) : (await get("/organisations", { q, limit })).data;
    if (my !== seq) return items;
    items = found || [];
    active = items.length ? 0 : -1;
    if (document.activeElement === input) render();
    return items;
  };

  const run = debounce((q) => {
    pending = search(q).catch((e) => {
      if (onError) onError(e);
      return [];
    });
  }, 120);

  const pick = (i) => {
    const o = items[i];
    if (!o) return;
    input.value = o.name;
    input.dataset.id = o.id;
    close();
    if (onPick) onPick(o);
  };

  input.addEventListener("input", () => {
    delete input.dataset.id;
    const q = input.value.trim();
    if (q.length < 1) {
      items = [];
      close();
      return;
    }
    run(q);
  });
  input.addEventListener("keydown", async (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!items.length) return;
      e.preventDefault();
      active = (active + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
      render();
    } else if (e.key === "Enter") {
      if (!list.hidden && active >= 0 && items[active]) {
        e.preventDefault();
        pick(active);
        return;
      }
      if (!onPick) return; // forms handle Enter themselves (resolve())
      e.preventDefault();
      const q = input.value.trim();
      if (!q) return;
      if (list.hidden || !items.length) await search(q).catch(() => []);
      pick(active >= 0 ? active : 0);
    } else if (e.key === "Escape") {
      if (!list.hidden) {
        e.preventDefault(); // in a dialog: closes the list, not the dialog
        e.stopPropagation();
        close();
      }
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  input.addEventListener("focus", () => {
    if (items.length && input.value.trim() && !input.dataset.id) render();
  });

  return {
    close,
    set(id, name) {
      input.value = name || id || "";
      if (id) input.dataset.id = id;
      else delete input.dataset.id;
    },
    /** The chosen organisation: the picked one, else an exact id, else the best search hit. */
    async resolve() {
      close();
      const q = input.value.trim();
      if (!q) return null;
      if (input.dataset.id) return { id: input.dataset.id, name: q };
      if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(q)) {
        const known = isId ? isId(q) : null;
        if (known) return known;
      }
      const res = await get("/organisations", { q, limit: 1 });
      const o = (res.data || [])[0];
      if (!o) return null;
      input.value = o.name;
      input.dataset.id = o.id;
      return o;
    },
  };
}
