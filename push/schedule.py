"""When reminders fire: at the same local time in the person's zone, across daylight-saving
changes, held back by quiet hours. Pure functions, so they can be tested with frozen time."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from core.dates import local_moment as _local


def parse_hhmm(value: str) -> time | None:
    try:
        hours, minutes = value.strip().split(":")
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        return None


def next_fire(times: list[time], weekdays: set[int], zone: ZoneInfo, after: datetime) -> datetime | None:
    """The first moment strictly after `after` (UTC) on which a repeating reminder fires."""
    if not times:
        return None
    local_after = after.astimezone(zone)
    for offset in range(0, 8):
        day = local_after.date() + timedelta(days=offset)
        if weekdays and day.weekday() not in weekdays:
            continue
        for at in sorted(times):
            moment = _local(day, at, zone)
            if moment.astimezone(timezone.utc) > after:
                return moment.astimezone(timezone.utc)
    return None


def once_fire(once_at: datetime, zone: ZoneInfo, after: datetime) -> datetime | None:
    moment = _local(once_at.date(), once_at.time(), zone).astimezone(timezone.utc)
    return moment if moment > after else None


def after_quiet_hours(moment: datetime, start: time | None, end: time | None, zone: ZoneInfo) -> datetime:
    """The moment itself, or when the quiet hours it falls in end (they may span midnight)."""
    if start is None or end is None or start == end:
        return moment
    local = moment.astimezone(zone)
    now = local.time()
    inside = (start <= now < end) if start < end else (now >= start or now < end)
    if not inside:
        return moment
    end_day = local.date() if (start < end or now < end) else local.date() + timedelta(days=1)
    return _local(end_day, end, zone).astimezone(timezone.utc)
