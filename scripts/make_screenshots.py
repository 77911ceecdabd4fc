"""Take the install dialog's pictures of the app (static/screenshots/), from made-up demo data.

    .venv/bin/python scripts/make_screenshots.py

Run when the look of the Today page changes; the PNGs are committed. Needs Chromium
(/usr/bin/chromium) and the test tools (`make install-test`).
"""

from __future__ import annotations

import random
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from extensions import make_engine, upgrade_schema  # noqa: E402

OUT = ROOT / "static" / "screenshots"
SIZES = {"narrow": (390, 844), "wide": (1280, 800)}


def main() -> None:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    url = f"sqlite:///{tmp / 'shots.sqlite3'}"
    upgrade_schema(make_engine(url))
    app = create_app(
        {"DATABASE_URL": url, "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False},
        instance_path=str(tmp / "instance"),
    )
    with app.app_context():
        from accounts import service
        from diary.cli import fill
        from extensions import db

        user, _codes = service.sign_up(db.session, "Sol", "green kettle morning walk")
        fill(db.session, user, 60, random.Random(3))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height}, locale="en-GB", base_url=base)
            page.goto("/login")
            page.get_by_label("Your name here").fill("Sol")
            page.get_by_label("Password").fill("green kettle morning walk")
            page.get_by_role("button", name="Log in").click()
            page.goto("/today")
            page.screenshot(path=str(OUT / f"{name}.png"))
            page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
