"""Appeal deadlines and the times of a meeting's reminders. Pure functions, tested with
fixed dates: weekends, public holidays and daylight-saving changes.

An appeal deadline counts from the day the person got the decision: in Sweden three weeks
(förvaltningslagen 2017:900, 44 §), in Denmark four weeks for a social decision
(retssikkerhedsloven § 67). When the last day is not a working day it moves to the next
one: in Sweden by lag (1930:173) om beräkning av lagstadgad tid, 2 § (a Saturday, a
Sunday, another public holiday, Midsummer Eve, Christmas Eve and New Year's Eve); in
Denmark by the practice the Ministry of Justice's guideline (nr. 9533 of 2018) describes,
which names a Saturday, a Sunday and a public holiday. No source we found says whether
Constitution Day, Christmas Eve or New Year's Eve move a Danish complaint deadline, so
they do not: a deadline shown too early is safe, one shown too late is not.
meetings/rights.py and docs/privacy.md give the sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from core.dates import local_moment

WEEKS = {"SE": 3, "DK": 4}
REMIND_DAYS_BEFORE = (7, 2)  # a week before the last day, and two days before
REMIND_AT = time(10, 0)  # in the person's morning, after most quiet hours end
MEETING_BEFORE = (timedelta(days=1), timedelta(hours=2))


def easter(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _in_range(year: int, month: int, first: int, weekday: int) -> date:
    """The day of `weekday` (Monday = 0) in the seven days from `first` of `month`."""
    start = date(year, month, first)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


@lru_cache(maxsize=64)
def closed_days(year: int, country: str) -> frozenset[date]:
    """The days other than Saturdays and Sundays on which a deadline cannot end."""
    sunday = easter(year)
    moving = {sunday + timedelta(days=n) for n in (-2, 1, 39)}  # Good Friday, Easter Monday, Ascension
    fixed = {date(year, 1, 1), date(year, 12, 25), date(year, 12, 26)}
    if country == "DK":
        moving |= {sunday - timedelta(days=3), sunday + timedelta(days=50)}  # Maundy Thursday, Whit Monday
        if year < 2024:  # Great Prayer Day, a holiday until 2023
            moving.add(sunday + timedelta(days=26))
    else:
        fixed |= {date(year, 1, 6), date(year, 5, 1), date(year, 6, 6), date(year, 12, 24), date(year, 12, 31)}
        fixed.add(_in_range(year, 6, 19, 4))  # Midsummer Eve: the Friday from 19 to 25 June
    return frozenset(moving | fixed)


def is_working_day(day: date, country: str) -> bool:
    return day.weekday() < 5 and day not in closed_days(day.year, country)


@dataclass(frozen=True)
class Deadline:
    received: date
    last_day: date
    counted: date  # the day the weeks give, before a weekend or holiday moved it
    weeks: int
    country: str

    @property
    def moved(self) -> bool:
        return self.last_day != self.counted


def appeal_deadline(received: date, country: str) -> Deadline:
    """The last day an appeal can reach the authority, counted from the day the decision
    was received."""
    country = country if country in WEEKS else "SE"
    weeks = WEEKS[country]
    counted = received + timedelta(weeks=weeks)
    last = counted
    while not is_working_day(last, country):
        last += timedelta(days=1)
    return Deadline(received, last, counted, weeks, country)


def deadline_reminders(deadline: Deadline, zone: ZoneInfo, now: datetime) -> list[datetime]:
    """When to remind (UTC): at REMIND_AT on the person's wall clock a week and two days
    before the last day, only those still to come."""
    moments = (
        local_moment(deadline.last_day - timedelta(days=days), REMIND_AT, zone).astimezone(timezone.utc)
        for days in REMIND_DAYS_BEFORE
    )
    return [moment for moment in moments if moment > now]


def meeting_moment(when_local: str | None, zone: ZoneInfo) -> datetime | None:
    """A meeting's wall time ("2027-03-31T14:30") as an aware moment in `zone`."""
    try:
        wall = datetime.fromisoformat(when_local) if when_local else None
    except ValueError:
        return None
    return local_moment(wall.date(), wall.time(), zone) if wall else None


def meeting_reminders(when_local: str | None, zone: ZoneInfo, now: datetime) -> list[datetime]:
    """When to remind (UTC) of a meeting: the day before at the same time on the wall clock
    (so a change of daylight-saving time between does not move it), and two hours before;
    only those still to come."""
    start = meeting_moment(when_local, zone)
    if start is None:
        return []
    wall = start.replace(tzinfo=None)
    day_before = local_moment((wall - MEETING_BEFORE[0]).date(), wall.time(), zone).astimezone(timezone.utc)
    two_hours = start.astimezone(timezone.utc) - MEETING_BEFORE[1]
    return [moment for moment in (day_before, two_hours) if moment > now]
