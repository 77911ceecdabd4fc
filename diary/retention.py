""" "Keep my diary for": a person who chose a year or three months has their older diary
entries and daily check-ins deleted for good, by the worker (a periodic job, core/jobs.py).

The deletion works by owner and date alone, in plain DELETE statements: no row is loaded
or opened (their contents are sealed by the person's own key, which the worker never has).
What belongs to an entry (its answers, strengths, and shares with contacts) goes with it
through ON DELETE CASCADE, on SQLite (foreign_keys=ON on every connection) and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlmodel import Session

from accounts.models import User

from .models import DailyCheckIn, DiaryEntry

BATCH = 500  # rows per DELETE, each committed on its own, so no lock is held for long
EVERY = timedelta(hours=1)


def _delete_in_batches(session: Session, model, older_than, owners, batch: int) -> int:
    table = model.__table__
    count = 0
    while True:
        ids = select(table.c.id).where(table.c.user_id.in_(owners), table.c.day < older_than).limit(batch)
        result = session.execute(delete(table).where(table.c.id.in_(ids)).execution_options(synchronize_session=False))
        session.commit()
        count += result.rowcount
        if result.rowcount < batch:
            return count


def delete_older_than(session: Session, now: datetime, batch: int = BATCH) -> int:
    """Delete every diary entry and daily check-in older than its owner chose to keep them:
    those of a day before today (UTC) minus the chosen number of days. Returns how many
    entries and check-ins went (their dependent rows not counted)."""
    choices = session.execute(
        select(User.keep_diary_days).where(User.keep_diary_days.is_not(None)).distinct()
    ).scalars()
    count = 0
    for days in list(choices):
        older_than = now.date() - timedelta(days=days)
        owners = select(User.id).where(User.keep_diary_days == days)
        for model in (DiaryEntry, DailyCheckIn):
            count += _delete_in_batches(session, model, older_than, owners, batch)
    return count


def run(session: Session, now: datetime) -> int:
    """The periodic job."""
    return delete_older_than(session, now)
