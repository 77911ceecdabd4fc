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


privacy_cli = AppGroup("privacy", help="What is sealed, counted (never read).")


@privacy_cli.command("status")
def privacy_status() -> None:
    """Count, per table, the rows that still hold a value from before sealing (they are
    sealed at their owner's next login), and the accounts without keys yet."""
    from sqlalchemy import func
    from sqlmodel import select

    from .models import User, UserKey
    from .unsealed import unsealed_counts

    counts = unsealed_counts(db.session)
    width = max(len(name) for name in counts)
    for table, count in sorted(counts.items()):
        click.echo(f"{table.ljust(width)}  {count} row(s) not sealed yet")
    without = db.session.exec(
        select(func.count()).select_from(User).where(User.id.not_in(select(UserKey.user_id)))
    ).one()
    click.echo(f"{'accounts'.ljust(width)}  {without} without keys yet (sealed at their next login)")
    click.echo("All sealed." if not any(counts.values()) and not without else "Waiting for logins.")
