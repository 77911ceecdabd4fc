"""Everything of self-management in "export my data"."""

from __future__ import annotations

from sqlmodel import Session, select

from accounts.exporting import row_dict

from .models import DailyCheckIn, DiaryEntry, EntryAnswer, EntryStrength, Goal, GoalCheckIn, GoalStep, NextStep


def _rows(session: Session, model, user) -> list:
    return [row_dict(row) for row in session.exec(select(model).where(model.user_id == user.id).order_by(model.id))]


def collect(session: Session, user) -> dict:
    return {
        "diary_entries": _rows(session, DiaryEntry, user),
        "entry_answers": _rows(session, EntryAnswer, user),
        "entry_strengths": _rows(session, EntryStrength, user),
        "goals": _rows(session, Goal, user),
        "goal_steps": _rows(session, GoalStep, user),
        "goal_check_ins": _rows(session, GoalCheckIn, user),
        "daily_check_ins": _rows(session, DailyCheckIn, user),
        "next_steps": _rows(session, NextStep, user),
    }


NAME = "diary"
TABLES = (
    "diary_entry",
    "entry_answer",
    "entry_strength",
    "goal",
    "goal_step",
    "goal_check_in",
    "daily_check_in",
    "next_step",
)
