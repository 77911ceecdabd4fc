"""People: contacts with peer supporters and relatives, invitations, messages, sharing."""


def init_app(app) -> None:
    """The people views, the words of their rules and the people exporter."""
    from accounts.exporting import register_exporter
    from accounts.rules import register_messages
    from core.jobs import register_job

    from . import (  # noqa: F401  (they add their views)
        copies,
        debrief,
        export,
        handover,
        handover_shown,
        links,
        notes_private,
        release,
        report_keys,
        routes,
        routes_conversations,
        routes_debrief,
        routes_handover,
        routes_moderation,
        routes_relatives,
        routes_release,
        routes_supporters,
        web,
    )
    from .blueprint import bp
    from .forms import MESSAGES, MORE_MESSAGES

    register_messages(MESSAGES)
    register_messages(MORE_MESSAGES)
    register_messages(notes_private.MESSAGES)
    register_exporter(export.NAME, export.TABLES, export.collect)
    register_messages(routes_release.MESSAGES)
    register_exporter("release_plans", ("release_plan",), release.export)
    register_messages(handover.MESSAGES)
    register_exporter("handovers", ("handover",), handover_shown.export)
    register_exporter("peer_notes", ("peer_note",), notes_private.export)
    register_job("release-checkins", release.send_due, release.EVERY)
    register_messages(debrief.MESSAGES)
    register_exporter(debrief.NAME, debrief.TABLES, debrief.export)
    copies.listen()
    app.register_blueprint(bp)
    web.install(app)
    from . import fast_poll

    fast_poll.install(app)  # the polls' "nothing new" before Flask
