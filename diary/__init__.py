"""Self-management: diary entries, strengths, goals, check-ins, trends, my next steps."""


def init_app(app) -> None:
    """The diary's views, the words of its rules, its exporter, the worker's job of deleting
    what a person chose not to keep, and `flask demo`."""
    from accounts.exporting import register_exporter
    from accounts.rules import register_messages
    from core.jobs import register_job

    from . import export, retention, routes, routes_entries, routes_goals, routes_next_steps  # noqa: F401  (they add their views)
    from .blueprint import bp
    from .cli import demo_cli
    from .forms import MESSAGES, STEP_MESSAGES

    register_messages(MESSAGES)
    register_messages(STEP_MESSAGES)
    register_exporter(export.NAME, export.TABLES, export.collect)
    register_job("diary-retention", retention.run, retention.EVERY)
    app.register_blueprint(bp)
    app.cli.add_command(demo_cli)
