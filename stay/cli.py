"""`flask stay tick`: move every due "Stay with me" timer on once (the push worker does the
same after each of its rounds)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from extensions import db

from . import service

stay_cli = AppGroup("stay", help="Stay with me: the server's clock.")


@stay_cli.command("tick")
def tick() -> None:
    """Move every due timer on by one step, once, and exit."""
    click.echo(f"{service.tick(db.session)} timers moved on")
