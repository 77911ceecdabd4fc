"""Help: the crisis page and the help directory."""


def init_app(app) -> None:
    """The help views and the words of their rules."""
    from accounts.rules import register_messages

    from .forms import MESSAGES
    from .routes import bp

    register_messages(MESSAGES)
    app.register_blueprint(bp)
