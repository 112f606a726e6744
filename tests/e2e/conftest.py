"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API against ``live_server``.

No browser is downloaded: Playwright launches the system Chromium through ``executable_path``. The
tests are skipped where Chromium is absent, unless BLOCPORTAL_REQUIRE_BROWSER=1 (as in CI), where
that skip is a failure. A failing test leaves a screenshot in a temporary directory, named in the report.
"""

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Browser:
    page: object
    console: list = field(default_factory=list)  # (type, text) of every console message
    errors: list = field(default_factory=list)  # uncaught JavaScript errors
    failed_responses: list = field(default_factory=list)  # (status, url) of pages and assets >= 400

    def csp_violations(self) -> list[str]:
        return [text for _type, text in self.console if "Content Security Policy" in text]

    def log_in(self, user, password: str = "demo12345") -> None:
        """Log in through the form, as a person would, and wait to leave the login page."""
        import re

        from django.urls import reverse

        self.page.goto(reverse("login"))
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", password)
        self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is not installed (Debian package chromium)"
    if os.environ.get("BLOCPORTAL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message}, and BLOCPORTAL_REQUIRE_BROWSER=1 forbids skipping the browser tests")
    pytest.skip(message)


@pytest.fixture
def browser(live_server, monkeypatch):
    """A fresh browser context on the live server; ``page.goto("/path/")`` is relative to it."""
    _require_chromium()
    # The sync API runs an event loop in this thread; the ORM calls of the test are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = chromium.new_context(
            base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        session = Browser(page=page)
        page.on("console", lambda message: session.console.append((message.type, message.text)))
        page.on("pageerror", lambda error: session.errors.append(str(error)))
        page.on(
            "response",
            lambda response: (
                response.status >= 400 and session.failed_responses.append((response.status, response.url))
            ),
        )
        try:
            yield session
        finally:
            context.close()
            chromium.close()
            # Inside the sync API's event loop the ORM opened its own connection (asgiref's Local
            # follows the context); hand it back here, or PostgreSQL keeps the test database busy.
            connections.close_all()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, while the page is still open: a screenshot and the console, in the report."""
    report = yield
    session = getattr(item, "funcargs", {}).get("browser")
    if report.when == "call" and report.failed and isinstance(session, Browser):
        path = Path(tempfile.mkdtemp(prefix="blocportal-e2e-")) / f"{item.name}.png"
        try:
            session.page.screenshot(path=str(path), full_page=True)
            shot = f"{path} (page {session.page.url})"
        except Exception as error:  # the browser may be what failed
            shot = f"no screenshot: {error}"
        console = "\n".join(f"[{kind}] {text}" for kind, text in session.console) or "(empty)"
        report.sections.append(("browser", f"screenshot: {shot}\nconsole:\n{console}"))
    return report


# The hand-counted quarter of the statistics tests, for the dashboard's browser test.
from tests.reports.conftest import quarter  # noqa: E402, F401
