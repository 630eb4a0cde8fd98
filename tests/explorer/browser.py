"""Helpers of the explorer's browser tests: the real service in a subprocess, and a page
of the explorer with what its console said (fixtures in ``conftest.py``)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import ConsoleMessage, Download, Error, Page, ViewportSize

__all__ = [
    "CHROMIUM",
    "SCREENSHOTS",
    "TIMEOUT_MS",
    "VIEWPORT",
    "Explorer",
    "Service",
    "browser_tests_enabled",
    "dump",
    "start_service",
    "stop_service",
]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("HELIX_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("HELIX_SCREENSHOTS", ROOT / "var" / "screenshots"))
VIEWPORT: ViewportSize = {"width": 1400, "height": 900}
READY_TIMEOUT_S = 90.0
TIMEOUT_MS = 20_000  # the longest wait on one selector or condition in the page


def browser_tests_enabled() -> bool:
    """False only when HELIX_TEST_BROWSER=0 asks to leave the browser tests out."""
    return os.environ.get("HELIX_TEST_BROWSER", "1") != "0"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Service:
    """``helixgraph serve`` on a free port over a fresh embedded store."""

    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.base_url, timeout=30)

    def api(self, path: str, **params: Any) -> Any:
        """The JSON answer of a GET on the API (``/api/v1`` + ``path``)."""
        answer = self.client.get(f"/api/v1{path}", params=params)
        answer.raise_for_status()
        return answer.json()

    def tail(self) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-30:])


def start_service(data_dir: Path, log_path: Path) -> Service:
    """Start the service as a user would and wait until ``/ready`` answers 200.

    The environment keeps none of this process's service settings (``HELIX_*``,
    ``NEO4J_*``): an embedded store in ``data_dir``, seeded with the Drenthe agenda on
    its first start.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELIX_", "NEO4J_"))}
    env.update(HELIX_STORE="embedded", HELIX_DATA_DIR=str(data_dir))
    port = _free_port()
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "helixgraph"), "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    service = Service(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"helixgraph serve exited at start:\n{service.tail()}")
        try:
            if service.client.get("/ready", timeout=5).status_code == 200:
                return service
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop_service(service)
    raise RuntimeError(f"helixgraph serve was not ready within {READY_TIMEOUT_S:.0f} s")


def stop_service(service: Service) -> None:
    service.client.close()
    if service.process.poll() is None:
        service.process.send_signal(signal.SIGTERM)
        try:
            service.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait(timeout=15)


class Explorer:
    """A page of the explorer and what its console said.

    Everything waits on the page's own signals (``helixExplorer.ready``, selectors,
    attributes), never on fixed sleeps.
    """

    def __init__(self, page: Page, service: Service, name: str) -> None:
        self.page = page
        self.service = service
        self.name = name
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.errors.append(f"console.error: {message.text} ({where})")

    def _on_page_error(self, error: Error) -> None:
        self.errors.append(f"uncaught: {error.message}\n{error.stack or ''}")

    @property
    def url(self) -> str:
        return self.service.base_url + "/explorer/"

    def open(self, path: str = "/explorer/") -> None:
        """Load a page and wait until the explorer has drawn its first graph."""
        self.page.goto(self.service.base_url + path)
        self.wait_ready()

    def wait_ready(self) -> None:
        self.page.wait_for_function("() => window.helixExplorer !== undefined")
        self.page.evaluate("() => window.helixExplorer.ready.then(() => true)")

    def call(self, method: str, *args: Any) -> Any:
        """``window.helixExplorer[method](...args)``, awaited when it returns a promise."""
        return self.page.evaluate(
            "([method, args]) => window.helixExplorer[method](...args)", [method, list(args)]
        )

    def node_count(self) -> int:
        count: int = self.call("nodeCount")
        return count

    def edge_count(self) -> int:
        count: int = self.call("edgeCount")
        return count

    def highlighted(self) -> list[str]:
        ids: list[str] = self.call("highlighted")
        return ids

    def state(self) -> Any:
        return self.call("state")

    def wait_for(self, expression: str, arg: Any = None) -> None:
        """Wait until a JavaScript expression over ``arg`` is truthy in the page."""
        self.page.wait_for_function(expression, arg=arg)

    def wait_shown(self, nodes: int, edges: int | None = None) -> None:
        """Wait until the counter and the drawn graph both show ``nodes`` (and ``edges``)."""
        self.wait_for(
            """([nodes, edges]) => {
                const shown = document.querySelector('[data-testid="shown-count"]');
                const h = window.helixExplorer;
                return shown !== null && Number(shown.dataset.nodes) === nodes
                    && h.nodeCount() === nodes
                    && (edges === null || (Number(shown.dataset.edges) === edges
                                           && h.edgeCount() === edges));
            }""",
            [nodes, edges],
        )

    def screenshot(self, name: str | None = None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name or self.name}.png"
        self.page.screenshot(path=str(path))
        return path

    def download(self, testid: str) -> Download:
        with self.page.expect_download() as started:
            self.page.get_by_test_id(testid).click()
        return started.value

    def assert_no_console_errors(self) -> None:
        if self.errors:
            listed = "\n".join(self.errors)
            pytest.fail(f"the browser reported errors:\n{listed}", pytrace=False)


def dump(value: object) -> str:
    """Short JSON for assertion messages."""
    return json.dumps(value, ensure_ascii=False)[:2000]
