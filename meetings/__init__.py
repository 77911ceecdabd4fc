"""Meetings with the authorities: a client prepares a meeting from an appointment in "my
next steps", may ask a peer supporter to come along as a bisidder, sees their rights at
that kind of meeting, and after it keeps what was decided and the appeal deadline."""


def init_app(app) -> None:
    """The views, the words of the rules, the exporter, the reminder job and the listeners."""
    from accounts.exporting import register_exporter
    from accounts.rules import register_messages
    from core.jobs import register_job

    from . import export, listeners, reminders, routes, routes_along  # noqa: F401  (they add their views)
    from .blueprint import bp
    from .forms import MESSAGES

    register_messages(MESSAGES)
    register_exporter(export.NAME, export.TABLES, export.collect)
    register_job("meeting-reminders", reminders.send_due, reminders.EVERY)
    listeners.listen()
    app.register_blueprint(bp)
