"""One way to write a date in each language, for every page: the template filters

    {{ value|day }}       30 nov. 2026 · 30. nov. 2026 · 30 Nov 2026
    {{ value|day_long }}  måndag 30 november · mandag den 30. november · Monday 30 November
    {{ value|when }}      30 nov. 2026 kl. 14:05 · 30. nov. 2026 kl. 14.05 · 30 Nov 2026, 14:05
    {{ value|clock }}     14:05 · 14.05 · 14:05
    {{ value|weekday }}   mån · man. · Mon (a week strip's short day name; not a date)
    {{ text|wall }}       onsdag 31 mars 2027 kl. 14:30 · onsdag den 31. mar. 2027 kl. 14.30 ·
                          Wednesday 31 Mar 2027, 14:30 (an appointment's own wall time, unmoved)

A datetime is shown in the person's own time zone (Flask-Babel's, as its own filters do); a
date is shown as it is. Pages use only these, never a pattern of their own.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask_babel import format_date, format_datetime, get_locale, to_user_timezone

PATTERNS = {
    "sv": {
        "day": "d MMM y",
        "day_long": "EEEE d MMMM",
        "when": "d MMM y 'kl.' HH:mm",
        "clock": "HH:mm",
        "wall": "EEEE d MMM y 'kl.' HH:mm",
    },
    "da": {
        "day": "d. MMM y",
        "day_long": "EEEE 'den' d. MMMM",
        "when": "d. MMM y 'kl.' HH.mm",
        "clock": "HH.mm",
        "wall": "EEEE 'den' d. MMM y 'kl.' HH.mm",
    },
    "en": {
        "day": "d MMM y",
        "day_long": "EEEE d MMMM",
        "when": "d MMM y, HH:mm",
        "clock": "HH:mm",
        "wall": "EEEE d MMM y, HH:mm",
    },
}


def pattern(kind: str, locale: str | None = None) -> str:
    language = (locale or str(get_locale() or "en")).split("_")[0]
    return PATTERNS.get(language, PATTERNS["en"])[kind]


def day(value) -> str:
    return format_date(value, pattern("day")) if value else ""


@lru_cache(maxsize=2048)
def _date_text(local_day, pattern_: str, locale: str) -> str:
    return babel_dates.format_date(local_day, pattern_, locale=locale)


@lru_cache(maxsize=4096)
def _time_text(local_time, pattern_: str, locale: str) -> str:
    return babel_dates.format_time(local_time, pattern_, locale=locale)


# day_long and clock are what a conversation shows for each of its 100 messages (and again
# in the answer to every message sent): Flask-Babel's formatting took more than half the
# time of that answer. The same words come from a cache of the person's local day or minute
# (their time zone is applied first, as Flask-Babel does).


def day_long(value) -> str:
    if not value:
        return ""
    local = to_user_timezone(value).date() if isinstance(value, datetime) else value
    locale = str(get_locale() or "en")
    return _date_text(local, pattern("day_long", locale), locale)


def when(value) -> str:
    return format_datetime(value, pattern("when")) if value else ""


def clock(value) -> str:
    if not value:
        return ""
    local = to_user_timezone(value) if isinstance(value, datetime) else value
    locale = str(get_locale() or "en")
    return _time_text(time(local.hour, local.minute, local.second), pattern("clock", locale), locale)


def wall(value) -> str:
    """A wall time as the person wrote it ("2027-03-31T14:30", an appointment's), with its
    weekday and never moved by a time zone: the meeting is at 14:30 where it is."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return value
    if not isinstance(moment, datetime):
        return ""
    locale = str(get_locale() or "en")
    return babel_dates.format_datetime(moment.replace(tzinfo=None), pattern("wall", locale), locale=locale)


def weekday(value) -> str:
    return format_date(value, "EEE") if value else ""


FILTERS = {"day": day, "day_long": day_long, "when": when, "clock": clock, "weekday": weekday, "wall": wall}


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time on a day, as an aware moment. A time that does not exist (the
    hour skipped in spring) moves forward; one that exists twice (autumn) is the first."""
    moment = datetime.combine(day, at, tzinfo=zone)
    round_trip = moment.astimezone(timezone.utc).astimezone(zone)
    if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return round_trip  # skipped hour: the same instant, shown after the change
    return moment


def init_app(app) -> None:
    app.jinja_env.filters.update(FILTERS)
