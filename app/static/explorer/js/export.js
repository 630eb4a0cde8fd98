// Client-side export of the current view: GEXF, GraphML, the organisations of the view as
// CSV for (Dutch) Excel, and the graph as PNG and SVG framed for a report: title, filter
// caption, legend, date and graph version. The analysis tabs' tables are not written here:
// the service writes them (/api/v1/analytics/tables/{table}), one code path for all.
import { imageToBlob } from "../vendor/vendor.js";
import { download } from "./dom.js";

const esc = (v) =>
  String(v ?? "").replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);

function hexToRgb(hex) {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex || "");
  if (!m) return { r: 128, g: 128, b: 128 };
  const n = parseInt(m[1], 16);
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
}

const stamp = () => new Date().toISOString().slice(0, 10);

// The view's columns, as Gephi, yEd, networkx and igraph read them: [name, GEXF type,
// GraphML type, value of a node]. Lists are joined by "|" as in the service's exports.
const NODE_COLUMNS = [
  ["helix_role", "string", "string", (g, id, a) => a.helix_role],
  ["helix_roles", "string", "string", (g, id, a) => (a.helix_roles || []).join("|")],
  ["org_type", "string", "string", (g, id, a) => a.org_type],
  ["place", "string", "string", (g, id, a) => a.place],
  ["degree", "integer", "int", (g, id) => g.degree(id)],
  ["strength", "double", "double", (g, id, a) => a.strength],
];
const EDGE_COLUMNS = [["activities", "string", "string", (a) => (a.activities || []).join("|")]];

const present = (v) => v !== undefined && v !== null && v !== "";
/** One id per tie of the (undirected, simple) view: the pair, in the order it was drawn. */
const edgeId = (s, t) => `${s}--${t}`;

/** GEXF's <attvalues> of the present values (the schema wants none rather than an empty one). */
function attvalues(out, pairs) {
  const shown = pairs.filter(([, v]) => present(v));
  if (!shown.length) return;
  out.push("        <attvalues>");
  for (const [k, v] of shown) out.push(`          <attvalue for="${k}" value="${esc(v)}"/>`);
  out.push("        </attvalues>");
}

/**
 * The view as GEXF 1.3: the organisations shown (label = name, the columns above, colour,
 * size and position as drawn) and their ties (weight = shared activities, the activities'
 * ids). Gephi, networkx and igraph load every node and tie of the view.
 */
export function toGEXF(graph, description = "") {
  const out = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push('<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">');
  out.push(`  <meta lastmodifieddate="${stamp()}"><creator>helixgraph explorer</creator><description>${esc(description)}</description></meta>`);
  out.push('  <graph defaultedgetype="undirected" mode="static">');
  out.push('    <attributes class="node">');
  NODE_COLUMNS.forEach(([k, type]) => out.push(`      <attribute id="${k}" title="${k}" type="${type}"/>`));
  out.push("    </attributes>");
  out.push('    <attributes class="edge">');
  EDGE_COLUMNS.forEach(([k, type]) => out.push(`      <attribute id="${k}" title="${k}" type="${type}"/>`));
  out.push("    </attributes>");
  out.push("    <nodes>");
  graph.forEachNode((id, a) => {
    const { r, g, b } = hexToRgb(a.color);
    out.push(`      <node id="${esc(id)}" label="${esc(a.name)}">`);
    attvalues(out, NODE_COLUMNS.map(([k, , , value]) => [k, value(graph, id, a)]));
    out.push(`        <viz:color r="${r}" g="${g}" b="${b}"/>`);
    out.push(`        <viz:position x="${(a.x || 0).toFixed(3)}" y="${(a.y || 0).toFixed(3)}" z="0"/>`);
    out.push(`        <viz:size value="${(a.size || 1).toFixed(2)}"/>`);
    out.push("      </node>");
  });
  out.push("    </nodes>");
  out.push("    <edges>");
  graph.forEachEdge((e, a, s, t) => {
    out.push(`      <edge id="${esc(edgeId(s, t))}" source="${esc(s)}" target="${esc(t)}" weight="${a.weight ?? 1}">`);
    attvalues(out, EDGE_COLUMNS.map(([k, , , value]) => [k, value(a)]));
    out.push("      </edge>");
  });
  out.push("    </edges>");
  out.push("  </graph>");
  out.push("</gexf>");
  return out.join("\n") + "\n";
}

/**
 * The view as GraphML, valid against the GraphML schema: the same nodes, ties and columns
 * as the GEXF, with the keys Gephi and yEd read for label, position, size and colour
 * (label, x, y, size, r, g, b) and weight.
 */
export function toGraphML(graph, description = "") {
  const out = [];
  const key = (domain, name, type) => out.push(`  <key id="${domain}_${name}" for="${domain}" attr.name="${name}" attr.type="${type}"/>`);
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">');
  if (description) out.push(`  <desc>${esc(description)}</desc>`);
  key("node", "label", "string");
  NODE_COLUMNS.forEach(([k, , type]) => key("node", k, type));
  for (const k of ["x", "y", "size"]) key("node", k, "double");
  for (const k of ["r", "g", "b"]) key("node", k, "int");
  key("edge", "weight", "double");
  EDGE_COLUMNS.forEach(([k, , type]) => key("edge", k, type));
  out.push('  <graph id="helixgraph-view" edgedefault="undirected">');
  const data = (domain, k, v) => out.push(`      <data key="${domain}_${k}">${esc(v)}</data>`);
  graph.forEachNode((id, a) => {
    out.push(`    <node id="${esc(id)}">`);
    data("node", "label", a.name);
    for (const [k, , , value] of NODE_COLUMNS) {
      const v = value(graph, id, a);
      if (present(v)) data("node", k, v);
    }
    data("node", "x", (a.x || 0).toFixed(3));
    data("node", "y", (a.y || 0).toFixed(3));
    data("node", "size", (a.size || 1).toFixed(2));
    const { r, g, b } = hexToRgb(a.color);
    data("node", "r", r);
    data("node", "g", g);
    data("node", "b", b);
    out.push("    </node>");
  });
  graph.forEachEdge((e, a, s, t) => {
    out.push(`    <edge id="${esc(edgeId(s, t))}" source="${esc(s)}" target="${esc(t)}">`);
    data("edge", "weight", a.weight ?? 1);
    for (const [k, , , value] of EDGE_COLUMNS) {
      const v = value(a);
      if (present(v)) data("edge", k, v);
    }
    out.push("    </edge>");
  });
  out.push("  </graph>");
  out.push("</graphml>");
  return out.join("\n") + "\n";
}

// ------------------------------------------------------------------ tables (CSV)

/**
 * A CSV file of one or more tables, as Excel opens it in the page's language: Dutch uses
 * ";" between cells and a decimal comma, English "," and a decimal point; UTF-8 with a BOM.
 * Each table: {title, columns: [[header, (row) => value]], rows}; a title line above a
 * table names it (and the filter), an empty line separates tables.
 */
export function toCSV(tables, { lang = "nl", heading = [] } = {}) {
  const sep = lang === "nl" ? ";" : ",";
  const num = (v) =>
    v.toLocaleString(lang === "nl" ? "nl-NL" : "en-GB", { useGrouping: false, maximumFractionDigits: 4 });
  const cell = (v) => {
    if (v === null || v === undefined) return "";
    if (typeof v === "number") return Number.isFinite(v) ? num(v) : "";
    if (Array.isArray(v)) v = v.join(", ");
    const s = String(v);
    return /[",;\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = heading.map((x) => cell(x));
  for (const table of tables) {
    if (lines.length) lines.push("");
    if (table.title) lines.push(cell(table.title));
    lines.push(table.columns.map(([hd]) => cell(hd)).join(sep));
    for (const r of table.rows) lines.push(table.columns.map(([, f]) => cell(f(r))).join(sep));
  }
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

const slug = (s) =>
  String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

export function exportGEXF(graph, description) {
  const name = `helixgraph-${stamp()}.gexf`;
  download(name, toGEXF(graph, description), "application/gexf+xml");
  return name;
}

export function exportGraphML(graph, description) {
  const name = `helixgraph-${stamp()}.graphml`;
  download(name, toGraphML(graph, description), "application/graphml+xml");
  return name;
}

/** Download tables as one CSV file named after `what` (e.g. the tab's name). */
export function exportTables(what, tables, options) {
  const name = `helixgraph-${slug(what)}-${stamp()}.csv`;
  download(name, toCSV(tables, options), "text/csv;charset=utf-8");
  return name;
}

// ------------------------------------------------------------------ report figure

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const INK = "#1F2933";
const MUTED = "#52606D";
const PAD = 24;
const TITLE_SIZE = 22;
const CAPTION_SIZE = 15;
const SMALL = 13;
const SWATCH = 12;
const LINE = 22;

let measureCtx = null;
function measure(text, size, weight = "400") {
  if (!measureCtx) measureCtx = document.createElement("canvas").getContext("2d");
  measureCtx.font = `${weight} ${size}px ${FONT}`;
  return measureCtx.measureText(text).width;
}

/**
 * Where everything of a report figure goes, for a graph picture of `width` × `height`:
 * the title and caption above it, the legend (wrapped) and the date/version line below.
 * Shared by the PNG and the SVG so that both look the same.
 */
function layout(fig, width, height) {
  const top = PAD + TITLE_SIZE + 10 + CAPTION_SIZE + 14;
  const items = [];
  let x = PAD;
  let y = top + height + PAD;
  const maxX = width - PAD;
  for (const item of fig.legend) {
    const w = SWATCH + 6 + measure(item.label, SMALL) + 18;
    if (x + w > maxX && x > PAD) {
      x = PAD;
      y += LINE;
    }
    items.push({ ...item, x, y });
    x += w;
  }
  const stampY = y + LINE + 6;
  return {
    width,
    height: stampY + PAD - 6,
    graphTop: top,
    titleY: PAD + TITLE_SIZE,
    captionY: PAD + TITLE_SIZE + 10 + CAPTION_SIZE,
    legend: items,
    stampY,
  };
}

/** The graph as sigma shows it now: positions in screen pixels, colours after highlighting. */
function drawnGraph(renderer) {
  const graph = renderer.getGraph();
  const nodes = [];
  const pos = new Map();
  graph.forEachNode((id) => {
    const d = renderer.getNodeDisplayData(id);
    if (!d || d.hidden) return;
    const p = renderer.framedGraphToViewport(d);
    const node = { id, x: p.x, y: p.y, r: renderer.scaleSize(d.size), colour: d.color, label: d.label, z: d.zIndex || 0, border: d.borderSize ? d.borderColor : null };
    pos.set(id, node);
    nodes.push(node);
  });
  const edges = [];
  graph.forEachEdge((e, a, s, t) => {
    const d = renderer.getEdgeDisplayData(e);
    if (!d || d.hidden || !pos.has(s) || !pos.has(t)) return;
    edges.push({ a: pos.get(s), b: pos.get(t), w: Math.max(0.5, renderer.scaleSize(d.size)), colour: d.color, z: d.zIndex || 0 });
  });
  nodes.sort((p, q) => p.z - q.z);
  edges.sort((p, q) => p.z - q.z);
  const labelled = renderer.displayedNodeLabels instanceof Set ? renderer.displayedNodeLabels : new Set();
  return { nodes, edges, labels: nodes.filter((n) => n.label && labelled.has(n.id)) };
}

const xml = (v) => String(v ?? "").replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]);
const r1 = (v) => Math.round(v * 10) / 10;

/**
 * An SVG document of the current view: the graph built from sigma's node positions and
 * colours, framed by title, filter caption, legend, date and graph version.
 */
export function toSVG(renderer, fig) {
  const { width: W, height: H } = renderer.getDimensions();
  const L = layout(fig, W, H);
  const g = drawnGraph(renderer);
  const out = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" font-family="${xml(FONT)}">`);
  out.push(`<title>${xml(fig.title)} — ${xml(fig.caption)}</title>`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text class="title" x="${PAD}" y="${L.titleY}" font-size="${TITLE_SIZE}" font-weight="700" fill="${INK}">${xml(fig.title)}</text>`);
  out.push(`<text class="caption" x="${PAD}" y="${L.captionY}" font-size="${CAPTION_SIZE}" fill="${INK}">${xml(fig.caption)}${fig.counts ? ` — ${xml(fig.counts)}` : ""}</text>`);
  out.push(`<defs><clipPath id="graph-area"><rect x="0" y="0" width="${W}" height="${H}"/></clipPath></defs>`);
  out.push(`<g class="graph" transform="translate(0 ${L.graphTop})" clip-path="url(#graph-area)">`);
  out.push(`<g class="edges" stroke-linecap="round">`);
  for (const e of g.edges) out.push(`<line x1="${r1(e.a.x)}" y1="${r1(e.a.y)}" x2="${r1(e.b.x)}" y2="${r1(e.b.y)}" stroke="${xml(e.colour)}" stroke-width="${r1(e.w)}"/>`);
  out.push("</g>");
  out.push(`<g class="nodes">`);
  for (const n of g.nodes) {
    const ring = n.border ? ` stroke="${xml(n.border)}" stroke-width="${r1(Math.max(1.5, n.r * 0.3))}"` : ' stroke="#ffffff" stroke-width="0.5"';
    out.push(`<circle data-id="${xml(n.id)}" cx="${r1(n.x)}" cy="${r1(n.y)}" r="${r1(n.r)}" fill="${xml(n.colour)}"${ring}><title>${xml(n.label)}</title></circle>`);
  }
  out.push("</g>");
  out.push(`<g class="labels" font-size="12" font-weight="600" fill="${INK}" stroke="#ffffff" stroke-width="3" paint-order="stroke">`);
  for (const n of g.labels) out.push(`<text x="${r1(n.x + n.r + 3)}" y="${r1(n.y + 4)}">${xml(n.label)}</text>`);
  out.push("</g></g>");
  out.push(`<line x1="${PAD}" y1="${L.graphTop + H + 8}" x2="${W - PAD}" y2="${L.graphTop + H + 8}" stroke="#D9DEE4"/>`);
  out.push(`<g class="legend" font-size="${SMALL}" fill="${INK}">`);
  for (const it of L.legend) {
    const cy = it.y - SWATCH / 2 + 1;
    if (it.ring) out.push(`<circle cx="${it.x + SWATCH / 2}" cy="${cy}" r="${SWATCH / 2 - 1}" fill="#ffffff" stroke="${INK}" stroke-width="2"/>`);
    else out.push(`<rect x="${it.x}" y="${it.y - SWATCH + 1}" width="${SWATCH}" height="${SWATCH}" rx="3" fill="${xml(it.colour || "#B8BEC6")}"/>`);
    out.push(`<text x="${it.x + SWATCH + 6}" y="${it.y}">${xml(it.label)}</text>`);
  }
  out.push("</g>");
  out.push(`<text class="stamp" x="${PAD}" y="${L.stampY}" font-size="${SMALL}" fill="${MUTED}">${xml(fig.stamp)} · ${xml(fig.source)}</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}

export function exportSVG(renderer, fig) {
  const name = `helixgraph-${slug(fig.name || "netwerk")}-${stamp()}.svg`;
  download(name, toSVG(renderer, fig), "image/svg+xml");
  return name;
}

/**
 * A PNG of the current view: sigma's picture of the graph composed onto a canvas with the
 * title and caption above it and the legend, date and graph version below.
 */
export async function composePNG(renderer, fig) {
  const { width: W, height: H } = renderer.getDimensions();
  const picture = await imageToBlob(renderer, { format: "png", backgroundColor: "#ffffff" });
  const bitmap = await createImageBitmap(picture);
  const scale = bitmap.width / W; // the device pixel ratio sigma drew at
  const L = layout(fig, W, H);
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(L.width * scale);
  canvas.height = Math.round(L.height * scale);
  const c = canvas.getContext("2d");
  c.scale(scale, scale);
  c.fillStyle = "#ffffff";
  c.fillRect(0, 0, L.width, L.height);
  c.textBaseline = "alphabetic";
  c.fillStyle = INK;
  c.font = `700 ${TITLE_SIZE}px ${FONT}`;
  c.fillText(fig.title, PAD, L.titleY);
  c.font = `400 ${CAPTION_SIZE}px ${FONT}`;
  c.fillText(`${fig.caption}${fig.counts ? ` — ${fig.counts}` : ""}`, PAD, L.captionY);
  c.drawImage(bitmap, 0, L.graphTop, W, H);
  c.strokeStyle = "#D9DEE4";
  c.beginPath();
  c.moveTo(PAD, L.graphTop + H + 8.5);
  c.lineTo(W - PAD, L.graphTop + H + 8.5);
  c.stroke();
  c.font = `400 ${SMALL}px ${FONT}`;
  for (const it of L.legend) {
    if (it.ring) {
      c.beginPath();
      c.arc(it.x + SWATCH / 2, it.y - SWATCH / 2 + 1, SWATCH / 2 - 1, 0, 2 * Math.PI);
      c.fillStyle = "#ffffff";
      c.fill();
      c.lineWidth = 2;
      c.strokeStyle = INK;
      c.stroke();
    } else {
      c.fillStyle = it.colour || "#B8BEC6";
      c.fillRect(it.x, it.y - SWATCH + 1, SWATCH, SWATCH);
    }
    c.fillStyle = INK;
    c.fillText(it.label, it.x + SWATCH + 6, it.y);
  }
  c.fillStyle = MUTED;
  c.fillText(`${fig.stamp} · ${fig.source}`, PAD, L.stampY);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG"))), "image/png"));
}

export async function exportPNG(renderer, fig) {
  const name = `helixgraph-${slug(fig.name || "netwerk")}-${stamp()}.png`;
  download(name, await composePNG(renderer, fig), "image/png");
  return name;
}
