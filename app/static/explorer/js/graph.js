// The graph canvas: graphology graph + sigma renderer + time-sliced ForceAtlas2.
import { Sigma, Graph, forceAtlas2, createNodeBorderProgram, EdgeRectangleProgram } from "../vendor/vendor.js";
import { helixRoles, roleColour } from "./i18n.js";

/** Over this many ties, panning and zooming draw nodes only (software WebGL redraws
 *  thousands of ties too slowly for a smooth frame); the ties return when it stops. */
const MOVE_EDGES = 1500;

// The helix roles' colours are graph_schema's (Okabe–Ito), served with the vocabulary.
// Communities: the rest of Okabe–Ito, then Paul Tol's safe colours; small groups grey.
export const COMMUNITY_COLOURS = [
  "#56B4E9", "#D55E00", "#F0E442", "#332288", "#117733", "#882255",
  "#44AA99", "#999933", "#AA4499", "#DDCC77", "#6699CC", "#661100",
];
export const OTHER_COLOUR = "#B8BEC6";
const DIM_NODE = "#E4E7EB";
const DIM_EDGE = "#EEF0F3";
const EDGE_COLOUR = "#C3C9D1";
const PATH_EDGE = "#111827";
const RING_COLOUR = "#1F2933";
const SELECT_RING = "#111827";

/** Deterministic per-id pseudo-random numbers (FNV-1a hash → mulberry32). */
function seeded(id) {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Community id -> colour: the largest communities get the palette, the rest grey. */
export function communityPalette(communities) {
  const m = new Map();
  const big = (communities.communities || []).slice().sort((a, b) => b.size - a.size || a.id - b.id);
  big.forEach((c, i) => {
    if (i < COMMUNITY_COLOURS.length) m.set(c.id, COMMUNITY_COLOURS[i]);
  });
  return m;
}

export const edgeKey = (a, b) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export class GraphView {
  constructor(container, { onNodeClick, onStageClick } = {}) {
    this.container = container;
    this.graph = new Graph({ type: "undirected", multi: false });
    this.selected = null;
    this.hovered = null;
    this.hoverNeighbours = null;
    this.spotlight = null; // Set of node ids (ego / heatmap cell / community)
    this.pathNodes = new Set();
    this.pathEdges = new Set();
    this.articulation = new Set();
    this.colourMode = "helix";
    this.membership = null;
    this.communityColour = new Map();
    this.sizeMetric = "degree";
    this.metrics = null; // id -> {betweenness, effective_size}
    this.layoutToken = 0;
    this.layoutRunning = false;
    this.frames = { count: 0, last: 0, times: [] };
    this.onNodeClick = onNodeClick;
    this.onStageClick = onStageClick;
    this.renderer = null;
    // Sigma only listens to window resizes; the container also changes when panels open.
    if (typeof ResizeObserver !== "undefined") {
      let raf = 0;
      new ResizeObserver(() => {
        cancelAnimationFrame(raf);
        raf = requestAnimationFrame(() => {
          if (this.renderer) {
            this.renderer.resize();
            this.renderer.refresh({ skipIndexation: true });
          }
        });
      }).observe(container);
    }
  }

  /** Create the WebGL renderer (call early, so shader compilation overlaps the first API request). */
  ensureRenderer() {
    if (this.renderer) return;
    performance.mark("helix:renderer-start");
    this._createRenderer(0);
    performance.mark("helix:renderer-end");
  }

  _createRenderer(edgeCount) {
    if (this.renderer) this.renderer.kill();
    const BorderProgram = createNodeBorderProgram({
      borders: [
        { size: { attribute: "borderSize", defaultValue: 0 }, color: { attribute: "borderColor", defaultValue: RING_COLOUR } },
        { size: { fill: true }, color: { attribute: "color" } },
      ],
    });
    const big = edgeCount > MOVE_EDGES;
    this.renderer = new Sigma(this.graph, this.container, {
      // Override sigma's default program types so only two WebGL programs get compiled.
      defaultNodeType: "circle",
      nodeProgramClasses: { circle: BorderProgram },
      defaultEdgeType: "line",
      edgeProgramClasses: { line: EdgeRectangleProgram, arrow: EdgeRectangleProgram },
      defaultEdgeColor: EDGE_COLOUR,
      labelFont: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
      labelSize: 12,
      labelWeight: "600",
      labelColor: { color: "#1F2933" },
      labelDensity: 0.5,
      labelGridCellSize: 110,
      labelRenderedSizeThreshold: 9,
      zIndex: true,
      hideEdgesOnMove: big,
      hideLabelsOnMove: big,
      enableEdgeEvents: false,
      minCameraRatio: 0.03,
      maxCameraRatio: 4,
      stagePadding: 36,
      nodeReducer: (n, d) => this._nodeReducer(n, d),
      edgeReducer: (e, d) => this._edgeReducer(e, d),
    });
    const r = this.renderer;
    this.lastMove = 0;
    r.getCamera().on("updated", () => {
      this.lastMove = performance.now();
    });
    r.on("clickNode", ({ node }) => this.onNodeClick && this.onNodeClick(node));
    r.on("clickStage", () => this.onStageClick && this.onStageClick());
    r.on("enterNode", ({ node }) => {
      this.hovered = node;
      this.hoverNeighbours = new Set(this.graph.neighbors(node));
      this.container.classList.add("hovering");
      r.refresh({ skipIndexation: true });
    });
    r.on("leaveNode", () => {
      this.hovered = null;
      this.hoverNeighbours = null;
      this.container.classList.remove("hovering");
      r.refresh({ skipIndexation: true });
    });
    r.on("afterRender", () => {
      const now = performance.now();
      this.frames.count++;
      if (this.frames.last) {
        this.frames.times.push(now - this.frames.last);
        if (this.frames.times.length > 120) this.frames.times.shift();
      }
      this.frames.last = now;
    });
  }

  _nodeReducer(node, data) {
    const res = { ...data };
    const focusSet = this.pathNodes.size ? this.pathNodes : this.spotlight;
    if (focusSet) {
      if (focusSet.has(node)) {
        res.zIndex = 2;
        if (focusSet.size <= 30) res.forceLabel = true;
      } else {
        res.color = DIM_NODE;
        res.borderColor = DIM_NODE;
        res.label = null;
        res.zIndex = 0;
      }
    }
    if (this.hovered && !focusSet) {
      if (node !== this.hovered && !this.hoverNeighbours.has(node)) {
        res.color = DIM_NODE;
        res.borderColor = DIM_NODE;
        res.label = null;
        res.zIndex = 0;
      } else res.zIndex = 2;
    }
    if (node === this.hovered || node === this.selected) {
      res.forceLabel = true;
      res.label = data.label;
      res.color = data.color;
      res.zIndex = 3;
    }
    if (node === this.selected) {
      res.borderSize = 0.28;
      res.borderColor = SELECT_RING;
      res.highlighted = true;
    }
    return res;
  }

  _edgeReducer(edge, data) {
    const res = { ...data };
    const [s, t] = this.graph.extremities(edge);
    if (this.pathNodes.size) {
      if (this.pathEdges.has(edgeKey(s, t))) {
        res.color = PATH_EDGE;
        res.size = Math.max(2.5, data.size * 1.6);
        res.zIndex = 2;
      } else {
        res.color = DIM_EDGE;
        res.zIndex = 0;
      }
      return res;
    }
    if (this.spotlight) {
      if (this.spotlight.has(s) && this.spotlight.has(t)) {
        res.color = "#8A94A3";
        res.zIndex = 1;
      } else res.hidden = true;
      return res;
    }
    const active = this.hovered || this.selected;
    if (active) {
      if (s === active || t === active) {
        res.color = "#6B7684";
        res.zIndex = 1;
      } else if (this.hovered) {
        res.color = DIM_EDGE;
      }
    }
    return res;
  }

  /** Replace the graph with a /network response; returns a promise resolving when the layout has settled. */
  setData(network) {
    // Build the new graph off-screen, then hand it to sigma in one go.
    const g = new Graph({ type: "undirected", multi: false });
    this.layoutToken++;
    const n = network.nodes.length;
    const spread = Math.sqrt(Math.max(n, 1)) * 10;
    for (const node of network.nodes) {
      if (g.hasNode(node.id)) continue;
      const rnd = seeded(node.id);
      g.addNode(node.id, {
        x: (rnd() * 2 - 1) * spread,
        y: (rnd() * 2 - 1) * spread,
        label: node.name,
        name: node.name,
        helix_role: node.helix_role,
        helix_roles: node.helix_roles || [node.helix_role],
        org_type: node.org_type || "",
        place: node.place || "",
        generic: !!node.generic,
        degree: node.degree ?? 0,
        strength: node.strength ?? 0,
        size: 4,
        color: OTHER_COLOUR,
        borderSize: 0,
        borderColor: RING_COLOUR,
      });
    }
    for (const e of network.edges) {
      if (!g.hasNode(e.source) || !g.hasNode(e.target) || e.source === e.target) continue;
      if (g.hasEdge(e.source, e.target)) continue;
      g.addEdge(e.source, e.target, {
        weight: e.weight ?? 1,
        activities: e.activities || [],
        size: Math.min(4, 0.5 + 0.6 * Math.sqrt(e.weight ?? 1)),
        color: EDGE_COLOUR,
      });
    }
    this.graph = g;
    // Drop highlight state that no longer applies.
    if (this.selected && !g.hasNode(this.selected)) this.selected = null;
    this.hovered = null;
    this.hoverNeighbours = null;
    this._applyColours();
    this._applySizes();
    this._applyRings();
    this.ensureRenderer();
    const big = g.size > MOVE_EDGES;
    if (big !== this.renderer.getSetting("hideEdgesOnMove")) {
      this.renderer.setSetting("hideEdgesOnMove", big);
      this.renderer.setSetting("hideLabelsOnMove", big);
    }
    return this._layout();
  }

  /**
   * ForceAtlas2 with a bounded number of iterations on the connected organisations
   * (small graphs synchronously before the first paint, large ones time-sliced),
   * then the isolated organisations in a tidy grid below the network.
   */
  _layout() {
    const g = this.graph;
    const token = this.layoutToken;
    const lg = g.copy();
    lg.forEachNode((id) => {
      if (lg.degree(id) === 0) lg.dropNode(id);
    });
    const n = lg.order;
    const t0 = performance.now();
    const finish = () => {
      this._placeIsolates();
      this.layoutMs = performance.now() - t0;
    };
    if (n < 3) {
      finish();
      this.renderer.setGraph(g);
      this._resetCamera();
      return Promise.resolve();
    }
    const inferred = forceAtlas2.inferSettings(lg);
    const settings = {
      ...inferred,
      barnesHutOptimize: n > 400,
      edgeWeightInfluence: 1,
      slowDown: n > 400 ? 2 : 1 + Math.log(n),
    };
    const maxIter = n <= 300 ? 500 : n <= 2000 ? 300 : 150;
    const prev = new Float64Array(n * 2);
    const snapshot = () => {
      let i = 0;
      lg.forEachNode((id, a) => {
        prev[i++] = a.x;
        prev[i++] = a.y;
      });
    };
    const movement = () => {
      let i = 0;
      let sum = 0;
      lg.forEachNode((id, a) => {
        sum += Math.abs(a.x - prev[i++]) + Math.abs(a.y - prev[i++]);
      });
      return sum / n;
    };
    const extent = () => {
      let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
      lg.forEachNode((id, a) => {
        minX = Math.min(minX, a.x); maxX = Math.max(maxX, a.x);
        minY = Math.min(minY, a.y); maxY = Math.max(maxY, a.y);
      });
      return Math.max(maxX - minX, maxY - minY, 1);
    };
    const copyBack = () => {
      lg.forEachNode((id, a) => {
        const b = g.getNodeAttributes(id);
        b.x = a.x;
        b.y = a.y;
      });
    };
    if (n <= 300 && lg.size <= 5000) {
      // Small: settle before the first paint (a few milliseconds).
      let it = 0;
      while (it < maxIter) {
        snapshot();
        forceAtlas2.assign(lg, { iterations: 50, settings });
        it += 50;
        if (movement() < extent() * 2e-4) break;
      }
      this.layoutIterations = it;
      copyBack();
      finish();
      this.renderer.setGraph(g);
      this._resetCamera();
      return Promise.resolve();
    }
    this._placeIsolates();
    this.renderer.setGraph(g);
    this._resetCamera();
    this.layoutRunning = true;
    this.container.classList.add("layout-running");
    let it = 0;
    let chunk = 1;
    let shown = performance.now();
    return new Promise((resolve) => {
      const step = () => {
        if (token !== this.layoutToken) return resolve();
        const start = performance.now();
        snapshot();
        let done = 0;
        while (performance.now() - start < 10 && it < maxIter) {
          const s0 = performance.now();
          forceAtlas2.assign(lg, { iterations: chunk, settings });
          it += chunk;
          done += chunk;
          const dt = performance.now() - s0;
          if (dt < 3) chunk = Math.min(chunk * 2, 50);
          else if (dt > 10 && chunk > 1) chunk = Math.max(1, chunk >> 1);
        }
        const settled = done > 0 && movement() / done < extent() * 2e-5;
        const finished = it >= maxIter || settled;
        // Redrawing thousands of ties after every slice would make each frame slow;
        // the picture follows the layout a few times a second instead.
        const now = performance.now();
        const moving = now - (this.lastMove || 0) < 300; // the user pans or zooms
        if (finished || (now - shown > 400 && !moving)) {
          shown = performance.now();
          g.updateEachNodeAttributes((id, a) => {
            if (lg.hasNode(id)) {
              const b = lg.getNodeAttributes(id);
              a.x = b.x;
              a.y = b.y;
            }
            return a;
          }, { attributes: ["x", "y"] });
        }
        if (finished) {
          this.layoutIterations = it;
          this._placeIsolates();
          this.layoutMs = performance.now() - t0;
          this.layoutRunning = false;
          this.container.classList.remove("layout-running");
          this.renderer.refresh();
          resolve();
          return;
        }
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
  }

  /** Isolated organisations: a grid under the network, grouped by helix role then name. */
  _placeIsolates() {
    const g = this.graph;
    const iso = [];
    let minX = Infinity, maxX = -Infinity, maxY = -Infinity, minY = Infinity;
    g.forEachNode((id, a) => {
      if (g.degree(id) === 0) iso.push(id);
      else {
        minX = Math.min(minX, a.x); maxX = Math.max(maxX, a.x);
        minY = Math.min(minY, a.y); maxY = Math.max(maxY, a.y);
      }
    });
    if (!iso.length) return;
    if (!Number.isFinite(minX)) {
      minX = 0; maxX = 100; minY = 0; maxY = 0;
    }
    const order = Object.fromEntries(helixRoles().map((role, i) => [role, i]));
    iso.sort((x, y) => {
      const a = g.getNodeAttributes(x);
      const b = g.getNodeAttributes(y);
      return (order[a.helix_role] ?? 9) - (order[b.helix_role] ?? 9) || String(a.name).localeCompare(String(b.name));
    });
    const width = Math.max(maxX - minX, 1);
    const cols = Math.max(1, Math.min(iso.length, 12));
    const gap = width / Math.max(cols - 1, 1);
    const step = Math.min(gap, Math.max(maxY - minY, maxX - minX, 1) / 16);
    const x0 = (minX + maxX) / 2 - (step * (cols - 1)) / 2;
    // sigma's y axis points up: "below" is smaller y.
    const y0 = minY - Math.max(maxY - minY, 1) * 0.12;
    iso.forEach((id, i) => {
      const a = g.getNodeAttributes(id);
      a.x = x0 + (i % cols) * step;
      a.y = y0 - Math.floor(i / cols) * step;
    });
  }

  _resetCamera() {
    this.renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
  }

  setColourMode(mode, communities) {
    this.colourMode = mode;
    if (communities) {
      this.membership = communities.membership || {};
      this.communityColour = communityPalette(communities);
    }
    this._applyColours();
    this.refresh();
  }

  communityColourOf(cid) {
    return this.communityColour.get(cid) || OTHER_COLOUR;
  }

  _applyColours() {
    const mode = this.colourMode;
    this.graph.updateEachNodeAttributes((id, a) => {
      if (mode === "community" && this.membership) {
        a.color = this.communityColourOf(this.membership[id]);
      } else {
        a.color = roleColour(a.helix_role) || OTHER_COLOUR;
      }
      return a;
    }, { attributes: ["color"] });
  }

  setSizeMetric(metric, metrics) {
    this.sizeMetric = metric;
    if (metrics) this.metrics = metrics;
    this._applySizes();
    this.refresh();
  }

  _value(id, a) {
    if (this.sizeMetric === "degree" || !this.metrics) return this.graph.degree(id);
    const m = this.metrics.get(id);
    return m ? m[this.sizeMetric] ?? 0 : 0;
  }

  _applySizes() {
    const g = this.graph;
    const n = g.order;
    let max = 0;
    g.forEachNode((id, a) => {
      max = Math.max(max, this._value(id, a));
    });
    const minS = n > 1000 ? 2 : n > 200 ? 3 : 5;
    const maxS = n > 1000 ? 12 : n > 200 ? 16 : 20;
    g.updateEachNodeAttributes((id, a) => {
      const v = this._value(id, a);
      a.size = minS + (maxS - minS) * (max > 0 ? Math.sqrt(Math.max(v, 0) / max) : 0);
      return a;
    }, { attributes: ["size"] });
  }

  setArticulation(ids) {
    this.articulation = new Set(ids);
    this._applyRings();
    this.refresh();
  }

  _applyRings() {
    this.graph.updateEachNodeAttributes((id, a) => {
      a.borderSize = this.articulation.has(id) ? 0.3 : 0;
      a.borderColor = RING_COLOUR;
      return a;
    }, { attributes: ["borderSize", "borderColor"] });
  }

  setSelected(id) {
    this.selected = id && this.graph.hasNode(id) ? id : null;
    this.refresh();
  }

  setSpotlight(ids) {
    this.spotlight = ids ? new Set(ids) : null;
    this.refresh();
  }

  /** Highlight a path: organisation ids in order; consecutive pairs become highlighted edges. */
  setPath(ids, pairs) {
    this.pathNodes = new Set(ids || []);
    this.pathEdges = new Set((pairs || []).map(([a, b]) => edgeKey(a, b)));
    this.refresh();
  }

  highlighted() {
    return [...this.pathNodes];
  }

  refresh() {
    if (this.renderer) this.renderer.refresh({ skipIndexation: false });
  }

  focus(id, ratio = 0.45) {
    if (!this.renderer || !this.graph.hasNode(id)) return false;
    const d = this.renderer.getNodeDisplayData(id);
    if (!d) return false;
    this.renderer.getCamera().animate({ x: d.x, y: d.y, ratio: Math.min(ratio, this.renderer.getCamera().ratio) }, { duration: 450 });
    return true;
  }

  /** Fit the camera on a set of nodes (or everything). */
  fit(ids) {
    if (!this.renderer) return;
    const cam = this.renderer.getCamera();
    const list = (ids || []).filter((id) => this.graph.hasNode(id));
    if (!list.length) {
      cam.animatedReset({ duration: 400 });
      return;
    }
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (const id of list) {
      const d = this.renderer.getNodeDisplayData(id);
      if (!d) continue;
      minX = Math.min(minX, d.x); maxX = Math.max(maxX, d.x);
      minY = Math.min(minY, d.y); maxY = Math.max(maxY, d.y);
    }
    const ratio = Math.min(1, Math.max(0.15, Math.max(maxX - minX, maxY - minY) * 1.4));
    cam.animate({ x: (minX + maxX) / 2, y: (minY + maxY) / 2, ratio }, { duration: 450 });
  }

  zoom(factor) {
    if (!this.renderer) return;
    const cam = this.renderer.getCamera();
    if (factor > 1) cam.animatedUnzoom({ duration: 250, factor });
    else cam.animatedZoom({ duration: 250, factor: 1 / factor });
  }

  frameStats() {
    const ts = this.frames.times;
    const marks = {};
    for (const m of performance.getEntriesByType("mark")) if (m.name.startsWith("helix:")) marks[m.name.slice(6)] = Math.round(m.startTime);
    const avg = ts.length ? ts.reduce((a, b) => a + b, 0) / ts.length : 0;
    return {
      frames: this.frames.count,
      avgFrameMs: avg,
      maxFrameMs: ts.length ? Math.max(...ts) : 0,
      layoutIterations: this.layoutIterations || 0,
      layoutRunning: this.layoutRunning,
      layoutMs: Math.round(this.layoutMs || 0),
      marks,
    };
  }
}
