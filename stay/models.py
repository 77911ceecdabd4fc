"""Tables of "Stay with me": a check-on-me timer the server runs (its state and the time it
next moves on), and the people it tells. The client's own note is sealed by their key; each
chosen person's copy by the link key of their contact with the client ("c<contact id>"),
so only the client and that person read it, never the server alone. A peer supporter on
duty who is not the client's contact gets a row with no note at all."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint, or_, select
from sqlmodel import Field, SQLModel

from accounts.models import parent_fk, user_fk
from accounts.sealing import sealed_field, watch
from extensions import utcnow
from peer.models import by_link

# running: the time runs; asked: the phone was asked "Are you OK?"; alerted: the chosen
# people were told; on_it: one of them said "I'm on it"; escalated: told again (and the
# peer supporters on duty, if the client allowed it); ended: the client ended it.
STATES = ("running", "asked", "alerted", "on_it", "escalated", "ended")


@watch
class StayTimer(SQLModel, table=True):
    __tablename__ = "stay_timer"
    __sealed__ = {"note": lambda t: f"u{t.client_id}"}
    __table_args__ = (
        UniqueConstraint("client_id", "client_key", name="uq_stay_timer_client_key"),
        Index("ix_stay_timer_state_due_at", "state", "due_at"),
    )

    @staticmethod
    def __sealed_rows__(user_id: int):
        return StayTimer.client_id == user_id

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=user_fk())
    state: str = Field(default="running", max_length=16)
    minutes: int
    started_at: datetime = Field(default_factory=utcnow)
    ends_at: datetime
    due_at: Optional[datetime] = None  # when the server next moves it on; None: nothing more to do
    asked_at: Optional[datetime] = None
    alerted_at: Optional[datetime] = None
    on_it_at: Optional[datetime] = None
    escalated_at: Optional[datetime] = None
    ended_at: Optional[datetime] = None
    to_duty: bool = False  # the client allowed the peer supporters on duty to be told
    note: str = sealed_field(default="")  # where they are, how to get in: the client's own copy
    version: int = 0  # every move is an UPDATE … WHERE version = the one read: it happens once
    client_key: Optional[str] = Field(default=None, max_length=40)  # the form's one-time key


def _contact_ref() -> Column:
    return Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=True, index=True)


def _person_key(person) -> str | None:
    note = person.note
    if person.contact_id is None or note is None or (isinstance(note, str) and not note):
        return None
    return by_link(person.contact_id)


@watch
class StayPerson(SQLModel, table=True):
    """Someone a timer tells: a person the client chose (through their contact), or a peer
    supporter on duty (no contact, no note)."""

    __tablename__ = "stay_person"
    __sealed__ = {"note": _person_key}
    __table_args__ = (UniqueConstraint("timer_id", "user_id", name="uq_stay_person_timer_user"),)

    @staticmethod
    def __sealed_rows__(user_id: int):
        return or_(
            StayPerson.user_id == user_id,
            StayPerson.timer_id.in_(select(StayTimer.id).where(StayTimer.client_id == user_id)),
        )

    id: Optional[int] = Field(default=None, primary_key=True)
    timer_id: int = Field(sa_column=parent_fk("stay_timer"))
    contact_id: Optional[int] = Field(default=None, sa_column=_contact_ref())
    user_id: int = Field(sa_column=user_fk())  # the person told
    kind: str = Field(default="chosen", max_length=16)  # chosen, duty
    note: str = sealed_field(default="")
    alerted_at: Optional[datetime] = None
    on_it_at: Optional[datetime] = None
    told_ok_at: Optional[datetime] = None
