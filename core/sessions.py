"""Starting and ending a signed-in session: the one way every package does it (login,
sign-up, joining by invitation, logging out, Quick exit)."""

from __future__ import annotations

from flask import current_app, g, session
from flask_babel import get_locale
from flask_login import current_user, login_user, logout_user

from accounts import keys, lock, lock_session, service
from accounts.sealing import current_keyring
from accounts.web import remember_device
from extensions import db


def clear_session() -> None:
    """Forget everything in the session but the chosen language. The CSRF token went with it:
    a page rendered in this same request (the recovery codes after sign-up) gets a new one,
    not the one Flask-WTF kept for the request, which the session no longer knows."""
    locale = session.get("locale")
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    if locale:
        session["locale"] = locale


def start_session(user) -> None:
    """A fresh session at every login (and sign-up, and joining by invitation): nothing
    from before it is carried over. An account that never chose a language keeps the one
    its pages are in now, so its notifications speak it too."""
    if not user.locale:
        service.set_locale(db.session, user, str(get_locale()))
    data_key = current_keyring().data_key(user.id)
    if data_key is None:
        raise RuntimeError("a session starts only once the person's keys are open")
    clear_session()
    # The cookie carries the key to this session's copy of the data key; the database holds
    # only that copy, sealed. Neither opens anything without the other.
    session["vault"] = keys.start_session_key(db.session, user.id, data_key)
    db.session.commit()
    login_user(user)
    session.permanent = True
    lock.reset_tries(db.session, user)
    lock_session.seen_now()
    remember_device(user)


def end_session() -> None:
    """Log this session out (other devices stay logged in); its copy of the key goes."""
    keys.end_session_key(db.session, session.get("vault"))
    db.session.commit()
    logout_user()
    clear_session()


def leave_quickly(lock_it: bool) -> None:
    """Quick exit: lock the session when the person has a PIN and chose locking, else log
    this session out. Either way no page opens without them."""
    if lock_it and current_user.pin_hash:
        lock_session.lock_now()
    else:
        end_session()
