"""create_app(): configuration, extensions, blueprints and commands; nothing else."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

import config
from extensions import IdConverter, csrf, db, htmx, limiter, login_manager, register_macros, upgrade_schema

mimetypes.add_type("application/manifest+json", ".webmanifest")


def create_app(overrides: dict | None = None, instance_path: str | None = None) -> Flask:
    instance = instance_path or os.environ.get("NARA_INSTANCE") or str(Path(__file__).resolve().parent / "instance")
    app = Flask(__name__, instance_path=instance, instance_relative_config=True)
    app.config.update(config.load(Path(app.instance_path), overrides))
    if not (app.debug or app.testing):
        problem = config.shared_limits_problem(
            app.config["RATELIMIT_STORAGE_URI"], app.config["RATELIMIT_ENABLED"], config.known_workers()
        )
        if problem:
            app.logger.warning(problem)
    app.url_map.converters["id"] = IdConverter
    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    import accounts
    import core
    import diary
    import help as help_package  # (not the built-in help)
    import live
    import meetings
    import peer
    import push
    import shell
    import stats
    import stay
    import supply

    core.init_app(app)  # the shell of every request, before any package's views
    # accounts first: identity
    for package in (accounts, diary, peer, push, help_package, supply, shell, live, stay, stats, meetings):
        package.init_app(app)
    register_macros(app)  # after Flask-Babel (accounts.web), whose gettext the macros use

    app.cli.add_command(db_cli)
    app.cli.add_command(instance_cli)
    return app


db_cli = AppGroup("db", help="The database schema (made only by Alembic migrations).")
instance_cli = AppGroup("instance", help="The instance folder with the generated secrets.")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration that has not run yet."""
    upgrade_schema(db.engine)
    click.echo("The database schema is up to date.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    from alembic import command

    from extensions import alembic_config

    command.revision(alembic_config(db.engine), message=message, autogenerate=True)


@instance_cli.command("init")
def instance_init() -> None:
    """Make sure the secret key and the VAPID key pair exist (create_app does it too)."""
    from flask import current_app

    click.echo(f"Instance folder ready: {current_app.instance_path}")
