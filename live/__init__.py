"""Messages the moment they are sent: a stream of "something changed for you" events.

After a message is committed (and after messages are marked seen), peer/ sends a signal;
this package publishes an event on the bus (live/bus.py) that says only which person and
which contact: never words. GET /live (live/routes.py) is the signed-in person's own
server-sent event stream; the page (static/js/live.js) then asks for the conversation or
the unread badge at once with the ordinary poll request, and polls only slowly while the
stream is down. See docs/architecture.md, "Live updates"."""

from __future__ import annotations

from flask import current_app

from .bus import Event, Local, make_bus


def bus() -> Local:
    return current_app.extensions["live"]


def publish(user_id: int | None, contact_id: int | None, kind: str) -> None:
    """Tell person `user_id`'s open streams that something changed; never fails the caller."""
    if user_id is None:
        return
    try:
        bus().publish(Event(int(user_id), None if contact_id is None else int(contact_id), kind))
    except Exception as error:  # the page still polls slowly: a lost event is only a delay
        current_app.logger.warning("live: an event was not published (%s)", type(error).__name__)


def _on_message(sender, contact_id: int, recipient_id: int | None = None, **_):
    publish(recipient_id, contact_id, "m")


def _on_read(sender, contact_id: int, recipient_id: int | None = None, **_):
    publish(recipient_id, contact_id, "r")


_listening = False


def _listen() -> None:
    global _listening
    if _listening:
        return
    from peer import signals

    signals.message_created.connect(_on_message, weak=False)
    signals.messages_read.connect(_on_read, weak=False)
    _listening = True


def init_app(app) -> None:
    from . import routes

    app.extensions["live"] = make_bus(app.config, lambda: app.extensions["nara_db"].engine)
    _listen()
    app.register_blueprint(routes.bp)
