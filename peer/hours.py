"""A peer supporter's usual hours: days of the week and a from/to time, in the service's
own time zone (Flask-Babel's default, BABEL_DEFAULT_TIMEZONE), stored plainly on the
profile (peer_profile.usual_days "0,1,2,3,4" with Monday 0, usual_from and usual_to
"HH:MM"). Hours that end at or before they start run past midnight: Friday 22:00–02:00
is Friday night, into Saturday. Outside them, a client sees when the peer supporter
usually answers, in the client's language ("Helle usually answers Mon–Fri, 9–17").

The free-text "hours" of the profile stays, as words about anything the days and times
cannot say ("some evenings too"); it is shown as it was, at all times."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from extensions import utcnow

from .errors import PeerError

_HHMM = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")  # ASCII digits only: "9:0٩" is no time
DAYS = range(7)


def parse_time(value: str | None, field: str) -> str:
    """ "9:00", "09.00" or "21:30" as "HH:MM"; "" for no time; PeerError otherwise."""
    value = (value or "").strip()
    if not value:
        return ""
    match = _HHMM.match(value)
    if not match:
        raise PeerError("hours_time", field)
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_days(values) -> str:
    days = set()
    for value in values or []:
        try:
            day = int(value)
        except (TypeError, ValueError):
            raise PeerError("hours_days", "usual_days") from None
        if day not in DAYS:
            raise PeerError("hours_days", "usual_days")
        days.add(day)
    return ",".join(str(d) for d in sorted(days))


def clean(days, start: str | None, end: str | None) -> tuple[str, str, str]:
    """The stored form of usual hours, or PeerError: all three, or none of them."""
    stored_days, start, end = parse_days(days), parse_time(start, "usual_from"), parse_time(end, "usual_to")
    if not (stored_days or start or end):
        return "", "", ""
    if not stored_days:
        raise PeerError("hours_days", "usual_days")
    if not start:
        raise PeerError("hours_time", "usual_from")
    if not end:
        raise PeerError("hours_time", "usual_to")
    if start == end:
        raise PeerError("hours_same", "usual_to")
    return stored_days, start, end


def _days(profile) -> list[int]:
    return [int(d) for d in (profile.usual_days or "").split(",") if d.isdigit() and int(d) in DAYS]


def _time(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def has_hours(profile) -> bool:
    return bool(profile is not None and _days(profile) and profile.usual_from and profile.usual_to)


def service_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")


def within(profile, now: datetime, zone: ZoneInfo) -> bool:
    """Whether `now` (UTC) falls in the profile's usual hours; True when none are set."""
    if not has_hours(profile):
        return True
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    local = now.astimezone(zone)
    days, start, end, moment = set(_days(profile)), _time(profile.usual_from), _time(profile.usual_to), local.time()
    weekday = local.weekday()
    if start < end:
        return weekday in days and start <= moment < end
    # Past midnight: the evening of a listed day, or the small hours after one.
    yesterday = (local.date() - timedelta(days=1)).weekday()
    return (weekday in days and moment >= start) or (yesterday in days and moment < end)


def _runs(days: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for day in days:
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _clock(text: str, locale: str) -> str:
    moment = _time(text)
    if moment.minute == 0:
        return str(moment.hour)
    return babel_dates.format_time(moment, "H.mm" if locale.startswith("da") else "H:mm", locale=locale)


def describe(profile, locale: str | None = None) -> str:
    """ "Mon–Fri, 9–17" in the reader's language ("mån–fre, 9–17"); "" without hours."""
    if not has_hours(profile):
        return ""
    locale = locale or str(get_locale() or "en")
    names = babel_dates.get_day_names("abbreviated", context="stand-alone", locale=locale)
    days = _days(profile)
    if len(days) == 7:
        day_text = _("every day")
    else:
        day_text = ", ".join(names[a] if a == b else f"{names[a]}–{names[b]}" for a, b in _runs(days))
    return f"{day_text}, {_clock(profile.usual_from, locale)}–{_clock(profile.usual_to, locale)}"


def outside_note(profile, name: str, now: datetime | None = None) -> str:
    """What a client sees outside the usual hours ("" inside them, or when none are set)."""
    if not has_hours(profile):
        return ""
    if within(profile, now or utcnow(), service_zone()):
        return ""
    return _("%(name)s usually answers %(hours)s.", name=name, hours=describe(profile))
