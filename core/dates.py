"""One way to write a date in each language, for every page: the template filters

    {{ value|day }}       30 nov. 2026 · 30. nov. 2026 · 30 Nov 2026
    {{ value|day_long }}  måndag 30 november · mandag den 30. november · Monday 30 November
    {{ value|when }}      30 nov. 2026 kl. 14:05 · 30. nov. 2026 kl. 14.05 · 30 Nov 2026, 14:05
    {{ value|clock }}     14:05 · 14.05 · 14:05
    {{ value|weekday }}   mån · man. · Mon (a week strip's short day name; not a date)

A datetime is shown in the person's own time zone (Flask-Babel's, as its own filters do); a
date is shown as it is. Pages use only these, never a pattern of their own.
"""

from __future__ import annotations

from flask_babel import format_date, format_datetime, format_time, get_locale

PATTERNS = {
    "sv": {"day": "d MMM y", "day_long": "EEEE d MMMM", "when": "d MMM y 'kl.' HH:mm", "clock": "HH:mm"},
    "da": {"day": "d. MMM y", "day_long": "EEEE 'den' d. MMMM", "when": "d. MMM y 'kl.' HH.mm", "clock": "HH.mm"},
    "en": {"day": "d MMM y", "day_long": "EEEE d MMMM", "when": "d MMM y, HH:mm", "clock": "HH:mm"},
}


def pattern(kind: str) -> str:
    language = str(get_locale() or "en").split("_")[0]
    return PATTERNS.get(language, PATTERNS["en"])[kind]


def day(value) -> str:
    return format_date(value, pattern("day")) if value else ""


def day_long(value) -> str:
    return format_date(value, pattern("day_long")) if value else ""


def when(value) -> str:
    return format_datetime(value, pattern("when")) if value else ""


def clock(value) -> str:
    return format_time(value, pattern("clock")) if value else ""


def weekday(value) -> str:
    return format_date(value, "EEE") if value else ""


FILTERS = {"day": day, "day_long": day_long, "when": when, "clock": clock, "weekday": weekday}


def init_app(app) -> None:
    app.jinja_env.filters.update(FILTERS)
