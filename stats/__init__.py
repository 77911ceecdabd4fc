"""How the service is doing: weekly aggregates for the coordinator (never a person, never
a message, a note or a diary), as a page with server-drawn charts and a CSV export."""


def init_app(app) -> None:
    """The coordinator's page and its CSV export."""
    from .routes import bp

    app.register_blueprint(bp)
