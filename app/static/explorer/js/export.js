// Client-side export of the current view: GEXF, GraphML, CSV and PNG.
import { imageToBlob } from "../vendor/vendor.js";
import { download } from "./dom.js";

const esc = (v) =>
  String(v ?? "").replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);

const NODE_ATTRS = [
  ["name", "string"],
  ["helix_role", "string"],
  ["org_type", "string"],
  ["place", "string"],
  ["degree", "integer"],
];

function hexToRgb(hex) {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex || "");
  if (!m) return { r: 128, g: 128, b: 128 };
  const n = parseInt(m[1], 16);
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
}

const stamp = () => new Date().toISOString().slice(0, 10);

export function toGEXF(graph) {
  const out = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push('<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">');
  out.push(`  <meta lastmodifieddate="${stamp()}"><creator>helixgraph explorer</creator><description>Current explorer view</description></meta>`);
  out.push('  <graph defaultedgetype="undirected" mode="static">');
  out.push('    <attributes class="node">');
  NODE_ATTRS.forEach(([k, type], i) => out.push(`      <attribute id="${i}" title="${k}" type="${type}"/>`));
  out.push("    </attributes>");
  out.push("    <nodes>");
  graph.forEachNode((id, a) => {
    const { r, g, b } = hexToRgb(a.color);
    out.push(`      <node id="${esc(id)}" label="${esc(a.name)}">`);
    out.push("        <attvalues>");
    NODE_ATTRS.forEach(([k], i) => {
      const v = k === "degree" ? graph.degree(id) : a[k];
      if (v !== undefined && v !== null && v !== "") out.push(`          <attvalue for="${i}" value="${esc(v)}"/>`);
    });
    out.push("        </attvalues>");
    out.push(`        <viz:color r="${r}" g="${g}" b="${b}"/>`);
    out.push(`        <viz:size value="${(a.size || 1).toFixed(2)}"/>`);
    out.push(`        <viz:position x="${(a.x || 0).toFixed(3)}" y="${(a.y || 0).toFixed(3)}" z="0"/>`);
    out.push("      </node>");
  });
  out.push("    </nodes>");
  out.push("    <edges>");
  let i = 0;
  graph.forEachEdge((e, a, s, t) => {
    out.push(`      <edge id="${i++}" source="${esc(s)}" target="${esc(t)}" weight="${a.weight ?? 1}"/>`);
  });
  out.push("    </edges>");
  out.push("  </graph>");
  out.push("</gexf>");
  return out.join("\n") + "\n";
}

export function toGraphML(graph) {
  const out = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">');
  NODE_ATTRS.forEach(([k, type]) => out.push(`  <key id="${k}" for="node" attr.name="${k}" attr.type="${type === "integer" ? "int" : "string"}"/>`));
  out.push('  <key id="x" for="node" attr.name="x" attr.type="double"/>');
  out.push('  <key id="y" for="node" attr.name="y" attr.type="double"/>');
  out.push('  <key id="color" for="node" attr.name="color" attr.type="string"/>');
  out.push('  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>');
  out.push('  <graph id="helixgraph" edgedefault="undirected">');
  graph.forEachNode((id, a) => {
    out.push(`    <node id="${esc(id)}">`);
    for (const [k] of NODE_ATTRS) {
      const v = k === "degree" ? graph.degree(id) : a[k];
      if (v !== undefined && v !== null && v !== "") out.push(`      <data key="${k}">${esc(v)}</data>`);
    }
    out.push(`      <data key="x">${(a.x || 0).toFixed(3)}</data>`);
    out.push(`      <data key="y">${(a.y || 0).toFixed(3)}</data>`);
    out.push(`      <data key="color">${esc(a.color)}</data>`);
    out.push("    </node>");
  });
  graph.forEachEdge((e, a, s, t) => {
    out.push(`    <edge source="${esc(s)}" target="${esc(t)}"><data key="weight">${a.weight ?? 1}</data></edge>`);
  });
  out.push("  </graph>");
  out.push("</graphml>");
  return out.join("\n") + "\n";
}

/** rows: array of objects; columns: [[key, header]] */
export function toCSV(rows, columns) {
  const cell = (v) => {
    if (v === null || v === undefined) return "";
    if (Array.isArray(v)) v = v.join("; ");
    const s = String(v);
    return /[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map(([, hd]) => cell(hd)).join(",")];
  for (const r of rows) lines.push(columns.map(([k]) => cell(typeof k === "function" ? k(r) : r[k])).join(","));
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

export function exportGEXF(graph) {
  const name = `helixgraph-${stamp()}.gexf`;
  download(name, toGEXF(graph), "application/gexf+xml");
  return name;
}

export function exportGraphML(graph) {
  const name = `helixgraph-${stamp()}.graphml`;
  download(name, toGraphML(graph), "application/graphml+xml");
  return name;
}

export function exportCSV(basename, rows, columns) {
  const name = `${basename}-${stamp()}.csv`;
  download(name, toCSV(rows, columns), "text/csv;charset=utf-8");
  return name;
}

export async function exportPNG(renderer) {
  const name = `helixgraph-${stamp()}.png`;
  const blob = await imageToBlob(renderer, { format: "png", backgroundColor: "#ffffff", fileName: name });
  download(name, blob, "image/png");
  return name;
}
