"""The explorer in a real browser: the real service in a subprocess, Debian's Chromium.

One service and one browser for the whole session, a fresh page (in its own browser
context) per test. Every test also fails on an error in the browser's console or an
uncaught exception in the page (see :func:`pytest_runtest_call`).

Chromium comes from the distribution (``scripts/test.sh`` installs it with apt), never
from a browser download: ``HELIX_CHROMIUM`` names another executable. Without a browser
these tests fail; ``HELIX_TEST_BROWSER=0`` leaves them out knowingly (they skip).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator, Iterator

import pytest
from playwright.sync_api import Browser, Error, expect, sync_playwright

from tests.explorer.browser import (
    CHROMIUM,
    SCREENSHOTS,
    TIMEOUT_MS,
    VIEWPORT,
    Explorer,
    Service,
    browser_tests_enabled,
    start_service,
    stop_service,
)

expect.set_options(timeout=TIMEOUT_MS)  # assertions wait as long as the page's own waits


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The real service, seeded with the Drenthe agenda, for the whole session."""
    if not browser_tests_enabled():
        pytest.skip("HELIX_TEST_BROWSER=0: the browser tests are left out")
    folder = tmp_path_factory.mktemp("explorer-service")
    running = start_service(folder / "data", folder / "serve.log")
    try:
        yield running
    finally:
        stop_service(running)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session: the distribution's, not a download."""
    if not browser_tests_enabled():
        pytest.skip("HELIX_TEST_BROWSER=0: the browser tests are left out")
    for stale in SCREENSHOTS.glob("FAILED-*.png"):  # from an earlier run: misleading now
        stale.unlink()
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"no Chromium at {CHROMIUM}: run scripts/test.sh (it installs Debian's chromium), "
            "set HELIX_CHROMIUM, or leave the browser tests out with HELIX_TEST_BROWSER=0",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def explorer(
    request: pytest.FixtureRequest, browser: Browser, service: Service
) -> Iterator[Explorer]:
    """A fresh page (own context: no shared storage or cache) at 1400×900."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield Explorer(page, service, request.node.name)
    finally:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """After a passing explorer test: fail it when the browser reported an error. After a
    failing one: keep a screenshot and show what the console said."""
    funcargs: dict[str, object] = getattr(item, "funcargs", {})
    page = funcargs.get("explorer")
    try:
        result = yield
    except BaseException:
        if isinstance(page, Explorer):
            with contextlib.suppress(Error):
                page.screenshot(f"FAILED-{page.name}")
            if page.errors:
                item.add_report_section("call", "browser console", "\n".join(page.errors))
        raise
    if isinstance(page, Explorer):
        page.assert_no_console_errors()
    return result
