"""The integrator opens the API documentation with no network beyond the service: /docs
(Swagger UI) lists the operations and runs one, /redoc renders, both under the service's
own content security policy, with no request leaving localhost and no console error."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect

from app.api.protection import DOCS_CSP
from tests.explorer.browser import TIMEOUT_MS, VIEWPORT, Service

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class OfflinePage:
    """A page that may reach the service only; what it tried elsewhere, and its errors."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.blocked: list[str] = []
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error.message}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def route(self, route: Route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")


@pytest.fixture
def offline(browser: Browser, service: Service) -> Iterator[OfflinePage]:
    context = browser.new_context(viewport=VIEWPORT, base_url=service.base_url)
    context.set_default_timeout(TIMEOUT_MS)
    page = OfflinePage(context.new_page())
    context.route("**/*", page.route)
    try:
        yield page
    finally:
        context.close()


def test_docs_run_an_operation_offline(offline: OfflinePage, service: Service) -> None:
    page = offline.page
    answer = page.goto("/docs")
    assert answer is not None
    assert answer.status == 200
    assert answer.headers["content-security-policy"] == DOCS_CSP
    html = answer.text()
    assert "http://" not in html
    assert "https://" not in html  # no CDN: every asset comes from the service
    operation = page.locator("#operations-organisations-list_organisations")
    expect(operation).to_be_visible()
    expect(page.locator(".opblock")).not_to_have_count(0)
    expect(page.locator("#operations-changes-list_changes")).to_be_visible()
    expect(operation).to_contain_text("List or search organisations")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")
    body = operation.locator(".live-responses-table .microlight").first
    expect(body).to_contain_text('"count"')
    assert offline.blocked == []
    assert offline.errors == []


def test_redoc_renders_offline(offline: OfflinePage) -> None:
    page = offline.page
    answer = page.goto("/redoc")
    assert answer is not None
    assert answer.status == 200
    assert answer.headers["content-security-policy"] == DOCS_CSP
    assert "https://" not in answer.text()
    expect(page.locator("h1").first).to_contain_text("helixgraph")
    heading = page.get_by_role("heading", name="List or search organisations, filtered and paged")
    expect(heading).to_be_visible()
    expect(page.locator("[data-section-id]").first).to_be_attached()
    assert offline.blocked == []
    assert offline.errors == []
