"""Journeys in a real headless Chromium (Debian's package) driven by Playwright.

The site runs in a thread on a free loopback port against the test database, with CSRF
on, exactly as a person would use it. Without Chromium the tests skip and say why.
Journeys keep screenshots of their key pages (`shoot`; E2E_SCREENSHOTS=folder keeps them
after the run) and check those pages with axe-core (`axe`).
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.fixtures.browser import Axe, screenshot_name

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.e2e


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True, "SERVER_NAME": None}


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium as root")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _open_page(browser, **context_options):
    """A page in a browser context of its own (its own cookies: one person), noting the
    console's errors on `page.console_errors`; `context_options` go to Playwright's
    `new_context` (`java_script_enabled=False` for a browser without scripts)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, **context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    return page


@pytest.fixture
def page(browser):
    page = _open_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def open_page(browser):
    """Opens another person's browser: for journeys where a moderator and members take
    turns, each stays logged in as themselves."""
    pages = []

    def open_another(**context_options):
        pages.append(_open_page(browser, **context_options))
        return pages[-1]

    yield open_another
    for other in pages:
        other.context.close()


@pytest.fixture
def shoot(request, tmp_path):
    """`shoot(page, name)` saves a full-page PNG into $E2E_SCREENSHOTS (to keep) or the
    test's temp folder, named after the test and `name`."""
    folder = Path(os.environ.get("E2E_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = folder / screenshot_name(request.node.name, name)
        page.screenshot(path=path, full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def axe():
    """`axe(page)` lists the page's accessibility violations; `axe.check(page)` fails on
    serious or critical ones. Without node_modules/axe-core the checks warn and pass."""
    return Axe()
