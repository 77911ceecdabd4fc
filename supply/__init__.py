"""Drug-supply warnings: a coordinator publishes one for a country or a region; the clients
who chose that area see it on Today and the crisis page and get a neutral push."""


def init_app(app) -> None:
    """The warning views, the words of their rules, the exporter of a client's choice, and the
    template global that puts the reader's active warnings on Today and the crisis page."""
    from accounts.exporting import register_exporter
    from accounts.rules import register_messages

    from . import export
    from .forms import MESSAGES
    from .routes import bp, warnings_for_reader

    register_messages(MESSAGES)
    register_exporter(export.NAME, export.TABLES, export.collect)
    app.add_template_global(warnings_for_reader, "supply_warnings")
    app.register_blueprint(bp)
