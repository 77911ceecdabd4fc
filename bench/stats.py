"""Time to compute the service's weekly figures (stats/service.py), as figures (never asserted).

    .venv/bin/python bench/stats.py [--messages 50000] [--contacts 1000] [--rounds 5] [--postgres URL]

Rows are written straight into the tables (ids and times only; no bodies, as the figures
never read them): clients, peer supporters with a caseload, peer contacts, messages spread
over the last 16 weeks with a reply after a random delay, support alerts with deliveries.
Prints the median time of `service.figures` on SQLite, and on PostgreSQL when a server URL
is given (a throw-away database is made there and dropped).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from accounts.models import User  # noqa: E402
from bench._databases import each_database  # noqa: E402
from extensions import utcnow  # noqa: E402
from peer.models import AlertDelivery, Contact, Message, PeerProfile, SupportAlert  # noqa: E402
from stats import service  # noqa: E402

ZONE = ZoneInfo("Europe/Stockholm")


def _user(n: int, role: str, created) -> dict:
    return {
        "id": n,
        "handle": f"b{n}",
        "handle_key": f"b{n}",
        "password_hash": "x",
        "role": role,
        "session_token": f"t{n}",
        "created_at": created,
        "password_changed_at": created,
        "time_zone": "Europe/Stockholm",
        "pin_idle_minutes": 5,
        "pin_tries": 0,
        "peer_approved_at": created if role == "peer" else None,
    }


def seed(engine, messages: int, contacts: int, rng: random.Random) -> None:
    now = utcnow()
    span = timedelta(weeks=16).total_seconds()
    peers = max(contacts // 20, 1)
    users = [_user(n, "peer", now - timedelta(days=400)) for n in range(1, peers + 1)]
    users += [_user(peers + n, "client", now - timedelta(seconds=rng.uniform(0, span))) for n in range(1, contacts + 1)]
    profiles = [
        {
            "user_id": n,
            "display_name": "x",
            "caseload": 20,
            "taking_new": True,
            "available": True,
            "paused": False,
            "stay_on_duty": False,
            "updated_at": now,
        }
        for n in range(1, peers + 1)
    ]
    links = [
        {
            "id": c,
            "client_id": peers + c,
            "other_id": rng.randint(1, peers),
            "kind": "peer",
            "status": "active",
            "alerts": True,
            "share_checkin": False,
            "share_plan": False,
            "messaging": True,
            "created_at": now - timedelta(days=120),
        }
        for c in range(1, contacts + 1)
    ]
    rows = []
    while len(rows) < messages:
        c = rng.randint(1, contacts)
        at = now - timedelta(seconds=rng.uniform(0, span))
        rows.append({"contact_id": c, "sender_id": peers + c, "sent_at": at})
        if rng.random() < 0.85:  # most messages are answered, some late
            rows.append(
                {
                    "contact_id": c,
                    "sender_id": links[c - 1]["other_id"],
                    "sent_at": at + timedelta(hours=rng.expovariate(1 / 6)),
                }
            )
    alerts = [
        {
            "id": a,
            "client_id": peers + rng.randint(1, contacts),
            "raised_at": now - timedelta(seconds=rng.uniform(0, span)),
        }
        for a in range(1, contacts // 10 + 1)
    ]
    deliveries = [
        {
            "alert_id": a["id"],
            "contact_id": a["client_id"] - peers,
            "user_id": links[a["client_id"] - peers - 1]["other_id"],
            "seen_at": a["raised_at"] + timedelta(minutes=rng.expovariate(1 / 20)),
        }
        for a in alerts
    ]
    with engine.begin() as conn:
        for table, values in (
            (User.__table__, users),
            (PeerProfile.__table__, profiles),
            (Contact.__table__, links),
            (Message.__table__, rows[:messages]),
            (SupportAlert.__table__, alerts),
            (AlertDelivery.__table__, deliveries),
        ):
            conn.execute(table.insert(), values)
        if engine.dialect.name == "postgresql":
            for table in ("user", "contact", "support_alert"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"))"
                    )
                )
            conn.execute(text("ANALYZE"))


def measure(engine, rounds: int) -> float:
    times = []
    with Session(engine) as session:
        for _ in range(rounds):
            start = time.perf_counter()
            figures = service.figures(session, utcnow(), ZONE)
            times.append(time.perf_counter() - start)
    assert len(figures.weeks) == service.WEEKS
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    for label, engine in each_database(args.postgres):
        seed(engine, args.messages, args.contacts, random.Random(7))
        print(
            f"{label}: {args.messages} messages, {args.contacts} contacts: {measure(engine, args.rounds):.0f} ms (median of {args.rounds})"
        )


if __name__ == "__main__":
    main()
