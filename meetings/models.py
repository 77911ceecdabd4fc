"""Tables of a meeting with the authorities: the client's preparation and what came of it,
a peer supporter asked to come along (a bisidder), and the times of its reminders."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, ForeignKey, Integer, or_, select
from sqlmodel import Field, SQLModel

from accounts.models import parent_fk, user_fk
from accounts.sealing import by_owner, sealed_field, watch
from extensions import utcnow
from peer.models import by_link


@watch
class Meeting(SQLModel, table=True):
    """One per appointment of "my next steps" (the step holds the title, the time, who).
    Everything the person wrote or chose is sealed by their own key: the kind of meeting
    too, since "the prison and probation service" says something about them."""

    __tablename__ = "meeting"
    __sealed__ = {
        name: by_owner
        for name in ("kind", "say", "ask", "want", "bring", "decided", "next_who", "received_on", "country")
    }

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    step_id: int = Field(
        sa_column=Column(Integer, ForeignKey("next_step.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    kind: str = sealed_field(default="")
    say: str = sealed_field(default="")  # what I want to say
    ask: str = sealed_field(default="")  # what I want to ask
    want: str = sealed_field(default="")  # what I want to happen
    bring: str = sealed_field(default="")  # what I bring
    decided: str = sealed_field(default="")  # after: what was decided
    next_who: str = sealed_field(default="")  # after: who does what next
    received_on: str = sealed_field(default="")  # after: the day the decision came, "2027-03-31"
    country: str = sealed_field(default="")  # whose rules counted the appeal deadline: SE, DK
    remind: bool = True  # the client's reminders the day before and two hours before
    remind_deadline: bool = True  # the client's reminders a week and two days before the appeal deadline
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


def _along_key(row) -> str | None:
    return by_link(row.contact_id)


@watch
class Along(SQLModel, table=True):
    """The client's question to one of their peer supporters: come along to this meeting.
    One per meeting; asking someone else replaces it. The words are sealed by the link key
    of that contact, which both of them hold: where, what the client wants of them, and,
    only while the client shares it, a copy of the preparation."""

    __tablename__ = "meeting_along"
    __sealed__ = {"place": _along_key, "role": _along_key, "note": _along_key, "prep": _along_key}

    @staticmethod
    def __sealed_rows__(user_id: int):
        from peer.models import Contact

        return Along.contact_id.in_(
            select(Contact.id).where(or_(Contact.client_id == user_id, Contact.other_id == user_id))
        )

    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(
        sa_column=Column(Integer, ForeignKey("meeting.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    contact_id: int = Field(sa_column=parent_fk("contact"))
    status: str = Field(default="asked", max_length=12)  # asked, yes, no, cancelled
    place: str = sealed_field(default="")
    role: str = sealed_field(default="")  # be_there, notes, speak (comma-separated)
    note: str = sealed_field(default="")
    prep: str = sealed_field(default="")  # the shared preparation (JSON), or empty
    share_prep: bool = False
    when_local: Optional[str] = Field(default=None, max_length=16)  # the step's, kept for the peer's view
    time_zone: str = Field(default="Europe/Stockholm", max_length=64)  # the client's
    client_key: Optional[str] = Field(default=None, max_length=40)
    asked_at: datetime = Field(default_factory=utcnow)
    answered_at: Optional[datetime] = None


class MeetingReminder(SQLModel, table=True):
    """One push at one moment to one of the meeting's people. Holds no words: the push says
    "A reminder" and opens the meeting. `sent_at` is claimed by one compare-and-set, so two
    workers send it once."""

    __tablename__ = "meeting_reminder"

    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(sa_column=parent_fk("meeting"))
    user_id: int = Field(sa_column=user_fk())
    fire_at: datetime = Field(index=True)
    sent_at: Optional[datetime] = None
