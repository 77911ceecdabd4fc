"""Identity: users, roles, sign-up, login, recovery codes, settings, export, deletion, permissions."""


def init_app(app) -> None:
    """The shell every page shares (accounts.web), the accounts views, the words of its
    rules, its exporter and the `flask users` commands."""
    from . import export, passwords, routes, routes_lock, service, web  # noqa: F401  (the route modules add their views)
    from .blueprint import bp
    from .cli import privacy_cli, users_cli
    from .exporting import register_exporter
    from .forms import MESSAGES
    from .lock import MESSAGES as PIN_MESSAGES
    from .rules import register_messages

    passwords.configure(
        app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"], app.config["ARGON2_PARALLELISM"]
    )
    web.init_app(app)
    register_messages(MESSAGES)
    register_messages(PIN_MESSAGES)
    register_exporter("accounts", export.EXPORT_TABLES, export.export_account)
    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
    app.cli.add_command(privacy_cli)
