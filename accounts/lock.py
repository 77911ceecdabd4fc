"""The PIN lock for a shared phone.

A person may choose a PIN of 4 to 6 digits (hashed like a password) and an idle time.
When the session has seen no activity of theirs for that long, every page asks for the
PIN before it shows anything. A few wrong tries end the session: then only the full
login (name and password) opens the app. The tries are counted on the account, so a new
session does not reset them; the right PIN or a full login does.

Activity is what the person does: opening pages and sending forms, and the page's own
"still here" while they type. Background polls (the unread badge, a conversation's new
messages) are marked by the page's script and do not count.
"""

from __future__ import annotations

import re
import time

from flask import current_app, jsonify, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from sqlmodel import Session

from . import passwords
from .rules import RuleError, register_messages

PIN = re.compile(r"[0-9]{4,6}")
IDLE_CHOICES = (1, 5, 15, 60)
MAX_TRIES = 5
BACKGROUND_HEADER = "X-Nara-Background"
# What a locked session may still open: the lock itself, leaving, help, and the app's shell.
OPEN_WHEN_LOCKED = {
    "accounts.lock_page", "accounts.logout", "accounts.set_language", "static", "help.crisis", "help.away",
    "shell.service_worker", "shell.manifest", "shell.offline",
}

register_messages({
    "pin_digits": _l("The PIN is 4 to 6 digits, nothing else."),
    "pin_repeat": _l("The two PINs are not the same. Type it once more."),
    "pin_easy": _l("That PIN is easy to guess. Avoid the same digit over and over, or digits in a row."),
    "pin_idle": _l("Choose one of the times in the list."),
})


def _check_new_pin(pin: str, repeat: str) -> None:
    if not PIN.fullmatch(pin or ""):
        raise RuleError("pin_digits", "pin")
    if len(set(pin)) == 1 or pin in "01234567890" or pin in "09876543210":
        raise RuleError("pin_easy", "pin")
    if pin != repeat:
        raise RuleError("pin_repeat", "repeat")


def set_pin(db: Session, user, *, pin: str, repeat: str, idle_minutes: int, password: str) -> None:
    """Turn the lock on, or change the PIN or the idle time. The password proves it is them."""
    if not passwords.verify_password(user.password_hash, password or ""):
        raise RuleError("wrong_password", "password")
    _check_new_pin(pin, repeat)
    if idle_minutes not in IDLE_CHOICES:
        raise RuleError("pin_idle", "idle_minutes")
    user.pin_hash = passwords.hash_password(pin)
    user.pin_idle_minutes = idle_minutes
    user.pin_tries = 0
    db.add(user)
    db.commit()


def remove_pin(db: Session, user) -> None:
    user.pin_hash, user.pin_tries = None, 0
    db.add(user)
    db.commit()


def try_pin(db: Session, user, pin: str) -> bool:
    """True for the right PIN (and the count of wrong tries starts again); False counts one."""
    if user.pin_hash and user.pin_tries < MAX_TRIES and passwords.verify_password(user.pin_hash, pin or ""):
        user.pin_tries = 0
        db.add(user)
        db.commit()
        return True
    user.pin_tries += 1
    db.add(user)
    db.commit()
    return False


def tries_left(user) -> int:
    return max(MAX_TRIES - user.pin_tries, 0)


def reset_tries(db: Session, user) -> None:
    """After a full login with the password."""
    if user.pin_tries:
        user.pin_tries = 0
        db.add(user)
        db.commit()


# The session's side: when it last saw the person, and whether it is locked.

def _idle_seconds(user) -> float:
    return user.pin_idle_minutes * current_app.config["PIN_MINUTE_SECONDS"]


def seen_now() -> None:
    session["seen"] = int(time.time())


def lock_now() -> None:
    session["locked"] = True


def unlock() -> None:
    session.pop("locked", None)
    seen_now()


def is_locked(user) -> bool:
    if not user.pin_hash:
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
    background = request.headers.get(BACKGROUND_HEADER) == "1"
    if not is_locked(current_user):
        # Only for a PIN, and not at every request, so the session cookie is not rewritten each time.
        if current_user.pin_hash and not background and time.time() - session.get("seen", 0) > 10:
            seen_now()
        return None
    if request.endpoint in OPEN_WHEN_LOCKED:
        return None
    if background or request.path.startswith("/diary/sync"):
        return jsonify(status="locked"), 401
    target = url_for("accounts.lock_page", next=request.full_path.rstrip("?") if request.method == "GET" else None)
    if request.headers.get("HX-Request"):
        response = current_app.response_class(status=204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def end_session_after_too_many() -> None:
    """Out of tries: this session ends, and only the full login opens the app again."""
    logout_user()
    session.pop("locked", None)
    session.pop("seen", None)
