"""`flask push worker` (runs until stopped) and `flask push run-due` (once, for cron); both
also run the periodic jobs other packages register (core/jobs.py)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from core.jobs import Runner
from extensions import db

from .sender import make_sender, run_once, work_forever

push_cli = AppGroup("push", help="Deliver notifications.")


@push_cli.command("worker")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
def worker(interval: float) -> None:
    """Send due notifications until stopped. Run as many as you like on PostgreSQL."""
    click.echo("Push worker started.")
    work_forever(current_app._get_current_object(), interval=interval)


@push_cli.command("run-due")
def run_due() -> None:
    """Send what is due now, and run the periodic jobs (core/jobs.py), once, and exit."""
    totals = run_once(db.session, make_sender(current_app))
    totals.update(Runner().run_due(db.session))
    click.echo(", ".join(f"{count} {name}" for name, count in totals.items()))
