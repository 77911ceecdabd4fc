"""Screenshots of the main pages of every role, as a phone shows them: 390×844, in Swedish, in the
light and the dark colour scheme, into docs/screens/out/ (not committed).

    .venv/bin/python docs/screens/take.py            # every role
    .venv/bin/python docs/screens/take.py client     # one role (or several)

The people are made through the services, as the tests make them (tests/test_access.py's
build_people: one of each role, linked to each other), and the client also gets two months of demo
diary (`flask demo seed`'s fill). An app of its own on SQLite in a temporary folder; Chromium at
/usr/bin/chromium (or $CHROMIUM). The main pages are each role's bottom bar, plus Get help.
"""

from __future__ import annotations

import logging
import random
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from extensions import make_engine, upgrade_schema  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
VIEWPORT = {"width": 390, "height": 844}
ROLES = ("anonymous", "client", "peer_waiting", "peer", "relative", "coordinator")
ANONYMOUS_PAGES = ("/", "/login", "/signup")


def make_app(folder: Path):
    from tests.conftest import FAST_ARGON2

    url = f"sqlite:///{folder / 'screens.sqlite3'}"
    upgrade_schema(make_engine(url))
    return create_app(
        {"DATABASE_URL": url, "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False, **FAST_ARGON2},
        instance_path=str(folder / "instance"),
    )


def make_people(app) -> None:
    from accounts.models import User
    from diary.cli import fill
    from extensions import db
    from tests.test_access import build_people

    ids = build_people(app)
    with app.app_context():
        fill(db.session, db.session.get(User, ids["client"]), 60, random.Random(3))
        db.session.commit()


def main_pages(app, role: str) -> list[tuple[str, str]]:
    """(name, path) of the role's bottom bar, and help."""
    from accounts.models import User
    from accounts.permissions import navigation
    from extensions import db
    from tests.test_access import HANDLES

    if role == "anonymous":
        pages = [(path.strip("/") or "start", path) for path in ANONYMOUS_PAGES]
    else:
        with app.test_request_context():
            from flask import url_for
            from sqlmodel import select

            user = db.session.exec(select(User).where(User.handle == HANDLES[role])).one()
            pages = [(target.split(".")[-1], url_for(target)) for target, _words in navigation(user)]
    return pages + [("help", "/help")]


def log_in(page, role: str) -> None:
    from tests.browser.conftest import log_in as log_in_as
    from tests.test_access import HANDLES

    if role != "anonymous":
        log_in_as(page, HANDLES[role])


def take(browser, base: str, app, role: str) -> list[Path]:
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB", base_url=base, device_scale_factor=1)
    page = context.new_page()
    taken = []
    try:
        log_in(page, role)  # in English (the login form's labels), then Swedish
        page.goto("/help")
        page.get_by_role("button", name="Svenska", exact=True).click()  # as a person would
        page.wait_for_function("() => document.documentElement.lang === 'sv'")
        for name, path in main_pages(app, role):
            page.goto(path)
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                target = OUT / f"{role}-{name}-{scheme}.png"
                page.screenshot(path=str(target))
                taken.append(target)
    finally:
        context.close()
    return taken


def main(roles: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import ARGS, CHROMIUM

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    folder = Path(tempfile.mkdtemp(prefix="nara-screens-"))
    app = make_app(folder)
    make_people(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    taken = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for role in roles:
                taken += take(browser, base, app, role)
            browser.close()
    finally:
        server.shutdown()
    print(f"{len(taken)} screenshots in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    chosen = sys.argv[1:] or list(ROLES)
    unknown = set(chosen) - set(ROLES)
    if unknown:
        sys.exit(f"unknown role(s) {', '.join(sorted(unknown))}; choose from {', '.join(ROLES)}")
    main(chosen)
