"""Delivery: VAPID keys, push subscriptions, reminders, the notification outbox, the worker."""


def init_app(app) -> None:
    """The notification views, the words of their rules, the exporter, the listeners to
    peer's signals, `flask push`, and (with PUSH_WORKER_IN_APP) the worker thread."""
    from accounts.exporting import register_exporter
    from accounts.rules import register_messages

    from . import export, outbox
    from .cli import push_cli
    from .forms import MESSAGES
    from .routes import bp

    register_messages(MESSAGES)
    register_exporter(export.NAME, export.TABLES, export.collect)
    outbox.listen()
    app.register_blueprint(bp)
    app.cli.add_command(push_cli)
    if app.config["PUSH_WORKER_IN_APP"]:
        from .sender import start_thread

        start_thread(app)
