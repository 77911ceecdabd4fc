"""`flask users ...`: the commands that make coordinators and approve peer supporters."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from extensions import db

from . import service
from .rules import message_for
from .service import AccountError

users_cli = AppGroup("users", help="Manage accounts that need a person with server access.")


def _fail(error: AccountError) -> None:
    raise click.ClickException(str(message_for(error.code)))


@users_cli.command("create-coordinator")
@click.argument("handle")
@click.password_option(help="The coordinator's password (asked for when not given).")
def create_coordinator(handle: str, password: str) -> None:
    """Create a coordinator account and print its recovery codes once."""
    try:
        user, codes = service.create_coordinator(db.session, handle, password)
    except AccountError as error:
        _fail(error)
    click.echo(f"Coordinator {user.handle} created. Recovery codes (shown once):")
    for code in codes:
        click.echo(f"  {code}")


@users_cli.command("approve-peer")
@click.argument("handle")
def approve_peer(handle: str) -> None:
    """Approve a peer supporter, so that clients can find them."""
    try:
        user = service.approve_peer(db.session, handle)
    except AccountError as error:
        _fail(error)
    click.echo(f"{user.handle} is approved as a peer supporter.")
