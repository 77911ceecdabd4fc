"""Tables of people: peer profiles, contacts, messages, support alerts, shared entries,
the access log and reports. A contact is the unit of permission: every view of another
person's data goes through one (peer/sharing.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Text,
    UniqueConstraint,
    or_,
    select,
    text,
)
from sqlmodel import Field, SQLModel

from accounts.models import parent_fk, user_fk, user_ref
from accounts.sealing import by_owner, sealed_field, watch
from extensions import utcnow


def by_link(contact_id: int | None) -> str | None:
    """The key of a contact's conversation ("link key"), held by both of its people."""
    return f"c{contact_id}" if contact_id is not None else None


def by_invitation(invitation_id: int | None) -> str | None:
    """The key of an invitation's own words, made from its code (never stored)."""
    return f"i{invitation_id}" if invitation_id is not None else None


def by_report(report_id: int | None) -> str | None:
    """A report's key, held by the reporter and the coordinators."""
    return f"r{report_id}" if report_id is not None else None


def _contacts_of(user_id: int):
    return select(Contact.id).where(or_(Contact.client_id == user_id, Contact.other_id == user_id))


def _reports_of(user_id: int):
    """Reports whose key this person has a copy of (the reporter, the coordinators)."""
    return select(ReportKey.report_id).where(ReportKey.user_id == user_id)


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
    stay_on_duty: bool = False  # "On duty for Stay with me": told when a timer is escalated (stay/)
    caseload: Optional[int] = None  # how many people they can carry; None: no limit set
    # Usual hours (peer/hours.py), in the service's time zone: weekdays "0,1,2,3,4" (Monday 0)
    # and "HH:MM" from and to; all empty when none are set.
    usual_days: str = Field(default="", max_length=20)
    usual_from: str = Field(default="", max_length=5)
    usual_to: str = Field(default="", max_length=5)
    updated_at: datetime = Field(default_factory=utcnow)


@watch
class Contact(SQLModel, table=True):
    """A link between a client and a peer supporter or a relative.

    The contact is the client's: it goes when they delete their account. When the other
    person deletes theirs, it ends and stays, with other_id NULL ("a deleted account").
    The client's name for a relative is sealed by the client's own key (only they see it);
    the note of a request, and the name a relative knows the client by (from the
    invitation), by the link key, made just after the row (peer/links.py)."""

    __tablename__ = "contact"
    __sealed__ = {
        "label": lambda c: f"u{c.client_id}",
        "request_note": lambda c: by_link(c.id),
        "client_name": lambda c: by_link(c.id),
    }

    @staticmethod
    def __sealed_rows__(user_id: int):
        return or_(Contact.client_id == user_id, Contact.other_id == user_id)

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=user_fk())
    other_id: Optional[int] = Field(default=None, sa_column=user_ref())  # None: the account is deleted
    kind: str = Field(default="peer", max_length=16)  # peer, relative
    status: str = Field(default="pending", max_length=16)  # pending, active, declined, ended, blocked
    request_note: str = sealed_field(default="")
    alerts: bool = True  # the client's "I need support now" reaches this contact
    # For a relative: the client's name for them, and what the client lets them see.
    label: str = sealed_field(default="")
    client_name: str = sealed_field(default="")  # for a relative: "Anna", as the invitation said
    share_checkin: bool = False
    share_plan: bool = False  # "my next steps", for a peer or a relative
    messaging: bool = True
    consent_changed_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)
    accepted_at: Optional[datetime] = None
    ended_at: Optional[datetime] = None
    ended_by: Optional[int] = None  # the user id of who ended it; cleared when that account is deleted
    last_message_at: Optional[datetime] = None


@watch
class Message(SQLModel, table=True):
    """One message, sealed by its conversation's link key: only its two people read it."""

    __tablename__ = "message"
    __sealed__ = {"body": lambda m: by_link(m.contact_id)}

    @staticmethod
    def __sealed_rows__(user_id: int):
        return Message.contact_id.in_(_contacts_of(user_id))

    __table_args__ = (
        Index("ix_message_contact_id_id", "contact_id", "id"),
        UniqueConstraint("contact_id", "client_key", name="uq_message_client_key"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=False))
    sender_id: Optional[int] = Field(default=None, sa_column=user_ref())  # None: the account is deleted
    body: str = sealed_field(default="")
    sent_at: datetime = Field(default_factory=utcnow)
    read_at: Optional[datetime] = None
    client_key: Optional[str] = Field(default=None, max_length=40)  # the form's one-time key


@watch
class SupportAlert(SQLModel, table=True):
    """The note is the client's (their own key); each person alerted reads their own copy
    of it in their delivery, sealed by the link key of that contact."""

    __tablename__ = "support_alert"
    __sealed__ = {"note": lambda a: f"u{a.client_id}"}

    @staticmethod
    def __sealed_rows__(user_id: int):
        return SupportAlert.client_id == user_id

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=user_fk())
    note: str = sealed_field(default="")
    raised_at: datetime = Field(default_factory=utcnow)
    answered_at: Optional[datetime] = None


@watch
class AlertDelivery(SQLModel, table=True):
    """Who an alert went to, when they saw it, and their copy of the client's note (sealed
    by the link key; an empty note is stored as nothing)."""

    __tablename__ = "alert_delivery"
    __sealed__ = {
        "note": lambda d: None if d.note is None or (isinstance(d.note, str) and not d.note) else by_link(d.contact_id)
    }

    id: Optional[int] = Field(default=None, primary_key=True)
    alert_id: int = Field(sa_column=parent_fk("support_alert"))
    contact_id: int = Field(sa_column=parent_fk("contact"))
    user_id: int = Field(sa_column=user_fk())  # the person alerted
    seen_at: Optional[datetime] = None
    note: str = sealed_field(default="")


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
    # For a share: the contact it went to (or was taken back from); the log names them.
    contact_id: Optional[int] = None
    at: datetime = Field(default_factory=utcnow, index=True)


@watch
class Report(SQLModel, table=True):
    """Stays with the coordinator when the reported person deletes their account; then it
    names no one (reported_id None) and quotes nothing of theirs."""

    __tablename__ = "report"
    __sealed__ = {"reason": lambda r: by_report(r.id), "reply": lambda r: by_report(r.id)}

    @staticmethod
    def __sealed_rows__(user_id: int):
        return or_(Report.user_id == user_id, Report.id.in_(_reports_of(user_id)))

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())  # the reporter
    reported_id: Optional[int] = Field(default=None, sa_column=user_ref())  # None: the account is deleted
    reason: str = sealed_field(default="")
    created_at: datetime = Field(default_factory=utcnow)
    handled_at: Optional[datetime] = None  # closed by a coordinator, with an outcome
    # A coordinator's answer to the reporter: sealed by the report's key, which the reporter
    # and the coordinators hold; the outcome is a plain key of peer/reports.py OUTCOMES.
    reply: str = sealed_field(default="")
    replied_at: Optional[datetime] = None
    outcome: Optional[str] = Field(default=None, max_length=24)


@watch
class ReportItem(SQLModel, table=True):
    """A copy of one message the reporter chose to include; nothing else is shown. It goes
    with its sender's account, whichever of the two people wrote it. Sealed by the
    report's key: the coordinators read it, never the conversation it came from."""

    __tablename__ = "report_item"
    __sealed__ = {"body": lambda i: by_report(i.report_id)}

    @staticmethod
    def __sealed_rows__(user_id: int):
        return or_(ReportItem.user_id == user_id, ReportItem.report_id.in_(_reports_of(user_id)))

    id: Optional[int] = Field(default=None, primary_key=True)
    report_id: int = Field(sa_column=parent_fk("report"))
    user_id: int = Field(sa_column=user_fk())  # the reporter
    sender_id: int = Field(sa_column=user_fk())  # who wrote the message (the reporter or the reported person)
    body: str = sealed_field(default="")
    sent_at: datetime


class GoalShare(SQLModel, table=True):
    """A goal whose progress (only) a relative may see."""

    __tablename__ = "goal_share"

    id: Optional[int] = Field(default=None, primary_key=True)
    goal_id: int = Field(sa_column=parent_fk("goal"))
    contact_id: int = Field(sa_column=parent_fk("contact"))
    user_id: int = Field(sa_column=user_fk())  # the client


@watch
class Invitation(SQLModel, table=True):
    """A single-use invitation for someone close to the client, valid for 7 days. The
    label (the client's name for them) is sealed by the client's key; the personal line
    and the name they know the client by, by a key made from the code (peer/relatives.py):
    only whoever has the link opens them, the server alone cannot."""

    __tablename__ = "invitation"
    __sealed__ = {"label": by_owner, "note": lambda i: by_invitation(i.id), "from_name": lambda i: by_invitation(i.id)}

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())  # the client who invites
    code_hash: str = Field(max_length=64, unique=True, index=True)
    label: str = sealed_field(default="")
    note: str = sealed_field(default="")  # the client's personal line to them
    from_name: str = sealed_field(default="")  # how they know the client ("Anna")
    share_checkin: bool = False
    goal_ids: str = Field(default="", max_length=400)  # comma separated
    alerts: bool = False
    messaging: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: Optional[datetime] = None


@watch
class RelativeNote(SQLModel, table=True):
    """A relative's own notes: only they can read them (their own key)."""

    __tablename__ = "relative_note"
    __sealed__ = {"text": by_owner}

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    text: str = sealed_field(default="")
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


class ContactKey(SQLModel, table=True):
    """A conversation's key ("c<contact id>"), sealed to one of its two people's public key.
    Made with the contact; someone whose account had no keys yet gets their copy after
    their next login, from the other person (peer/links.py)."""

    __tablename__ = "contact_key"
    __table_args__ = (PrimaryKeyConstraint("contact_id", "user_id"),)

    contact_id: int = Field(sa_column=parent_fk("contact"))
    user_id: int = Field(sa_column=user_fk())
    sealed: str = Field(sa_column=Column(Text, nullable=False))


class ReportKey(SQLModel, table=True):
    """A report's key ("r<report id>"), sealed to the reporter's and each coordinator's
    public key (peer/reports.py)."""

    __tablename__ = "report_key"
    __table_args__ = (PrimaryKeyConstraint("report_id", "user_id"),)

    report_id: int = Field(sa_column=parent_fk("report"))
    user_id: int = Field(sa_column=user_fk())
    sealed: str = Field(sa_column=Column(Text, nullable=False))


class Handover(SQLModel, table=True):
    """A suggestion that a colleague continues with a client (peer/handover.py): made by the
    peer supporter or a coordinator, answered by the client alone. It holds no words: the
    goodbye is a Message of the old conversation (`message_id`), sealed by its link key.
    At most one suggestion per contact is open (outcome NULL) at a time."""

    __tablename__ = "handover"
    __table_args__ = (
        Index(
            "uq_handover_open_contact",
            "contact_id",
            unique=True,
            sqlite_where=text("outcome IS NULL"),
            postgresql_where=text("outcome IS NULL"),
        ),
        UniqueConstraint("contact_id", "client_key", name="uq_handover_client_key"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=parent_fk("contact"))  # the old contact, the client's
    from_id: Optional[int] = Field(default=None, sa_column=user_ref())  # the peer supporter who steps back
    to_id: Optional[int] = Field(default=None, sa_column=user_ref())  # the colleague suggested
    proposed_by: Optional[int] = Field(default=None, sa_column=user_ref())  # the peer supporter or a coordinator
    message_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("message.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow)
    answered_at: Optional[datetime] = None
    outcome: Optional[str] = Field(default=None, max_length=16)  # accepted, declined, withdrawn, void
    new_contact_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True)
    )
    client_key: Optional[str] = Field(default=None, max_length=40)  # the form's one-time key: a retry asks once


@watch
class PeerNote(SQLModel, table=True):
    """A peer supporter's private note about one person they support, sealed by the peer's
    own key: only they read it. The client never sees it and a coordinator never reaches
    it (peer/notes_private.py). It goes with the contact and with either account."""

    __tablename__ = "peer_note"
    __sealed__ = {"text": by_owner}
    __table_args__ = (UniqueConstraint("contact_id", "user_id", name="uq_peer_note_contact_user"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=parent_fk("contact"))
    user_id: int = Field(sa_column=user_fk())  # the peer supporter who wrote it
    text: str = sealed_field(default="")
    updated_at: datetime = Field(default_factory=utcnow)
