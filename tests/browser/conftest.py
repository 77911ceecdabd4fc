"""A real Chromium (Debian's) driven by Playwright against the app on a loopback port.

Pages are used as a person would: by visible labels and roles. Any console error (a CSP
violation is one) or uncaught script error fails the test.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from extensions import make_engine, upgrade_schema
from tests.conftest import FAST_ARGON2, PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing; .ci/run installs Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def live_server(tmp_path):
    from app import create_app
    from extensions import db

    url = f"sqlite:///{tmp_path / 'browser.sqlite3'}"
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    app = create_app(
        {"DATABASE_URL": url, "RATELIMIT_ENABLED": False, **FAST_ARGON2}, instance_path=str(tmp_path / "instance")
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


class LiveServer(str):
    """The server's address, which also knows its app (to prepare data as a test needs)."""

    def __new__(cls, url: str, app):
        self = super().__new__(cls, url)
        self.app = app
        return self


class PageProblems:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page) -> None:
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))


def open_page(chromium, live_server):
    """A phone-sized tab of its own (its own cookies), watched for console errors."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", base_url=live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    tab = context.new_page()
    tab.problems = PageProblems()
    tab.problems.watch(tab)
    return tab


@pytest.fixture
def page(chromium, live_server):
    tab = open_page(chromium, live_server)
    yield tab
    tab.context.close()
    assert not tab.problems.errors, "\n".join(tab.problems.errors)


def log_in(page, handle: str, password: str = PASSWORD) -> None:
    """Log in through the real form, by its visible labels."""
    page.goto("/login")
    page.get_by_label("Your name here").fill(handle)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    # Wait for the page the person lands on, scripts and all, so a test never acts on the login page.
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_load_state("load")


def axe_violations(page) -> list[str]:
    """Run axe-core (served by the app, so the page's CSP allows it) at WCAG 2.2 AA."""
    assert AXE.exists(), "make installs axe-core into static/vendor"
    if not page.evaluate("() => 'axe' in window"):  # unless the context adds it to every page
        page.add_script_tag(url="/static/vendor/axe.min.js")
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}, resultTypes: ['violations']})"
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} places, e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]
