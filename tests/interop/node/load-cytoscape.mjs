// Loads a Cytoscape JSON file ({"elements": {"nodes": [...], "edges": [...]}}) into
// cytoscape.js, headless, and prints what cytoscape.js holds as JSON on standard output:
//   {"version", "nodes": N, "edges": N,
//    "elements": [{"group": "nodes"|"edges", "data": {...}}, ...]}
// Usage: node load-cytoscape.mjs FILE
import { readFileSync } from "node:fs";
import cytoscape from "cytoscape";

const file = process.argv[2];
const document = JSON.parse(readFileSync(file, "utf-8"));
const cy = cytoscape({ headless: true, styleEnabled: false, elements: document.elements });
const elements = cy.elements().map((element) => ({
  group: element.group(),
  data: element.data(),
}));
process.stdout.write(
  JSON.stringify({
    version: cytoscape.version,
    nodes: cy.nodes().length,
    edges: cy.edges().length,
    elements,
  }) + "\n",
);
