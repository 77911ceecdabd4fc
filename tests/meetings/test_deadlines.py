"""Appeal deadlines and meeting reminders: counted from the day the decision came, moved
past weekends and public holidays by each country's rule, reminders at the person's
morning across daylight-saving changes."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from meetings import deadlines

STOCKHOLM, COPENHAGEN = ZoneInfo("Europe/Stockholm"), ZoneInfo("Europe/Copenhagen")
LONG_AGO = datetime(2000, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("year", "sunday"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28))],
)
def test_easter_falls_on_its_known_sunday(year, sunday):
    assert deadlines.easter(year) == sunday and sunday.weekday() == 6


@pytest.mark.parametrize(
    ("country", "received", "last_day"),
    [
        ("SE", date(2027, 3, 1), date(2027, 3, 22)),  # a Monday: three weeks on is a Monday
        ("DK", date(2027, 2, 22), date(2027, 3, 22)),  # four weeks
        ("DK", date(2027, 3, 1), date(2027, 3, 30)),  # four weeks end on Easter Monday 29 March: Tuesday
        ("SE", date(2027, 2, 27), date(2027, 3, 22)),  # got on a Saturday: ends on a Saturday, moves to Monday
        ("DK", date(2027, 2, 21), date(2027, 3, 22)),  # a Sunday: moves to Monday
        ("SE", date(2027, 3, 5), date(2027, 3, 30)),  # Good Friday, the weekend, Easter Monday: Tuesday
        ("SE", date(2027, 3, 8), date(2027, 3, 30)),  # ... ends on Easter Monday 29 March: Tuesday
        ("DK", date(2027, 2, 25), date(2027, 3, 30)),  # 25 March is Maundy Thursday in Denmark: on to 30 March
        ("SE", date(2027, 3, 4), date(2027, 3, 25)),  # Maundy Thursday is a working day in Sweden
        ("SE", date(2027, 6, 4), date(2027, 6, 28)),  # 25 June is Midsummer Eve: Monday 28 June
        ("SE", date(2026, 12, 3), date(2026, 12, 28)),  # Christmas Eve, Christmas Day, Boxing Day, the weekend
        ("SE", date(2026, 12, 10), date(2027, 1, 4)),  # New Year's Eve and Day, then the weekend
        ("DK", date(2026, 12, 3), date(2026, 12, 31)),  # Christmas Eve and New Year's Eve are not moved in Denmark
        ("SE", date(2027, 5, 15), date(2027, 6, 7)),  # National Day 6 June is a Sunday in 2027
        ("DK", date(2027, 3, 26), date(2027, 4, 23)),  # no Great Prayer Day since 2024
        ("DK", date(2023, 4, 7), date(2023, 5, 8)),  # ... but 5 May 2023 was one
    ],
)
def test_the_last_day_to_appeal(country, received, last_day):
    found = deadlines.appeal_deadline(received, country)
    assert found.last_day == last_day
    assert found.moved == (found.counted != last_day)
    assert deadlines.is_working_day(found.last_day, country)


def test_an_unknown_country_counts_as_sweden():
    assert deadlines.appeal_deadline(date(2027, 3, 1), "XX").weeks == 3


def test_the_far_ends_of_the_calendar_do_not_break():
    assert deadlines.appeal_deadline(date(1900, 1, 1), "SE").last_day == date(1900, 1, 22)
    assert deadlines.appeal_deadline(date(2200, 12, 1), "DK").last_day.year == 2200


def test_deadline_reminders_come_at_ten_in_the_morning_on_both_sides_of_a_clock_change():
    # Last day Thursday 1 April 2027; summer time begins on Sunday 28 March.
    found = deadlines.appeal_deadline(date(2027, 3, 11), "SE")
    assert found.last_day == date(2027, 4, 1)
    week, two_days = deadlines.deadline_reminders(found, STOCKHOLM, LONG_AGO)
    assert week == datetime(2027, 3, 25, 9, 0, tzinfo=timezone.utc)  # 10:00 winter time (UTC+1)
    assert two_days == datetime(2027, 3, 30, 8, 0, tzinfo=timezone.utc)  # 10:00 summer time (UTC+2)


def test_only_deadline_reminders_still_to_come():
    found = deadlines.appeal_deadline(date(2027, 3, 11), "SE")
    now = datetime(2027, 3, 28, 12, 0, tzinfo=timezone.utc)
    assert deadlines.deadline_reminders(found, STOCKHOLM, now) == [datetime(2027, 3, 30, 8, 0, tzinfo=timezone.utc)]
    assert deadlines.deadline_reminders(found, STOCKHOLM, datetime(2027, 4, 2, tzinfo=timezone.utc)) == []


def test_meeting_reminders_keep_the_wall_time_across_the_autumn_change():
    # A meeting on Monday 1 November 2027 at 09:00; winter time begins on Sunday 31 October.
    day_before, two_hours = deadlines.meeting_reminders("2027-11-01T09:00", COPENHAGEN, LONG_AGO)
    assert day_before == datetime(2027, 10, 31, 8, 0, tzinfo=timezone.utc)  # 09:00 on Sunday, winter time
    assert two_hours == datetime(2027, 11, 1, 6, 0, tzinfo=timezone.utc)  # 07:00 on Monday


def test_a_meeting_in_the_skipped_hour_and_one_without_a_time():
    # 02:30 on 28 March 2027 does not exist in Stockholm: it is read as 03:30 summer time.
    moment = deadlines.meeting_moment("2027-03-28T02:30", STOCKHOLM)
    assert moment.astimezone(timezone.utc) == datetime(2027, 3, 28, 1, 30, tzinfo=timezone.utc)
    assert deadlines.meeting_reminders(None, STOCKHOLM, LONG_AGO) == []
    assert deadlines.meeting_reminders("not a time", STOCKHOLM, LONG_AGO) == []
    now = datetime(2027, 11, 1, 7, 30, tzinfo=timezone.utc)  # 08:30 on the day: neither is still to come
    assert deadlines.meeting_reminders("2027-11-01T09:00", COPENHAGEN, now) == []
