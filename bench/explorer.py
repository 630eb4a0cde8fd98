"""How fast the graph explorer opens and pans, in headless Chromium against the real service.

Run (Debian's chromium, as scripts/test.sh installs it; ``HELIX_CHROMIUM`` names
another)::

    python -m bench.explorer [--graphs drenthe,cordis] [--loads 5] [--pan-seconds 3]

For every graph it loads a fresh embedded store with the command line (``helixgraph
seed``; for CORDIS also ``helixgraph import`` of the Horizon 2020 folder, which so holds
the Drenthe agenda too), starts ``helixgraph serve`` as a separate process and opens
``/explorer/`` in headless Chromium through Playwright:

1. first meaningful paint: from the start of navigation (``performance.timeOrigin``) to
   the moment ``window.helixExplorer.ready`` resolves, which the explorer does once its
   first graph is drawn; an init script hooks ``ready`` as soon as the page defines it,
   so the time is taken in the page with ``performance.now()`` (and marked
   ``helix-ready``), not by polling from outside. The first load after the service
   started (its analytics caches still cold) is reported apart; then the median of
   ``--loads`` cold page loads (``--cordis-loads`` on CORDIS), each in a new browser
   context (no cache, no storage), with the long tasks before ready (total blocking
   time) and first contentful paint;
2. responsive: after ready the page's animation frames are watched until ten in a row
   take at most 50 ms each (the layout may still be moving the nodes, but the page
   answers); "responsive at" is the start of that run, with the longest frame before
   it, or "> N s" when that did not happen within ``--settle-timeout`` seconds;
3. panning, after the last load has become responsive (or timed out) and its layout
   has settled: for
   ``--pan-seconds`` the mouse drags the graph around in circles while the page records
   every ``requestAnimationFrame``; the intervals give the median and 95th percentile
   frame time and the frames that took longer than 50 ms;
4. what is shown: organisations and ties drawn (``helixExplorer.nodeCount()`` /
   ``edgeCount()``) of the organisations matching (``data-total`` of the counter).

The output is a markdown table with the command that produced it. Targets: first paint
under 1 s on the Drenthe graph; on CORDIS an interactive page: responsive, and frames of
at most 50 ms (p95) while panning.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, ConsoleMessage, Page, ViewportSize, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bench.api_latency import (
    DEFAULT_CORDIS,
    GRAPH_TITLES,
    Neo4jTarget,
    Server,
    _executable,
    _log,
    load_graph,
    percentile,
    running,
    service_env,
)

__all__ = ["main"]

CHROMIUM = os.environ.get("HELIX_CHROMIUM", "/usr/bin/chromium")
VIEWPORT: ViewportSize = {"width": 1400, "height": 900}
FIRST_PAINT_TARGET_MS = 1000.0
DROPPED_MS = 50.0
LOAD_TIMEOUT_MS = 120_000

# Runs before any script of the page: catches window.helixExplorer the moment the page
# sets it, takes the time its `ready` resolves, then watches the frames until the page
# is responsive.
HOOK = """
(() => {
  const bench = (window.__helixBench = { longTasks: [] });
  let current;
  const hook = (api) => {
    if (!api || !api.ready || typeof api.ready.then !== 'function' || bench.hooked) return;
    bench.hooked = true;
    api.ready.then(() => {
      bench.ready = performance.now();
      performance.mark('helix-ready');
      bench.nodes = api.nodeCount();
      bench.edges = api.edgeCount();
      // responsive: the first run of ten frames of at most 50 ms each after ready
      let last = bench.ready;
      let run = 0;
      let runStart = null;
      bench.longest = 0;
      const watch = (now) => {
        const took = now - last;
        last = now;
        if (took <= 50) {
          if (runStart === null) runStart = now - took;
          if (++run >= 10) { bench.settled = runStart; return; }
        } else {
          run = 0;
          runStart = null;
          bench.longest = Math.max(bench.longest, took);
        }
        if (!bench.stopWatching) requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    }, (error) => { bench.error = String(error); });
  };
  Object.defineProperty(window, 'helixExplorer', {
    configurable: true,
    enumerable: true,
    get() { return current; },
    set(value) { current = value; hook(value); },
  });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        bench.longTasks.push([entry.startTime, entry.duration]);
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) { /* no long-task timing in this browser */ }
})();
"""

START_FRAMES = """
() => {
  const bench = window.__helixBench;
  bench.frames = [];
  bench.recording = true;
  const tick = (t) => { bench.frames.push(t); if (bench.recording) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}
"""

STOP_FRAMES = """
() => new Promise((resolve) => {
  const bench = window.__helixBench;
  requestAnimationFrame(() => { bench.recording = false; resolve(bench.frames); });
})
"""

# The camera is no part of the explorer's test contract: read through its debugging aid
# when there is one, only to confirm that the drags panned (null when it is not there).
CAMERA = """
() => {
  const view = window.helixExplorer && window.helixExplorer._view;
  const camera = view && view.renderer && view.renderer.getCamera && view.renderer.getCamera();
  return camera ? camera.getState() : null;
}
"""

LARGEST_CANVAS = """
() => {
  let best = null;
  for (const canvas of document.querySelectorAll('canvas')) {
    const r = canvas.getBoundingClientRect();
    if (r.width * r.height > 0 && (!best || r.width * r.height > best.width * best.height)) {
      best = { x: r.x, y: r.y, width: r.width, height: r.height };
    }
  }
  return best;
}
"""


@dataclass(frozen=True, slots=True)
class Load:
    """One page load: milliseconds from navigation start, and what was drawn."""

    ready_ms: float
    fcp_ms: float  # first contentful paint (the page's shell)
    blocking_ms: float  # long tasks before ready, beyond 50 ms each (total blocking time)
    responsive_ms: float  # ten frames of at most 50 ms in a row from here (inf: not seen)
    longest_ms: float  # the longest frame between ready and responsive
    nodes: int
    edges: int
    total: int
    errors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Options:
    loads: int
    cordis_loads: int
    pan_seconds: float
    settle_timeout: float
    cordis: Path


@dataclass(slots=True)
class Measured:
    graph: str
    import_s: float
    first: Load
    loads: list[Load] = field(default_factory=list)
    frames: list[float] = field(default_factory=list)  # frame intervals while panning, ms
    pan_s: float = 0.0

    def median(self, attribute: str) -> float:
        values: list[float] = [getattr(load, attribute) for load in self.loads]
        return statistics.median(values)


def _errors_of(page: Page) -> list[str]:
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console.error: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error.message}"))
    return errors


def load_page(
    browser: Browser, url: str, settle_timeout: float, pan_seconds: float = 0.0
) -> tuple[Load, list[float]]:
    """Open the explorer in a new context; the load's figures and, when asked, the frame
    intervals (ms) while the mouse pans the graph for ``pan_seconds``."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(HOOK)
        page = context.new_page()
        errors = _errors_of(page)
        page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        page.wait_for_function(
            "() => window.__helixBench && (window.__helixBench.ready !== undefined"
            " || window.__helixBench.error !== undefined)",
            timeout=LOAD_TIMEOUT_MS,
        )
        with contextlib.suppress(PlaywrightTimeoutError):
            page.wait_for_function(
                "() => window.__helixBench.settled !== undefined"
                " || window.__helixBench.error !== undefined",
                timeout=settle_timeout * 1000,
            )
        bench: dict[str, Any] = page.evaluate(
            """() => {
                const b = window.__helixBench;
                b.stopWatching = true;
                const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                const counter = document.querySelector('[data-testid="shown-count"]');
                return { ...b, fcp: fcp ? fcp.startTime : null,
                         total: counter ? Number(counter.dataset.total) : null };
            }""",
        )
        if "error" in bench:
            raise RuntimeError(f"helixExplorer.ready failed: {bench['error']}")
        blocking = sum(
            max(duration - 50.0, 0.0)
            for start, duration in bench["longTasks"]
            if start < bench["ready"]
        )
        if pan_seconds > 0:
            # pan the settled picture: the layout of a large graph runs on after ready
            page.wait_for_function(
                "() => !(window.helixExplorer._view && window.helixExplorer._view.layoutRunning)",
                timeout=60_000,
            )
        intervals = pan(page, pan_seconds) if pan_seconds > 0 else []
        load = Load(
            ready_ms=bench["ready"],
            fcp_ms=math.nan if bench["fcp"] is None else bench["fcp"],
            blocking_ms=blocking,
            responsive_ms=bench.get("settled", math.inf),
            longest_ms=bench["longest"],
            nodes=bench["nodes"],
            edges=bench["edges"],
            total=-1 if bench["total"] is None else bench["total"],
            errors=tuple(errors),
        )
        return load, intervals
    finally:
        context.close()


def pan(page: Page, seconds: float) -> list[float]:
    """Drag the graph around in circles with the mouse for ``seconds``; the intervals
    between animation frames meanwhile, in ms. Fails when the camera did not move."""
    box: dict[str, float] | None = page.evaluate(LARGEST_CANVAS)
    if box is None:
        raise RuntimeError("the explorer has no canvas to pan")
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    radius = min(box["width"], box["height"]) / 4
    camera_before = page.evaluate(CAMERA)
    page.evaluate(START_FRAMES)
    page.mouse.move(cx + radius, cy)
    page.mouse.down()
    end = time.perf_counter() + seconds
    angle = 0.0
    while time.perf_counter() < end:
        angle += math.pi / 12
        page.mouse.move(cx + radius * math.cos(angle), cy + radius * math.sin(angle), steps=2)
    page.mouse.up()
    frames: list[float] = page.evaluate(STOP_FRAMES)
    if camera_before is not None and page.evaluate(CAMERA) == camera_before:
        raise RuntimeError("the mouse drags did not pan the graph: the camera did not move")
    return [b - a for a, b in pairwise(frames)]


def measure(graph: str, browser: Browser, work: Path, options: Options) -> Measured:
    neo4j = Neo4jTarget.from_env()  # unused: the embedded store only
    data_dir = work / f"data-{graph}"
    env = service_env("embedded", data_dir, neo4j)
    _log(f"{graph}: loading the graph into {data_dir}")
    import_s = load_graph(graph, "embedded", env, options.cordis, neo4j)
    server = Server(f"explorer-{graph}", [_executable("helixgraph"), "serve"], env, work)
    loads = options.cordis_loads if graph == "cordis" else options.loads
    with running(server, "/ready"):
        url = server.base_url + "/explorer/"
        _log(f"{graph}: first load after start")
        first, _ = load_page(browser, url, options.settle_timeout)
        measured = Measured(graph, import_s, first)
        for k in range(loads):
            _log(f"{graph}: cold load {k + 1}/{loads}")
            last = k == loads - 1
            pan_s = options.pan_seconds if last else 0.0
            load, frames = load_page(browser, url, options.settle_timeout, pan_s)
            measured.loads.append(load)
            if last:
                measured.frames, measured.pan_s = frames, pan_s
    return measured


def _ms(value: float, limit: float | None = None) -> str:
    if math.isinf(value) and limit is not None:
        return f"> {limit:g} s"
    return "–" if math.isnan(value) else f"{value:,.0f} ms"


def table(results: Sequence[Measured], settle_timeout: float) -> str:
    head = (
        "| graph | organisations drawn (of matching) | ties drawn "
        "| first paint: `ready`, median (min–max) | first contentful paint "
        "| blocking time before ready | responsive at | longest frame after ready "
        "| first load after start | pan: median frame | p95 frame | frames > 50 ms |\n"
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
    )
    rows = []
    for m in results:
        readies = [load.ready_ms for load in m.loads]
        last = m.loads[-1]
        dropped = sum(1 for f in m.frames if f > DROPPED_MS)
        rows.append(
            f"| {GRAPH_TITLES[m.graph]} | {last.nodes:,} ({last.total:,}) | {last.edges:,} "
            f"| **{_ms(m.median('ready_ms'))}** ({_ms(min(readies))}–{_ms(max(readies))}) "
            f"| {_ms(m.median('fcp_ms'))} | {_ms(m.median('blocking_ms'))} "
            f"| {_ms(m.median('responsive_ms'), settle_timeout)} "
            f"| {_ms(m.median('longest_ms'))} | {_ms(m.first.ready_ms)} "
            f"| {statistics.median(m.frames):,.1f} ms | {percentile(m.frames, 95):,.1f} ms "
            f"| {dropped} of {len(m.frames)} |"
        )
    return head + "\n".join(rows) + "\n"


def verdict(results: Sequence[Measured], settle_timeout: float) -> list[str]:
    lines = []
    for m in results:
        title = GRAPH_TITLES[m.graph]
        ready = m.median("ready_ms")
        responsive = m.median("responsive_ms")
        p95 = percentile(m.frames, 95)
        line = f"- {title}: first paint {ready:,.0f} ms"
        if m.graph == "drenthe":
            line += " meets" if ready < FIRST_PAINT_TARGET_MS else " MISSES"
            line += " the 1 s target"
        line += (
            f"; responsive at {_ms(responsive, settle_timeout)}; panning at a median "
            f"{statistics.median(m.frames):,.1f} ms per frame, p95 {p95:,.1f} ms: "
        )
        interactive = not math.isinf(responsive) and p95 <= DROPPED_MS
        line += "interactive" if interactive else "NOT interactive (p95 frame over 50 ms)"
        line += f". Graph loaded with the command line in {m.import_s:.1f} s."
        lines.append(line)
        errors = sorted({e for load in [m.first, *m.loads] for e in load.errors})
        if errors:
            lines.append(f"  Browser errors on {title}: {'; '.join(errors)}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--graphs", default="drenthe,cordis")
    parser.add_argument("--loads", type=int, default=5, help="cold page loads, Drenthe")
    parser.add_argument("--cordis-loads", type=int, default=3, help="cold page loads, CORDIS")
    parser.add_argument("--pan-seconds", type=float, default=3, help="seconds of panning")
    parser.add_argument(
        "--settle-timeout", type=float, default=30, help="longest wait for a responsive page"
    )
    parser.add_argument("--cordis", type=Path, default=DEFAULT_CORDIS)
    args = parser.parse_args(argv)
    graphs = [g for g in args.graphs.split(",") if g]
    if not set(graphs) <= set(GRAPH_TITLES):
        parser.error("graphs are drenthe and cordis")
    if args.loads < 1 or args.cordis_loads < 1:
        parser.error("--loads and --cordis-loads must be at least 1")
    if "cordis" in graphs and not (args.cordis / "participations.csv").exists():
        parser.error(f"{args.cordis} is not a CORDIS folder")
    if not os.access(CHROMIUM, os.X_OK):
        parser.error(f"no Chromium at {CHROMIUM} (apt-get install chromium, or HELIX_CHROMIUM)")
    options = Options(
        loads=args.loads,
        cordis_loads=args.cordis_loads,
        pan_seconds=args.pan_seconds,
        settle_timeout=args.settle_timeout,
        cordis=args.cordis,
    )
    started = time.perf_counter()
    results: list[Measured] = []
    with (
        tempfile.TemporaryDirectory(prefix="bench-explorer-") as tmp,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            for graph in graphs:
                results.append(measure(graph, browser, Path(tmp), options))
            version = browser.version
        finally:
            browser.close()
    command = "python -m bench.explorer " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"`{command.strip()}`\n")
    print(
        f"Headless Chromium {version} (software WebGL), viewport "
        f"{VIEWPORT['width']}×{VIEWPORT['height']}, {os.cpu_count()} CPUs "
        f"({platform.machine()}); embedded store; {args.loads} cold loads on Drenthe, "
        f"{args.cordis_loads} on CORDIS, each in a new browser context; "
        f"{args.pan_seconds:g} s of mouse panning after the last. "
        f"Whole run: {time.perf_counter() - started:.0f} s.\n"
    )
    print(table(results, args.settle_timeout))
    print("\n".join(verdict(results, args.settle_timeout)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
