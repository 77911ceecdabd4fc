"""The PIN lock's side in the session: when it last saw the person, and whether it is locked.

Activity is what the person does: opening pages and sending forms, and the page's own
"still here" while they type. Background polls (the unread badge, a conversation's new
messages, diary entries sent from the phone) are marked by the page's script and do not
count. The page locks itself at the idle time; the server locks a little later (GRACE), so
a request sent just before the page locked is never refused, and a page without its
script is still locked.
"""

from __future__ import annotations

import time

from flask import current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user

from .permissions import open_when_locked

BACKGROUND_HEADER = "X-Nara-Background"
LOCKED_HEADER = "X-Nara-Locked"


def _idle_seconds(user) -> float:
    idle = user.pin_idle_minutes * current_app.config["PIN_MINUTE_SECONDS"]
    return idle * 1.5 + 15  # the page locks at `idle`; this is the server's backstop


def seen_now() -> None:
    session["seen"] = int(time.time())


def lock_now() -> None:
    session["locked"] = True


def unlock() -> None:
    session.pop("locked", None)
    seen_now()


def is_locked(user) -> bool:
    if not (user and user.is_authenticated and user.pin_hash):
        return False
    if session.get("locked"):
        return True
    seen = session.get("seen")
    if seen is not None and time.time() - seen > _idle_seconds(user):
        lock_now()
        return True
    return False


def enforce():
    """Before every request: a locked session sees nothing but the lock page."""
    if not (current_user and current_user.is_authenticated):
        return None
    # The live stream (live/, EventSource sends no headers of its own) is background too.
    background = request.headers.get(BACKGROUND_HEADER) == "1" or request.endpoint == "live.stream"
    if not is_locked(current_user):
        # Only for a PIN, and not at every request, so the session cookie is not rewritten each time.
        if current_user.pin_hash and not background and time.time() - session.get("seen", 0) > 10:
            seen_now()
        return None
    if open_when_locked(request.endpoint):
        return None
    target = url_for("accounts.lock_page", next=request.full_path.rstrip("?") if request.method == "GET" else None)
    if background or request.headers.get("HX-Request"):
        # The page's script goes to the lock page itself, after keeping what was being written.
        response = jsonify(status="locked")
        response.status_code = 401
        response.headers[LOCKED_HEADER] = target
        return response
    return redirect(target)
