"""The meeting reminders' periodic job (meetings/reminders.py), as figures (never asserted).

    .venv/bin/python bench/meetings.py [--meetings 20000] [--due 1000] [--rounds 5] [--postgres URL]

The job runs every minute on every worker, so what matters most is a round with nothing
due over many reminders still to come. Rows are written straight into the tables: clients,
an appointment each, a meeting each (nothing sealed is needed: the job never reads it) and
four reminders per meeting in the coming months. Then `--due` of them are made due and one
round sends them (no push listener is connected, so this is the job's own cost).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text, update  # noqa: E402
from sqlmodel import Session  # noqa: E402

from accounts.models import User  # noqa: E402
from bench._databases import each_database  # noqa: E402
from bench.stats import _user  # noqa: E402
from diary.models import NextStep  # noqa: E402
from extensions import utcnow  # noqa: E402
from meetings import reminders  # noqa: E402
from meetings.models import Meeting, MeetingReminder  # noqa: E402


def seed(engine, meetings: int) -> None:
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(insert(User), [_user(n, "client", now) for n in range(1, meetings + 1)])
        conn.execute(
            insert(NextStep),
            [
                {"id": n, "user_id": n, "when_local": "2031-03-03T10:00", "created_at": now}
                for n in range(1, meetings + 1)
            ],
        )
        conn.execute(
            insert(Meeting),
            [
                {
                    "id": n,
                    "user_id": n,
                    "step_id": n,
                    "remind": True,
                    "remind_deadline": True,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(1, meetings + 1)
            ],
        )
        conn.execute(
            insert(MeetingReminder),
            [
                {"meeting_id": n, "user_id": n, "fire_at": now + timedelta(days=1 + (n * 7 + k * 13) % 120)}
                for n in range(1, meetings + 1)
                for k in range(4)
            ],
        )
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))


def idle_round(engine, rounds: int) -> float:
    times = []
    with Session(engine) as session:
        for _ in range(rounds):
            start = time.perf_counter()
            assert reminders.send_due(session, utcnow()) == 0
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def sending_round(engine, due: int) -> float:
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            update(MeetingReminder).where(MeetingReminder.id <= due).values(fire_at=now - timedelta(minutes=1))
        )
    with Session(engine) as session:
        start = time.perf_counter()
        sent = 0
        while True:  # a round takes up to 500; the next minute's round takes the rest
            done = reminders.send_due(session, now)
            sent += done
            if not done:
                break
        elapsed = (time.perf_counter() - start) * 1000
    assert sent == due, sent
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=20_000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    for label, engine in each_database(args.postgres):
        seed(engine, args.meetings)
        idle = idle_round(engine, args.rounds)
        sending = sending_round(engine, args.due)
        print(
            f"{label}: {args.meetings * 4} reminders to come: a round with none due {idle:.1f} ms "
            f"(median of {args.rounds}); {args.due} due sent in {sending:.0f} ms "
            f"({sending / args.due:.2f} ms each)"
        )


if __name__ == "__main__":
    main()
