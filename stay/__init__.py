"""Stay with me: a check-on-me timer the server runs, which tells the client's chosen people
when they do not answer."""

from datetime import timedelta


def init_app(app) -> None:
    """The views, the words of the rules, the exporter, the worker's tick (core/jobs.py:
    every round of the push worker), `flask stay`, and what other packages' pages show."""
    from accounts.exporting import register_exporter
    from accounts.rules import register_messages
    from core.jobs import register_job

    from . import export, service, web
    from .cli import stay_cli
    from .forms import MESSAGES
    from .routes import bp

    register_messages(MESSAGES)
    register_exporter(export.NAME, export.TABLES, export.collect)
    register_job("stay-tick", service.tick, timedelta(0))
    web.install(app)
    app.register_blueprint(bp)
    app.cli.add_command(stay_cli)
