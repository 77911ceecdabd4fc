"""A person's own calendar: "today" and the day of a moment, in their time zone."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from extensions import utcnow


def zone_of(user) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or "Europe/Stockholm")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Stockholm")


def local_day(user, moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone_of(user)).date()


def local_today(user) -> date:
    return local_day(user, utcnow())
