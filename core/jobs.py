"""Periodic jobs: work a package wants done now and then on the server, run by the worker
(`flask push worker`, or its thread in the app) after each of its rounds, and once by
`flask push run-due`. The worker never imports the package: the package registers its
job here in its init_app, the way exporters are registered with accounts.

A job takes a database session and the time, and returns how many things it did. It
commits its own work. When it breaks, its transaction is rolled back, the error logged,
and the other jobs (and the push rounds) go on; it runs again after its period."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlmodel import Session

from extensions import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[Session, datetime], int]
    every: timedelta


_JOBS: dict[str, Job] = {}


def register_job(name: str, run: Callable[[Session, datetime], int], every: timedelta) -> None:
    _JOBS[name] = Job(name, run, every)


def registered() -> list[Job]:
    return list(_JOBS.values())


class Runner:
    """Runs each registered job when its period has passed since this runner last ran it.
    Each worker has its own runner: several workers may each run a job, so a job must be
    safe to run twice at once (a DELETE by date is)."""

    def __init__(self) -> None:
        self._last: dict[str, datetime] = {}

    def run_due(self, session: Session, now: datetime | None = None) -> dict[str, int]:
        now = now or utcnow()
        done: dict[str, int] = {}
        for job in registered():
            last = self._last.get(job.name)
            if last is not None and now - last < job.every:
                continue
            self._last[job.name] = now
            try:
                done[job.name] = job.run(session, now)
            except Exception:  # one job that breaks must not stop the others or the worker
                session.rollback()
                log.exception("periodic job %s broke off", job.name)
        return done
