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
from accounts.sealing import by_owner, sealed_field, watch
from extensions import utcnow

from .vocab import strength_key, strength_label


@watch
class DiaryEntry(SQLModel, table=True):
    __tablename__ = "diary_entry"
    __sealed__ = {"mood": by_owner, "text": by_owner}
    __table_args__ = (UniqueConstraint("user_id", "client_key", name="uq_diary_entry_client_key"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    written_at: datetime = Field(default_factory=utcnow, index=True)
    # The day in the writer's own time zone, for the month view and "days with entries".
    day: date = Field(index=True)
    mood: Optional[int] = sealed_field(default=None, nullable=True)  # 1 (very low) to 5 (very good)
    text: str = sealed_field(default="", nullable=True)
    updated_at: datetime = Field(default_factory=utcnow)
    # Chosen by the writing form, so an entry sent twice (offline, then again) is saved once.
    client_key: Optional[str] = Field(default=None, max_length=40)


@watch
class EntryAnswer(SQLModel, table=True):
    """The answer to one strengths prompt in an entry."""

    __tablename__ = "entry_answer"
    __sealed__ = {"text": by_owner}

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(sa_column=parent_fk("diary_entry"))
    user_id: int = Field(sa_column=user_fk())
    prompt: str = Field(max_length=32)
    text: str = sealed_field(default="", nullable=True)


@watch
class EntryStrength(SQLModel, table=True):
    """A strength the person named in an entry, in their own words."""

    __tablename__ = "entry_strength"
    __sealed__ = {"name": by_owner, "name_key": by_owner}

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(sa_column=parent_fk("diary_entry"))
    user_id: int = Field(sa_column=user_fk())
    # A built-in strength: its key ("courage") in name_key, and in name the word it had when
    # chosen. The person's own words: as written in name, folded in name_key. Rows from before
    # keys were stored hold a word in name_key too: vocab.strength_key reads either.
    name: str = sealed_field(default="", nullable=True)
    name_key: str = sealed_field(default="", nullable=True)

    @property
    def key(self) -> str:
        return strength_key(self.name_key or self.name or "")

    @property
    def label(self) -> str:
        """As shown: a built-in strength in the reader's language, own words as written."""
        return strength_label(self.name or "", self.name_key or "")


@watch
class Goal(SQLModel, table=True):
    __tablename__ = "goal"
    __sealed__ = {"kind": by_owner, "area": by_owner, "title": by_owner, "why": by_owner}

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    kind: str = sealed_field(default="", nullable=True)  # stop, less, safer, life
    area: Optional[str] = sealed_field(default=None, nullable=True)  # for life goals
    title: str = sealed_field(default="", nullable=True)
    why: str = sealed_field(default="", nullable=True)
    target_date: Optional[date] = None
    status: str = Field(default="active", max_length=16)  # active, paused, reached, let_go
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


@watch
class GoalStep(SQLModel, table=True):
    __tablename__ = "goal_step"
    __sealed__ = {"text": by_owner}

    id: Optional[int] = Field(default=None, primary_key=True)
    goal_id: int = Field(sa_column=parent_fk("goal"))
    user_id: int = Field(sa_column=user_fk())
    text: str = sealed_field(default="", nullable=True)
    position: int = 0
    done_at: Optional[datetime] = None


@watch
class GoalCheckIn(SQLModel, table=True):
    """How a goal went. Several on one day are kept: a later "not this time" never takes
    away a good start to the same day."""

    __tablename__ = "goal_check_in"
    __sealed__ = {"outcome": by_owner, "note": by_owner}
    __table_args__ = (UniqueConstraint("user_id", "client_key", name="uq_goal_check_in_client_key"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    goal_id: int = Field(sa_column=parent_fk("goal"))
    user_id: int = Field(sa_column=user_fk())
    day: date
    outcome: str = sealed_field(default="", nullable=True)  # planned, partly, not_this_time
    note: str = sealed_field(default="", nullable=True)
    created_at: datetime = Field(default_factory=utcnow)
    client_key: Optional[str] = Field(default=None, max_length=40)  # the form's one-time key


@watch
class DailyCheckIn(SQLModel, table=True):
    __tablename__ = "daily_check_in"
    __sealed__ = {"mood": by_owner, "craving": by_owner, "sleep": by_owner, "use": by_owner, "good_thing": by_owner}
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_daily_check_in_day"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    day: date = Field(index=True)
    mood: int = sealed_field(default=None, nullable=True)  # 1 to 5
    craving: int = sealed_field(default=None, nullable=True)  # 0 to 10
    sleep: str = sealed_field(default="", nullable=True)  # poor, ok, good
    use: Optional[str] = sealed_field(default=None, nullable=True)  # none, less, usual, more; may be skipped
    good_thing: str = sealed_field(default="", nullable=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


@watch
class NextStep(SQLModel, table=True):
    """One step of "my next steps": an appointment, or what happens after a treatment, a
    prison term or a placement ends, with who is involved and who to call."""

    __tablename__ = "next_step"
    __sealed__ = {"kind": by_owner, "title": by_owner, "who": by_owner, "phone": by_owner, "note": by_owner}

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    kind: str = sealed_field(default="", nullable=True)
    title: str = sealed_field(default="", nullable=True)
    when_local: Optional[str] = Field(default=None, max_length=16)  # "2027-03-31T14:30", the person's wall time
    who: str = sealed_field(default="", nullable=True)
    phone: str = sealed_field(default="", nullable=True)
    note: str = sealed_field(default="", nullable=True)
    done_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)
