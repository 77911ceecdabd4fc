"""The rules of goals: any kind of goal, small steps, a status, and check-ins.

Progress only grows. A "not this time" ends the current run, but the days that went as
planned or partly stay counted, and the longest run stays the longest run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from accounts.rules import RuleError
from extensions import commit_once, utcnow

from . import signals
from .days import local_today
from .models import Goal, GoalCheckIn, GoalStep
from .vocab import GOAL_KINDS, GOAL_STATUSES, GOOD_OUTCOMES, LIFE_AREAS, OUTCOMES

TITLE_MAX = 120
WHY_MAX = 2000
STEP_MAX = 200
STEPS_MAX = 30
NOTE_MAX = 1000


class GoalError(RuleError):
    """A rule of goals said no."""


@dataclass(frozen=True)
class Progress:
    total: int  # days with at least one check-in that went as planned or partly, ever
    current_run: int  # good days in a row (days without a check-in are skipped), up to now
    longest_run: int
    last_outcome: str | None


def progress(check_ins: list[GoalCheckIn]) -> Progress:
    """Progress from check-ins in any order.

    A day counts once it had a good check-in, and stays counted whatever comes after. A
    "not this time" ends the current run; it never lowers the total or the longest run.
    Days without a check-in neither break a run nor add to it."""
    ordered = sorted(check_ins, key=lambda c: (c.day, c.created_at, c.id or 0))
    good_days: set = set()
    current = longest = 0
    run_day = None
    for check_in in ordered:
        if check_in.outcome in GOOD_OUTCOMES:
            good_days.add(check_in.day)
            if check_in.day != run_day:
                current += 1
                run_day = check_in.day
            longest = max(longest, current)
        else:
            current, run_day = 0, None
    return Progress(len(good_days), current, longest, ordered[-1].outcome if ordered else None)


def _clean_goal(kind: str, area: str | None, title: str, why: str, target_date: date | None):
    title = " ".join((title or "").split())
    why = (why or "").strip()
    if kind not in GOAL_KINDS:
        raise GoalError("goal_kind", "kind")
    if kind == "life":
        if area not in LIFE_AREAS:
            raise GoalError("goal_area", "area")
    else:
        area = None
    if not title:
        raise GoalError("goal_title", "title")
    if len(title) > TITLE_MAX:
        raise GoalError("goal_title_long", "title")
    if len(why) > WHY_MAX:
        raise GoalError("goal_why_long", "why")
    if target_date is not None and not (date(2000, 1, 1) <= target_date <= date(2100, 12, 31)):
        raise GoalError("goal_date", "target_date")
    return kind, area, title, why


def _clean_step(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) > STEP_MAX:
        raise GoalError("step_long", "step")
    return text


def create_goal(
    session: Session,
    user,
    *,
    kind: str,
    area: str | None,
    title: str,
    why: str = "",
    target_date: date | None = None,
    steps: list[str] | None = None,
) -> Goal:
    kind, area, title, why = _clean_goal(kind, area, title, why, target_date)
    texts = [t for t in (_clean_step(s) for s in steps or []) if t]
    if len(texts) > STEPS_MAX:
        raise GoalError("steps_many", "steps")
    goal = Goal(user_id=user.id, kind=kind, area=area, title=title, why=why, target_date=target_date)
    session.add(goal)
    session.flush()
    for position, text in enumerate(texts):
        session.add(GoalStep(goal_id=goal.id, user_id=user.id, text=text, position=position))
    session.commit()
    return goal


def update_goal(
    session: Session, goal: Goal, *, kind: str, area: str | None, title: str, why: str, target_date: date | None
) -> Goal:
    goal.kind, goal.area, goal.title, goal.why = _clean_goal(kind, area, title, why, target_date)
    goal.target_date = target_date
    goal.updated_at = utcnow()
    session.add(goal)
    session.commit()
    _changed(session, goal.user_id, goal.id)
    return goal


def set_status(session: Session, goal: Goal, status: str) -> None:
    if status not in GOAL_STATUSES:
        raise GoalError("goal_status", "status")
    goal.status = status
    goal.updated_at = utcnow()
    session.add(goal)
    session.commit()
    _changed(session, goal.user_id, goal.id)


def delete_goal(session: Session, goal: Goal) -> None:
    user_id, goal_id = goal.user_id, goal.id
    session.delete(goal)
    session.commit()
    _changed(session, user_id, goal_id)


def _changed(session: Session, user_id: int, goal_id: int) -> None:
    """After the commit: whoever keeps a copy of this goal's progress refreshes it."""
    signals.goal_changed.send(session=session, user_id=user_id, goal_id=goal_id)


def get_goal(session: Session, user, goal_id: int) -> Goal | None:
    goal = session.get(Goal, goal_id)
    return goal if goal is not None and goal.user_id == user.id else None


def get_step(session: Session, user, step_id: int, goal: Goal) -> GoalStep | None:
    """A step of this goal, if it is the user's; None otherwise."""
    step = session.get(GoalStep, step_id)
    return step if step is not None and step.goal_id == goal.id and step.user_id == user.id else None


def steps_of(session: Session, goal: Goal) -> list[GoalStep]:
    return list(
        session.exec(select(GoalStep).where(GoalStep.goal_id == goal.id).order_by(GoalStep.position, GoalStep.id))
    )


def add_step(session: Session, goal: Goal, text: str) -> GoalStep:
    text = _clean_step(text)
    if not text:
        raise GoalError("step_empty", "step")
    count = session.exec(select(func.count()).select_from(GoalStep).where(GoalStep.goal_id == goal.id)).one()
    if count >= STEPS_MAX:
        raise GoalError("steps_many", "step")
    step = GoalStep(goal_id=goal.id, user_id=goal.user_id, text=text, position=count)
    session.add(step)
    session.commit()
    return step


def toggle_step(session: Session, step: GoalStep) -> GoalStep:
    step.done_at = None if step.done_at else utcnow()
    session.add(step)
    session.commit()
    return step


def delete_step(session: Session, step: GoalStep) -> None:
    session.delete(step)
    session.commit()


def next_step(steps: list[GoalStep]) -> GoalStep | None:
    return next((step for step in steps if step.done_at is None), None)


def check_in(
    session: Session,
    user,
    goal: Goal,
    outcome: str,
    note: str = "",
    day: date | None = None,
    client_key: str | None = None,
) -> GoalCheckIn:
    """Record how the goal went on a day (today by default). Every check-in is kept, but
    one form sent twice (its one-time `client_key`) is recorded once."""
    if outcome not in OUTCOMES:
        raise GoalError("outcome", "outcome")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise GoalError("note_long", "note")
    if client_key and (earlier := _check_in_by_key(session, user, client_key)) is not None:
        return earlier
    row = GoalCheckIn(
        goal_id=goal.id,
        user_id=user.id,
        day=day or local_today(user),
        outcome=outcome,
        note=note,
        client_key=client_key,
    )
    session.add(row)
    saved = commit_once(session, lambda: _check_in_by_key(session, user, client_key)) or row
    _changed(session, user.id, goal.id)
    return saved


def get_check_in(session: Session, user, goal: Goal, check_in_id: int | None) -> GoalCheckIn | None:
    """One of this goal's check-ins, if it is the user's; None otherwise."""
    if not check_in_id or not 0 < check_in_id < 2**31:
        return None
    row = session.get(GoalCheckIn, check_in_id)
    return row if row is not None and row.user_id == user.id and row.goal_id == goal.id else None


def _check_in_by_key(session: Session, user, client_key: str | None) -> GoalCheckIn | None:
    if not client_key:
        return None
    return session.exec(
        select(GoalCheckIn).where(GoalCheckIn.user_id == user.id, GoalCheckIn.client_key == client_key)
    ).first()


def check_ins_of(session: Session, goal: Goal) -> list[GoalCheckIn]:
    return list(
        session.exec(
            select(GoalCheckIn)
            .where(GoalCheckIn.goal_id == goal.id)
            .order_by(GoalCheckIn.day, GoalCheckIn.created_at, GoalCheckIn.id)
        )
    )


def goals_by_status(session: Session, user) -> dict[str, list[Goal]]:
    sections: dict[str, list[Goal]] = {status: [] for status in GOAL_STATUSES}
    for goal in session.exec(select(Goal).where(Goal.user_id == user.id).order_by(Goal.created_at, Goal.id)):
        sections[goal.status].append(goal)
    return sections


def active_goals_with_next_step(session: Session, user) -> list[tuple[Goal, GoalStep | None]]:
    goals = session.exec(
        select(Goal).where(Goal.user_id == user.id, Goal.status == "active").order_by(Goal.created_at, Goal.id)
    ).all()
    if not goals:
        return []
    steps = session.exec(
        select(GoalStep)
        .where(GoalStep.goal_id.in_([g.id for g in goals]), GoalStep.done_at.is_(None))
        .order_by(GoalStep.position, GoalStep.id)
    ).all()
    first: dict[int, GoalStep] = {}
    for step in steps:
        first.setdefault(step.goal_id, step)
    return [(goal, first.get(goal.id)) for goal in goals]
