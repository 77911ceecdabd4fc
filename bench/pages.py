"""Page weight and server time of each page, as figures (never asserted in tests).

    .venv/bin/python bench/pages.py [--requests 200]

The client pages are measured for a client with a year of data (`flask demo seed`'s
generator: about 190 entries, 290 daily and 660 goal check-ins).

Weight: the HTML and every CSS/JS file the page links, gzip-compressed (level 6), against
the budgets in ../shared/DESIGN.md (50 KB first load, HTML under 14 KB). Server time: the
median and 95th percentile over N requests through the WSGI app on SQLite, no network.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from extensions import make_engine, upgrade_schema  # noqa: E402

PAGES = {
    "anonymous": ["/", "/signup", "/login", "/recover", "/help"],
    "client": [
        "/today",
        "/diary",
        "/diary?q=walk",
        "/diary/month",
        "/strengths",
        "/goals",
        "/goals/1",
        "/trends",
        "/trends?days=90",
        "/settings",
    ],
}
ASSET_RE = re.compile(r'<(?:script[^>]+src|link[^>]+rel="stylesheet"[^>]+href)="([^"]+)"')


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    upgrade_schema(make_engine(url))
    app = create_app(
        {"DATABASE_URL": url, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False},
        instance_path=str(tmp / "instance"),
    )
    client = app.test_client()
    client.post("/signup", data={"handle": "bench", "password": "green kettle morning walk"})
    with app.app_context():
        from accounts import service
        from diary.cli import fill
        from extensions import db

        service.log_in(db.session, "bench", "green kettle morning walk")  # the command opens the keys it writes with
        fill(db.session, service.find_by_handle(db.session, "bench"), 365, random.Random(7))
    anonymous = app.test_client()

    print(f"{'page':<30}{'html gz':>9}{'total gz':>10}{'median ms':>11}{'p95 ms':>8}")
    for role, urls in PAGES.items():
        who = client if role == "client" else anonymous
        for path in urls:
            html = who.get(path).get_data()
            assets = ASSET_RE.findall(html.decode())
            total = gz(html) + sum(gz(who.get(asset).get_data()) for asset in assets)
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                who.get(path)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{role + ' ' + path:<30}{gz(html):>9}{total:>10}{statistics.median(times):>11.2f}{p95:>8.2f}")


if __name__ == "__main__":
    main()
