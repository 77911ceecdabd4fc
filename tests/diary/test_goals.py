"""Goals of any kind, and progress that a setback never takes away."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import User
from diary import goals
from diary.goals import GoalError, Progress, progress
from diary.models import GoalCheckIn
from tests.conftest import make_user

START = date(2026, 1, 1)


def _check_ins(pairs):
    rows = []
    for index, (offset, outcome) in enumerate(pairs):
        rows.append(
            GoalCheckIn(
                id=index + 1,
                goal_id=1,
                user_id=1,
                day=START + timedelta(days=offset),
                outcome=outcome,
                created_at=datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=index),
            )
        )
    return rows


outcomes = st.sampled_from(["planned", "partly", "not_this_time"])
# Days move forward; a step of 0 is another check-in on the same day.
sequences = st.lists(st.tuples(st.integers(min_value=0, max_value=3), outcomes), max_size=60)


def _as_days(steps):
    day, result = 0, []
    for step, outcome in steps:
        day += step
        result.append((day, outcome))
    return result


@settings(max_examples=300, deadline=None)
@given(sequences)
def test_progress_only_grows_and_runs_stay_inside_the_total(steps):
    pairs = _as_days(steps)
    previous = Progress(0, 0, 0, None)
    for count in range(1, len(pairs) + 1):
        now = progress(_check_ins(pairs[:count]))
        assert now.total >= now.longest_run >= now.current_run >= 0
        assert now.total >= previous.total, "a check-in lowered the total"
        assert now.longest_run >= previous.longest_run, "a check-in lowered the longest run"
        previous = now


def test_not_this_time_ends_the_run_but_keeps_everything_else():
    before = progress(_check_ins([(0, "planned"), (1, "partly"), (2, "planned")]))
    assert before == Progress(3, 3, 3, "planned")
    after = progress(_check_ins([(0, "planned"), (1, "partly"), (2, "planned"), (3, "not_this_time")]))
    assert (after.total, after.longest_run, after.current_run) == (3, 3, 0)
    again = progress(_check_ins([(0, "planned"), (1, "partly"), (2, "planned"), (3, "not_this_time"), (5, "planned")]))
    assert (again.total, again.longest_run, again.current_run) == (4, 3, 1)


def test_a_setback_later_the_same_day_keeps_the_good_start():
    result = progress(_check_ins([(0, "planned"), (0, "not_this_time")]))
    assert result.total == 1 and result.current_run == 0


def test_days_without_a_check_in_do_not_break_a_run():
    assert progress(_check_ins([(0, "planned"), (4, "planned")])).current_run == 2


def test_two_good_check_ins_on_one_day_count_once():
    assert progress(_check_ins([(0, "planned"), (0, "partly")])).total == 1


@pytest.fixture
def person(app):
    user_id, _ = make_user(app, "mira")
    with app.app_context():
        from extensions import db

        yield db.session, db.session.get(User, user_id)


@pytest.mark.parametrize(
    "kind, area", [("stop", None), ("less", None), ("safer", None), ("life", "housing"), ("life", "structure")]
)
def test_every_kind_of_goal_can_be_made(person, kind, area):
    session, user = person
    goal = goals.create_goal(
        session, user, kind=kind, area=area, title="My goal", why="for me", steps=["one", "", "  two  "]
    )
    assert goal.status == "active"
    assert [s.text for s in goals.steps_of(session, goal)] == ["one", "two"]


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"kind": "abstinence", "area": None, "title": "x"}, "goal_kind"),
        ({"kind": "life", "area": None, "title": "x"}, "goal_area"),
        ({"kind": "less", "area": None, "title": "   "}, "goal_title"),
        ({"kind": "less", "area": None, "title": "x" * 121}, "goal_title_long"),
        ({"kind": "less", "area": None, "title": "x", "target_date": date(1900, 1, 1)}, "goal_date"),
    ],
)
def test_goal_rules_explain_themselves(person, fields, code):
    session, user = person
    with pytest.raises(GoalError) as error:
        goals.create_goal(session, user, **fields)
    assert error.value.code == code


def test_paused_and_let_go_goals_stay_in_their_own_sections(person):
    session, user = person
    kept = goals.create_goal(session, user, kind="safer", area=None, title="Never use alone")
    paused = goals.create_goal(session, user, kind="life", area="work", title="Find a course")
    goals.set_status(session, paused, "paused")
    gone = goals.create_goal(session, user, kind="stop", area=None, title="Stop smoking")
    goals.set_status(session, gone, "let_go")
    sections = goals.goals_by_status(session, user)
    assert [g.id for g in sections["active"]] == [kept.id]
    assert [g.id for g in sections["paused"]] == [paused.id]
    assert [g.id for g in sections["let_go"]] == [gone.id]
    with pytest.raises(GoalError):
        goals.set_status(session, kept, "failed")


def test_steps_tick_and_the_next_step_is_the_first_open_one(person):
    session, user = person
    goal = goals.create_goal(
        session,
        user,
        kind="life",
        area="money",
        title="Pay the rent on time",
        steps=["Open the letter", "Call the landlord"],
    )
    first, second = goals.steps_of(session, goal)
    goals.toggle_step(session, first)
    assert goals.next_step(goals.steps_of(session, goal)).id == second.id
    assert goals.active_goals_with_next_step(session, user)[0][1].id == second.id
    goals.toggle_step(session, first)
    assert goals.next_step(goals.steps_of(session, goal)).id == first.id


def test_check_ins_are_kept_and_progress_never_drops(person):
    session, user = person
    goal = goals.create_goal(session, user, kind="less", area=None, title="Only weekends")
    for offset, outcome in enumerate(["planned", "partly", "planned"]):
        goals.check_in(session, user, goal, outcome, day=date(2026, 3, 1) + timedelta(days=offset))
    before = progress(goals.check_ins_of(session, goal))
    goals.check_in(session, user, goal, "not_this_time", note="hard week", day=date(2026, 3, 4))
    after = progress(goals.check_ins_of(session, goal))
    assert (after.total, after.longest_run) == (before.total, before.longest_run) == (3, 3)
    assert len(goals.check_ins_of(session, goal)) == 4
    with pytest.raises(GoalError):
        goals.check_in(session, user, goal, "relapse")
