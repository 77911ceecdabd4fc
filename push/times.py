"""Times of day as people write them, on a phone's numeric pad too (it has no colon):
"08:30", "8:30", "8.30", "0830", "830", "8", "20", "2030". Pure functions, so every
way of writing a time can be tested in a table. A time that cannot be read is refused
with the reason, named by a code the forms have words for; it is never guessed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import time

MAX_TIMES = 6  # the times one reminder can have
MAX_TIME_LENGTH = 16  # "08:30:00.000" from a browser's time field is the longest real one
MAX_ENTRIES = 4 * MAX_TIMES  # fields read at all (repeats and empty ones included)

_SEPARATED = re.compile(r"^([0-9]{1,2})[:.]([0-9]{1,2})(?::[0-9]{2}(?:\.[0-9]{1,3})?)?$")
_DIGITS = re.compile(r"^[0-9]{1,4}$")
_SPLIT = re.compile(r"[,;\s]+")


class TimeError(ValueError):
    """A time that cannot be read; `code` names why (time_format, time_hour, time_minute,
    time_long, times_too_many)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_time(text: str) -> time:
    """One time of day. Raises TimeError."""
    if not isinstance(text, str):
        raise TimeError("time_format")
    if len(text) > MAX_TIME_LENGTH:
        raise TimeError("time_long")
    value = text.strip()
    if not value.isascii() or not value.isprintable():  # NUL, control characters, other digits
        raise TimeError("time_format")
    found = _SEPARATED.match(value)
    if found:
        hour_text, minute_text = found.groups()
        if len(minute_text) != 2:  # "8.5" could be 8:05 or 8:30: ask rather than guess
            raise TimeError("time_format")
    elif _DIGITS.match(value):
        # "8", "20": an hour. "830", "2030": the last two digits are the minutes.
        hour_text, minute_text = (value, "0") if len(value) <= 2 else (value[:-2], value[-2:])
    else:
        raise TimeError("time_format")
    hour, minute = int(hour_text), int(minute_text)
    if hour > 23:
        raise TimeError("time_hour")
    if minute > 59:
        raise TimeError("time_minute")
    return time(hour, minute)


def pieces(values: str | Iterable[str] | None) -> list[str]:
    """The times written in one text ("08:00, 20:30", as forms had it before) or in several
    fields, without the empty ones. Raises TimeError when there are too many to read."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    values = list(values)
    if len(values) > MAX_ENTRIES:
        raise TimeError("times_too_many")
    found = []
    for value in values:
        if not isinstance(value, str):
            raise TimeError("time_format")
        if len(value) > MAX_TIME_LENGTH * MAX_TIMES:
            raise TimeError("time_long")
        found.extend(piece for piece in _SPLIT.split(value) if piece)
        if len(found) > MAX_ENTRIES:
            raise TimeError("times_too_many")
    return found


def parse_times(values: str | Iterable[str] | None, limit: int = MAX_TIMES) -> list[time]:
    """Every time given, each once, in order of the day. Raises TimeError."""
    parsed = sorted({parse_time(piece) for piece in pieces(values)})
    if len(parsed) > limit:
        raise TimeError("times_too_many")
    return parsed


def stored(times: list[time]) -> str:
    """How a reminder keeps its times: "08:00,20:30"."""
    return ",".join(t.strftime("%H:%M") for t in times)
