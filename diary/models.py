"""Tables of self-management. Every row belongs to one person (user_fk: deleted with them).

Sharing an entry with a contact will be its own table (entry id + contact id) in `peer`,
so an entry itself never carries a "shared" flag and stays private by construction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from accounts.models import parent_fk, user_fk
from extensions import utcnow


class DiaryEntry(SQLModel, table=True):
    __tablename__ = "diary_entry"
    __table_args__ = (UniqueConstraint("user_id", "client_key", name="uq_diary_entry_client_key"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    written_at: datetime = Field(default_factory=utcnow, index=True)
    # The day in the writer's own time zone, for the month view and "days with entries".
    day: date = Field(index=True)
    mood: Optional[int] = None  # 1 (very low) to 5 (very good)
    text: str = Field(default="", max_length=10000)
    updated_at: datetime = Field(default_factory=utcnow)
    # Chosen by the writing form, so an entry sent twice (offline, then again) is saved once.
    client_key: Optional[str] = Field(default=None, max_length=40)


class EntryAnswer(SQLModel, table=True):
    """The answer to one strengths prompt in an entry."""

    __tablename__ = "entry_answer"

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(sa_column=parent_fk("diary_entry"))
    user_id: int = Field(sa_column=user_fk())
    prompt: str = Field(max_length=32)
    text: str = Field(max_length=2000)


class EntryStrength(SQLModel, table=True):
    """A strength the person named in an entry, in their own words."""

    __tablename__ = "entry_strength"

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(sa_column=parent_fk("diary_entry"))
    user_id: int = Field(sa_column=user_fk())
    name: str = Field(max_length=40)
    name_key: str = Field(max_length=80, index=True)


class Goal(SQLModel, table=True):
    __tablename__ = "goal"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    kind: str = Field(max_length=16)  # stop, less, safer, life
    area: Optional[str] = Field(default=None, max_length=16)  # for life goals
    title: str = Field(max_length=120)
    why: str = Field(default="", max_length=2000)
    target_date: Optional[date] = None
    status: str = Field(default="active", max_length=16)  # active, paused, reached, let_go
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class GoalStep(SQLModel, table=True):
    __tablename__ = "goal_step"

    id: Optional[int] = Field(default=None, primary_key=True)
    goal_id: int = Field(sa_column=parent_fk("goal"))
    user_id: int = Field(sa_column=user_fk())
    text: str = Field(max_length=200)
    position: int = 0
    done_at: Optional[datetime] = None


class GoalCheckIn(SQLModel, table=True):
    """How a goal went. Several on one day are kept: a later "not this time" never takes
    away a good start to the same day."""

    __tablename__ = "goal_check_in"
    __table_args__ = (UniqueConstraint("user_id", "client_key", name="uq_goal_check_in_client_key"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    goal_id: int = Field(sa_column=parent_fk("goal"))
    user_id: int = Field(sa_column=user_fk())
    day: date
    outcome: str = Field(max_length=16)  # planned, partly, not_this_time
    note: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    client_key: Optional[str] = Field(default=None, max_length=40)  # the form's one-time key


class DailyCheckIn(SQLModel, table=True):
    __tablename__ = "daily_check_in"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_daily_check_in_day"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    day: date = Field(index=True)
    mood: int  # 1 to 5
    craving: int  # 0 to 10
    sleep: str = Field(max_length=8)  # poor, ok, good
    use: Optional[str] = Field(default=None, max_length=8)  # none, less, usual, more; may be skipped
    good_thing: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class NextStep(SQLModel, table=True):
    """One step of "my next steps": an appointment, or what happens after a treatment, a
    prison term or a placement ends, with who is involved and who to call."""

    __tablename__ = "next_step"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    kind: str = Field(max_length=16)  # appointment, after_treatment, after_prison, after_placement, other
    title: str = Field(max_length=120)
    when_local: Optional[str] = Field(default=None, max_length=16)  # "2027-03-31T14:30", the person's wall time
    who: str = Field(default="", max_length=200)  # people and services involved
    phone: str = Field(default="", max_length=30)
    note: str = Field(default="", max_length=1000)
    done_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)
