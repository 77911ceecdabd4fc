"""The words that open the trends page: what went well first, a heavier time said kindly,
never an average read as a verdict. went_well() is a pure function of counts."""

from datetime import date, timedelta

import pytest

from accounts.models import User
from diary import checkins, entries, goals, trends
from diary.trends import Picture
from tests.conftest import make_user

NEVER = ("averaged", "failed", "worse", "lower than", "only ")


@pytest.fixture
def words(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _said(**counts):
    values = {"days": 30, "checked_in": 0, "entries": 0, "goal_good": 0, "goals_reached": 0, "recent": None}
    values.update(counts)
    said = " ".join(trends.went_well(Picture(**values)))
    assert not any(word in said for word in NEVER), said
    return said


@pytest.mark.parametrize(
    "counts, expected",
    [
        (
            {"checked_in": 25, "entries": 4, "recent": "heavier"},
            "You checked in 25 of 30 days. The last weeks were heavier, and you kept writing.",
        ),
        (
            {"checked_in": 12, "recent": "heavier"},
            "You checked in 12 of 30 days. The last weeks were heavier, and you kept checking in.",
        ),
        (
            {"checked_in": 5, "recent": "lighter", "entries": 1},
            "You checked in 5 of 30 days. The last weeks felt lighter. You wrote 1 diary entry.",
        ),
        (
            {"checked_in": 30, "recent": "steady", "entries": 9, "goal_good": 7, "goals_reached": 1},
            "You checked in 30 of 30 days. Your mood has been fairly steady. You wrote 9 diary entries. "
            "7 goal check-ins went as planned or partly. You reached 1 goal.",
        ),
        ({"entries": 2}, "You wrote 2 diary entries."),
        ({"goal_good": 1}, "1 goal check-in went as planned or partly."),
        (
            {"checked_in": 1},
            "You checked in 1 of 30 days.",
        ),
        (
            {"days": 90},
            "Nothing noted in these 90 days yet. One tap on Today is enough to begin.",
        ),
    ],
)
def test_went_well_leads_with_what_the_person_did(words, counts, expected):
    assert _said(**counts) == expected


def test_a_heavier_time_with_little_to_lean_on_is_still_said_kindly(words):
    said = _said(checked_in=2, recent="heavier")
    assert said == "You checked in 2 of 30 days. The last weeks were heavier. That is part of many people's way."


def test_what_went_well_comes_before_how_the_time_felt(words):
    said = trends.went_well(Picture(30, 20, 0, 3, 0, "heavier"))
    assert said[0].startswith("You checked in 20 of 30 days")


@pytest.mark.parametrize(
    "mood, expected",
    [
        ([None] * 30, None),
        ([4, 4] + [None] * 26 + [4, 4], "steady"),
        ([4] * 15 + [2] * 15, "heavier"),
        ([2] * 15 + [3] * 15, "lighter"),
        ([5] + [None] * 28 + [1], None),  # one check-in in a half says nothing about it
        ([3, 3.2] + [None] * 26 + [3.4, 3.1], "steady"),
    ],
)
def test_recent_mood_compares_the_later_half_with_the_earlier(mood, expected):
    assert trends.recent_mood(mood) == expected


def test_the_picture_counts_a_real_period(app):
    user_id, _ = make_user(app, "mira")
    end = date(2026, 11, 20)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from extensions import db

        session = db.session
        user = session.get(User, user_id)
        for offset in range(20):
            mood = 2 if offset < 10 else 4  # the last ten days heavier
            checkins.save_today(
                session,
                user,
                mood=mood,
                craving=3,
                sleep="ok",
                use=None,
                good_thing="",
                day=end - timedelta(days=offset),
            )
        entries.save_entry(session, user, mood=None, text="a line", answers={}, strengths=[])
        goal = goals.create_goal(session, user, kind="safer", area=None, title="Never use alone")
        goals.check_in(session, user, goal, "planned", day=end)
        goals.check_in(session, user, goal, "not_this_time", day=end - timedelta(days=1))
        trend = trends.collect(session, user, 30, end)
        counts = trends.picture(session, user, trend)
        assert (counts.days, counts.checked_in, counts.goal_good, counts.recent) == (30, 20, 1, "heavier")
        said = " ".join(trends.went_well(counts))
        assert said.startswith("You checked in 20 of 30 days.")
        assert "heavier" in said
