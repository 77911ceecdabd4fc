"""The daily check-in, and trends drawn as SVG with gaps for days without a check-in."""

import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from accounts.models import User
from diary import checkins, trends
from diary.checkins import CheckInError
from diary.models import DailyCheckIn
from tests.conftest import make_user


@pytest.fixture
def person(app):
    user_id, _ = make_user(app, "mira")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from extensions import db

        yield db.session, db.session.get(User, user_id)


def test_one_check_in_a_day_that_can_be_corrected(person):
    session, user = person
    first = checkins.save_today(session, user, mood=2, craving=7, sleep="poor", use="more", good_thing="")
    again = checkins.save_today(session, user, mood=3, craving=5, sleep="ok", use=None, good_thing="a walk")
    assert first.id == again.id
    assert len(session.exec(select(DailyCheckIn)).all()) == 1
    assert (again.mood, again.use, again.good_thing) == (3, None, "a walk")


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"mood": None}, "checkin_mood"),
        ({"mood": 9}, "checkin_mood"),
        ({"craving": 11}, "checkin_craving"),
        ({"craving": -1}, "checkin_craving"),
        ({"sleep": "long"}, "checkin_sleep"),
        ({"good_thing": "x" * 501}, "checkin_good_long"),
    ],
)
def test_check_in_rules(person, fields, code):
    session, user = person
    values = {"mood": 3, "craving": 2, "sleep": "ok", "use": None, "good_thing": ""}
    values.update(fields)
    with pytest.raises(CheckInError) as error:
        checkins.save_today(session, user, **values)
    assert error.value.code == code


def test_the_mood_alone_is_a_whole_check_in_and_the_week_shows_it(person):
    session, user = person
    row = checkins.save_today(session, user, mood=4)
    assert (row.mood, row.craving, row.sleep, row.use, row.good_thing) == (4, None, None, None, "")
    week = checkins.week(session, user)
    assert len(week) == 7 and week[-1] == (row.day, 4) and all(mood is None for _day, mood in week[:-1])
    assert week[0][0] == row.day - timedelta(days=6)
    # A day with a mood only leaves a gap in the craving line, not an error.
    trend = trends.collect(session, user, 30, row.day)
    assert trend.mood[-1] == 4.0 and trend.craving[-1] is None


def test_use_is_skippable_and_unknown_answers_are_treated_as_skipped(person):
    session, user = person
    row = checkins.save_today(session, user, mood=3, craving=2, sleep="ok", use="lots", good_thing="")
    assert row.use is None


def _fill(session, user, days, end, every=1):
    for offset in range(0, days, every):
        checkins.save_today(
            session,
            user,
            mood=1 + offset % 5,
            craving=offset % 11,
            sleep="ok",
            use=None,
            good_thing="",
            day=end - timedelta(days=offset),
        )


def _points(svg):
    return len(re.findall(r"<circle", svg))


@pytest.mark.parametrize("count", [0, 1, 365])
def test_charts_render_for_0_1_and_365_points(person, count):
    session, user = person
    end = date(2026, 11, 20)
    _fill(session, user, count, end)
    for days in (30, 90, 365):
        trend = trends.collect(session, user, days, end)
        svg = str(trends.line_chart("mood", "Mood", trends.mood_summary(trend), trend.mood, 1, 5))
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        assert _points(svg) == min(count, days)
        assert "NaN" not in svg and "inf" not in svg
        columns = str(trends.column_chart("g", "Goals", trends.goal_summary(trend), trend.goal_good, trend.goal_not))
        assert columns.startswith("<svg")


def test_empty_days_are_gaps_not_zeros(person):
    session, user = person
    end = date(2026, 11, 20)
    _fill(session, user, 30, end, every=3)
    trend = trends.collect(session, user, 30, end)
    assert trend.mood.count(None) == 20
    svg = str(trends.line_chart("mood", "Mood", "", trend.mood, 1, 5))
    assert _points(svg) == 10
    assert "<polyline" not in svg  # no two known days touch, so no line joins them


def test_days_are_whole_days_across_a_daylight_saving_change(person):
    session, user = person
    end = date(2026, 4, 10)  # the clocks moved on 29 March in Sweden and Denmark
    _fill(session, user, 30, end)
    trend = trends.collect(session, user, 30, end)
    assert len(trend.days) == 30 == len(set(trend.days))
    assert all(b - a == timedelta(days=1) for a, b in zip(trend.days, trend.days[1:], strict=False))
    assert date(2026, 3, 29) in trend.days and None not in trend.mood


def test_summaries_describe_and_never_judge(person):
    session, user = person
    end = date(2026, 11, 20)
    for offset in range(60):
        mood = 4 if offset < 30 else 2
        checkins.save_today(
            session, user, mood=mood, craving=3, sleep="ok", use=None, good_thing="", day=end - timedelta(days=offset)
        )
    trend = trends.collect(session, user, 30, end)
    assert trends.mood_summary(trend) == "Mood noted on 30 of 30 days, each time good."
    assert trends.craving_summary(trend) == "Craving noted on 30 of 30 days, from 3 to 3 out of 10."
    _fill(session, user, 30, end)
    trend = trends.collect(session, user, 30, end)
    assert trends.mood_summary(trend) == "Mood noted on 30 of 30 days, from very low to very good."
    for summary in (trends.mood_summary(trend), trends.craving_summary(trend)):
        assert "averaged" not in summary and "lower" not in summary


def test_summary_without_any_data(person):
    session, user = person
    trend = trends.collect(session, user, 30, date(2026, 11, 20))
    assert trends.mood_summary(trend) == "No check-ins in these 30 days yet."
