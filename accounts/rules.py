"""How a rule says no, for every package: services raise RuleError(code, field); views run
them through attempt(), which undoes the transaction and shows the reason, in the
person's language, next to the field it concerns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from flask_babel import lazy_gettext as _l

from extensions import db

_MESSAGES: dict[str, Any] = {"unknown": _l("That is not possible here.")}


def clean_text(value):
    """Text as every rule sees it: without NUL or other control characters (PostgreSQL
    refuses NUL, and invisible characters must not make two names of one). Newlines and
    tabs stay. A list (of a field with several values) is cleaned item by item; anything
    else that is not text is returned as it is."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\n\t" or (ch >= " " and ch != "\x7f"))
    if isinstance(value, (list, tuple)):
        return type(value)(clean_text(item) for item in value)
    return value


# The dates anyone may give: wide enough for any real appointment, birth or plan, narrow
# enough that every date sorts, formats and converts between time zones without overflow.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2200, 12, 31)


def sane_date(value: date | datetime | None) -> bool:
    """Whether a date (or the day of a date and time) is between 1900 and 2200."""
    if value is None:
        return True
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


class RuleError(Exception):
    """A rule said no. `code` names the reason; `field` the form field it concerns."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.field = field


def register_messages(messages: dict[str, Any]) -> None:
    """A package adds the words for its reasons (lazy translations)."""
    _MESSAGES.update(messages)


def message_for(code: str):
    return _MESSAGES.get(code, _MESSAGES["unknown"])


def apply_error(form, error: RuleError) -> None:
    field = getattr(form, error.field or "", None)
    message = message_for(error.code)
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [message]
    else:
        form.form_errors.append(message)


def attempt(form, action: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a service call. Returns (True, result), or (False, None) after a rule said no."""
    try:
        return True, action()
    except RuleError as error:
        db.session.rollback()
        apply_error(form, error)
        return False, None
