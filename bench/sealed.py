"""Server time of the pages that open a person's sealed rows, as figures (never asserted).

    .venv/bin/python bench/sealed.py [--requests 60]

A client with a year of data (`flask demo seed`'s generator), on SQLite, through the WSGI
app with no network: the diary list, a search, the strength filter, the month view,
trends over 90 days, a goal page, Today, and the export. Written so that it also runs on
the release before sealing (copy it there), for a before/after on the same machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from extensions import make_engine, upgrade_schema  # noqa: E402

PASSWORD = "green kettle morning walk"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    upgrade_schema(make_engine(url))
    app = create_app(
        {"DATABASE_URL": url, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False},
        instance_path=str(tmp / "instance"),
    )
    with app.app_context():
        from sqlalchemy import select

        from accounts import service
        from diary.cli import fill
        from diary.models import EntryStrength, Goal
        from extensions import db

        service.sign_up(db.session, "bench", PASSWORD)
        if hasattr(service, "log_in"):  # since sealing: a command opens the keys it writes with
            service.log_in(db.session, "bench", PASSWORD)
        user = service.find_by_handle(db.session, "bench")
        fill(db.session, user, 365, random.Random(7))
        goal_id = db.session.execute(select(Goal.id).where(Goal.user_id == user.id).order_by(Goal.id)).first()[0]
        strength_id = db.session.execute(select(EntryStrength.id).where(EntryStrength.user_id == user.id)).first()[0]
    client = app.test_client()
    client.post("/login", data={"handle": "bench", "password": PASSWORD})
    client.get("/today")
    pages = [
        ("diary list", "GET", "/diary", None),
        ("diary search", "POST", "/diary", {"q": "walk"}),
        ("strength filter", "GET", f"/diary?strength={strength_id}", None),
        ("month view", "GET", "/diary/month", None),
        ("trends 90 days", "GET", "/trends?days=90", None),
        ("goal page", "GET", f"/goals/{goal_id}", None),
        ("today", "GET", "/today", None),
        ("export", "GET", "/settings/export", None),
    ]
    # Wall time, and the CPU time of this thread (steadier on a shared machine: it leaves out
    # the time the process waited for a core).
    print(f"{'page':<18}{'status':>7}{'median ms':>11}{'p95 ms':>8}{'cpu ms':>8}")
    for name, method, path, data in pages:
        times, cpu, status = [], [], None
        for _ in range(args.requests):
            start, start_cpu = time.perf_counter(), time.thread_time()
            answer = client.open(path, method=method, data=data)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            status = answer.status_code
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"{name:<18}{status:>7}{statistics.median(times):>11.2f}{p95:>8.2f}{statistics.median(cpu):>8.2f}")


if __name__ == "__main__":
    main()
