"""Tables of people: peer profiles, contacts, messages, support alerts, shared entries,
the access log and reports. A contact is the unit of permission: every view of another
person's data goes through one (peer/sharing.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from accounts.models import parent_fk, user_fk, user_ref
from extensions import utcnow


class PeerProfile(SQLModel, table=True):
    __tablename__ = "peer_profile"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk(unique=True))
    display_name: str = Field(max_length=60)
    about: str = Field(default="", max_length=1500)
    topics: str = Field(default="", max_length=400)  # keys, comma separated
    gender: str = Field(default="", max_length=16)
    languages: str = Field(default="", max_length=100)  # codes, comma separated
    hours: str = Field(default="", max_length=200)
    taking_new: bool = True
    available: bool = True
    away_note: str = Field(default="", max_length=200)
    paused: bool = False  # by a coordinator: not listed, no new contacts
    updated_at: datetime = Field(default_factory=utcnow)


class Contact(SQLModel, table=True):
    """A link between a client and a peer supporter or a relative.

    The contact is the client's: it goes when they delete their account. When the other
    person deletes theirs, it ends and stays, with other_id NULL ("a deleted account")."""

    __tablename__ = "contact"

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=user_fk())
    other_id: Optional[int] = Field(default=None, sa_column=user_ref())  # None: the account is deleted
    kind: str = Field(default="peer", max_length=16)  # peer, relative
    status: str = Field(default="pending", max_length=16)  # pending, active, declined, ended, blocked
    request_note: str = Field(default="", max_length=500)
    alerts: bool = True  # the client's "I need support now" reaches this contact
    # For a relative: the client's name for them, and what the client lets them see.
    label: str = Field(default="", max_length=60)
    share_checkin: bool = False
    share_plan: bool = False  # "my next steps", for a peer or a relative
    messaging: bool = True
    consent_changed_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)
    accepted_at: Optional[datetime] = None
    ended_at: Optional[datetime] = None
    ended_by: Optional[int] = None  # the user id of who ended it; cleared when that account is deleted
    last_message_at: Optional[datetime] = None


class Message(SQLModel, table=True):
    __tablename__ = "message"
    __table_args__ = (
        Index("ix_message_contact_id_id", "contact_id", "id"),
        UniqueConstraint("contact_id", "client_key", name="uq_message_client_key"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=False))
    sender_id: Optional[int] = Field(default=None, sa_column=user_ref())  # None: the account is deleted
    body: str = Field(max_length=4000)
    sent_at: datetime = Field(default_factory=utcnow)
    read_at: Optional[datetime] = None
    client_key: Optional[str] = Field(default=None, max_length=40)  # the form's one-time key


class SupportAlert(SQLModel, table=True):
    __tablename__ = "support_alert"

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=user_fk())
    note: str = Field(default="", max_length=300)
    raised_at: datetime = Field(default_factory=utcnow)
    answered_at: Optional[datetime] = None


class AlertDelivery(SQLModel, table=True):
    """Who an alert went to, and when they saw it."""

    __tablename__ = "alert_delivery"

    id: Optional[int] = Field(default=None, primary_key=True)
    alert_id: int = Field(sa_column=parent_fk("support_alert"))
    contact_id: int = Field(sa_column=parent_fk("contact"))
    user_id: int = Field(sa_column=user_fk())  # the person alerted
    seen_at: Optional[datetime] = None


class EntryShare(SQLModel, table=True):
    __tablename__ = "entry_share"

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(sa_column=parent_fk("diary_entry"))
    contact_id: int = Field(sa_column=parent_fk("contact"))
    user_id: int = Field(sa_column=user_fk())  # the author who shared it
    shared_at: datetime = Field(default_factory=utcnow)


class AccessEvent(SQLModel, table=True):
    """The owner's log: who looked at what they shared, and every change of sharing."""

    __tablename__ = "access_event"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())  # whose data
    actor_id: Optional[int] = Field(default=None, sa_column=user_ref())  # who looked or changed it; None: deleted
    action: str = Field(max_length=16)  # viewed, shared, unshared, consent_on, consent_off
    what: str = Field(max_length=16)  # entry, checkin, goal; for consent: share_checkin, alerts, messaging, goal
    object_id: int
    at: datetime = Field(default_factory=utcnow, index=True)


class Report(SQLModel, table=True):
    """Stays with the coordinator when the reported person deletes their account; then it
    names no one (reported_id None) and quotes nothing of theirs."""

    __tablename__ = "report"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())  # the reporter
    reported_id: Optional[int] = Field(default=None, sa_column=user_ref())  # None: the account is deleted
    reason: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    handled_at: Optional[datetime] = None


class ReportItem(SQLModel, table=True):
    """A copy of one message the reporter chose to include; nothing else is shown. It goes
    with its sender's account, whichever of the two people wrote it."""

    __tablename__ = "report_item"

    id: Optional[int] = Field(default=None, primary_key=True)
    report_id: int = Field(sa_column=parent_fk("report"))
    user_id: int = Field(sa_column=user_fk())  # the reporter
    sender_id: int = Field(sa_column=user_fk())  # who wrote the message (the reporter or the reported person)
    body: str = Field(max_length=4000)
    sent_at: datetime


class GoalShare(SQLModel, table=True):
    """A goal whose progress (only) a relative may see."""

    __tablename__ = "goal_share"

    id: Optional[int] = Field(default=None, primary_key=True)
    goal_id: int = Field(sa_column=parent_fk("goal"))
    contact_id: int = Field(sa_column=parent_fk("contact"))
    user_id: int = Field(sa_column=user_fk())  # the client


class Invitation(SQLModel, table=True):
    """A single-use invitation for someone close to the client, valid for 7 days."""

    __tablename__ = "invitation"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())  # the client who invites
    code_hash: str = Field(max_length=64, unique=True, index=True)
    label: str = Field(max_length=60)
    share_checkin: bool = False
    goal_ids: str = Field(default="", max_length=400)  # comma separated
    alerts: bool = False
    messaging: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: Optional[datetime] = None


class RelativeNote(SQLModel, table=True):
    """A relative's own notes: only they can read them."""

    __tablename__ = "relative_note"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    text: str = Field(max_length=5000)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SharedCopy(SQLModel, table=True):
    """What a client shares with one contact, sealed to that contact's public key at the
    moment of sharing (libsodium's sealed box): only the recipient's own key opens it, and
    it holds exactly what they may see (peer/copies.py). A singleton (the check-in sign,
    the plan) has ref_id 0, so the unique key holds on every database."""

    __tablename__ = "shared_copy"
    __table_args__ = (UniqueConstraint("contact_id", "what", "ref_id", name="uq_shared_copy_contact_what_ref"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=parent_fk("contact"))
    owner_id: int = Field(sa_column=user_fk())  # the client whose things these are
    recipient_id: int = Field(sa_column=user_fk())  # the only person whose key opens it
    what: str = Field(max_length=16)  # entry, goal, checkin, plan
    ref_id: int = Field(default=0, index=True)  # the entry's or goal's id; 0 for checkin and plan
    sealed: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
