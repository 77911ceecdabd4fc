"""The PIN lock for a shared phone: its rules (the session's side is accounts/lock_session.py).

A person may choose a PIN of 4 to 6 digits (hashed like a password) and an idle time.
When the session has seen no activity of theirs for that long, every page asks for the
PIN before it shows anything. A few wrong tries end the session: then only the full
login (name and password) opens the app. The tries are counted on the account, so a new
session does not reset them; the right PIN or a full login does.

"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session

from . import passwords
from .models import User
from .rules import RuleError

PIN = re.compile(r"[0-9]{4,6}")
IDLE_CHOICES = (1, 5, 15, 60)
MAX_TRIES = 5

MESSAGES = {
    "pin_digits": _l("The PIN is 4 to 6 digits, nothing else."),
    "pin_repeat": _l("The two PINs are not the same. Type it once more."),
    "pin_easy": _l("That PIN is easy to guess. Avoid the same digit over and over, or digits in a row."),
    "pin_idle": _l("Choose one of the times in the list."),
}


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


def remove_pin(db: Session, user, password: str) -> None:
    """Turn the lock off; like turning it on, only with the password."""
    if not passwords.verify_password(user.password_hash, password or ""):
        raise RuleError("wrong_password", "password")
    user.pin_hash, user.pin_tries = None, 0
    db.add(user)
    db.commit()


def try_pin(db: Session, user, pin: str) -> bool:
    """True for the right PIN (and the count of wrong tries starts again).

    Every try is counted in the database before the PIN is looked at, in one UPDATE, so tries
    sent side by side each count and no more than MAX_TRIES are ever checked."""
    db.exec(update(User).where(User.id == user.id).values(pin_tries=User.pin_tries + 1))
    db.commit()
    db.refresh(user)
    if not user.pin_hash or user.pin_tries > MAX_TRIES or not passwords.verify_password(user.pin_hash, pin or ""):
        return False
    user.pin_tries = 0
    db.add(user)
    db.commit()
    return True


def tries_left(user) -> int:
    return max(MAX_TRIES - user.pin_tries, 0)


def reset_tries(db: Session, user) -> None:
    """After a full login with the password."""
    if user.pin_tries:
        user.pin_tries = 0
        db.add(user)
        db.commit()
