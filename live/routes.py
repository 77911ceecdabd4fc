"""GET /live: the signed-in person's own event stream (text/event-stream).

It holds one connection per open page; the request's database session is closed before the
stream starts, so a held stream holds no database connection. A stream ends after
LIVE_STREAM_SECONDS and the browser opens the next one (it refreshes once then, so nothing
is missed), which also asks the PIN lock and the login again."""

from __future__ import annotations

import time
from functools import wraps

from flask import Blueprint, Response, current_app
from flask_login import current_user

from accounts.permissions import CLIENT, PEER, RELATIVE, roles_required
from extensions import no_store

bp = Blueprint("live", __name__)

ROLES = (CLIENT, PEER, RELATIVE)  # the people with conversations and an unread badge


def _stream_only(view):
    """A stream is not a page: anonymous gets 401 (EventSource stops), not the login page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return no_store(Response(status=401))
        return view(*args, **kwargs)

    return wrapped


def events(bus, user_id: int, heartbeat: float, lifetime: float, retry_ms: int):
    """The stream's body: a retry hint, then events and heartbeat comments, as bytes."""
    sub = bus.subscribe(user_id)
    try:
        yield f"retry: {retry_ms}\n: open\n\n".encode()
        end = time.monotonic() + lifetime
        while (left := end - time.monotonic()) > 0:
            event = sub.get(timeout=min(heartbeat, left))
            if event is None:
                yield b": \n\n"  # a heartbeat keeps proxies from closing a quiet stream
                continue
            contact = "" if event.contact_id is None else event.contact_id
            yield f'data: {{"c":"{contact}","k":"{event.kind}"}}\n\n'.encode()
    finally:
        sub.close()


@bp.get("/live")
@_stream_only
@roles_required(*ROLES)
def stream():
    config = current_app.config
    body = events(
        current_app.extensions["live"],
        current_user.id,
        float(config["LIVE_HEARTBEAT_SECONDS"]),
        float(config["LIVE_STREAM_SECONDS"]),
        int(config["LIVE_RETRY_MS"]),
    )
    # The request's database session closes with the app context, before the body runs:
    # a held stream holds no database connection.
    response = no_store(Response(body, mimetype="text/event-stream"))
    response.headers["X-Accel-Buffering"] = "no"  # nginx passes each event at once
    # Passed to the server as it is: never buffered or compressed by core/web.py.
    response.direct_passthrough = True
    return response
