"""The rules of messages: one conversation per contact, plain text sealed by the contact's
link key (peer/links.py), "seen" marks, unread counts, the peer's inbox, and cheap change
tags for polling (ETag / 304)."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, or_, update
from sqlmodel import Session, select
from werkzeug.http import parse_etags

from accounts.models import User
from accounts.sealing import SealError, Unopened
from extensions import commit_once, utcnow

from . import alerts, links, notes_private, signals
from .errors import PeerError
from .models import AlertDelivery, Contact, Message, SupportAlert

BODY_MAX = 4000
SHOWN = 100  # the newest messages shown at once


def send(
    session: Session,
    sender: User,
    contact: Contact,
    body: str,
    client_key: str | None = None,
    answers_alerts: bool = True,
) -> Message:
    """Send a message. The form's one-time key (`client_key`) makes a retry or a double tap
    give back the message already sent instead of a second one. A peer supporter's message
    answers the client's open support alerts, unless `answers_alerts` is False (a handover's
    goodbye is no answer to someone who needs support now)."""
    if sender.id not in (contact.client_id, contact.other_id):
        raise PeerError("unknown", None)
    if contact.status != "active" or contact.other_id is None:
        raise PeerError("contact_closed", "body")
    if contact.kind == "relative" and not contact.messaging:
        raise PeerError("messaging_off", "body")
    body = (body or "").strip()
    if not body:
        raise PeerError("message_empty", "body")
    if len(body) > BODY_MAX:
        raise PeerError("message_long", "body")
    if client_key and (earlier := _by_key(session, contact, client_key)) is not None:
        return earlier
    if not links.open_for_writing(session, contact):
        raise PeerError("link_waiting", "body")
    now = utcnow()
    message = Message(contact_id=contact.id, sender_id=sender.id, body=body, sent_at=now, client_key=client_key)
    contact.last_message_at = now
    session.add_all([message, contact])
    if sender.id == contact.other_id and answers_alerts:
        _answer_alerts(session, contact, now)
    if (earlier := commit_once(session, lambda: _by_key(session, contact, client_key))) is not None:
        return earlier
    recipient = contact.client_id if sender.id == contact.other_id else contact.other_id
    signals.message_created.send(message_id=message.id, contact_id=contact.id, recipient_id=recipient)
    return message


def _by_key(session: Session, contact: Contact, client_key: str | None) -> Message | None:
    if not client_key:
        return None
    return session.exec(
        select(Message).where(Message.contact_id == contact.id, Message.client_key == client_key)
    ).first()


def _answer_alerts(session: Session, contact: Contact, now: datetime) -> None:
    """A reply from someone an open alert reached answers that alert."""
    alerts = session.exec(
        select(SupportAlert)
        .join(AlertDelivery, AlertDelivery.alert_id == SupportAlert.id)
        .where(AlertDelivery.contact_id == contact.id, SupportAlert.answered_at.is_(None))
    ).all()
    for alert in alerts:
        alert.answered_at = now
        session.add(alert)


def can_write(contact: Contact) -> bool:
    """Whether a new message may be written in this conversation now (send() says why not)."""
    return (
        contact.status == "active"
        and contact.other_id is not None
        and (contact.kind != "relative" or contact.messaging)
    )


def conversation(session: Session, contact: Contact, limit: int = SHOWN) -> tuple[list[Message], bool]:
    """The newest `limit` messages, oldest first, and whether there are earlier ones."""
    rows = list(
        session.exec(
            select(Message).where(Message.contact_id == contact.id).order_by(Message.id.desc()).limit(limit + 1)
        )
    )
    return list(reversed(rows[:limit])), len(rows) > limit


def readable(shown: list[Message]) -> tuple[list[Message], bool]:
    """The messages the current person can open now, and whether any wait for their copy
    of the link key (it comes at the other person's next visit). A changed message is not
    left out: reading it raises SealBroken, and the page says so."""
    opened = [message for message in shown if type(message.__dict__.get("body")) is not Unopened]
    return opened, len(opened) < len(shown)


def _not_from(user: User):
    """Written by the other person, who may be a deleted account (sender_id NULL)."""
    return Message.sender_id.is_distinct_from(user.id)


def mark_read(session: Session, contact: Contact, reader: User) -> None:
    marked = session.exec(
        update(Message)
        .where(Message.contact_id == contact.id, _not_from(reader), Message.read_at.is_(None))
        .values(read_at=utcnow())
    ).rowcount
    session.commit()
    if marked:  # the writer's open conversation shows "Seen" at once (live/)
        writer = contact.other_id if reader.id == contact.client_id else contact.client_id
        signals.messages_read.send(contact_id=contact.id, recipient_id=writer)


def tag_query(contact_id=None):
    """What a conversation's change tag is made of: one indexed query on the message table
    (the fast path of peer/fast_poll.py runs the very same statement)."""
    return select(
        func.max(Message.id), func.max(Message.read_at), func.count(Message.id).filter(Message.read_at.is_(None))
    ).where(Message.contact_id == (bindparam("contact_id") if contact_id is None else contact_id))


def tag_of(contact_id: int, viewer_id: int, status: str, row) -> str:
    newest, seen, count_unread = row
    raw = f"{contact_id}:{viewer_id}:{status}:{newest}:{seen}:{count_unread}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def change_tag(session: Session, contact: Contact, viewer: User) -> str:
    """A tag that changes whenever what the viewer would see changes: a new message, a
    "seen" mark, or the contact's status."""
    return tag_of(contact.id, viewer.id, contact.status, session.exec(tag_query(contact.id)).one())


def _seen_of_own(session: Session, contact: Contact, viewer: User):
    """When the other person last read one of the viewer's messages: the one change to older
    messages the viewer's page shows ("Seen")."""
    return session.exec(
        select(func.max(Message.read_at)).where(Message.contact_id == contact.id, Message.sender_id == viewer.id)
    ).one()


@dataclass
class Shown:
    """What a page that sent back its tag shows, while that is still all there is."""

    newest_id: int
    seen: object  # _seen_of_own when the tag was checked


def still_shown(session: Session, contact: Contact, viewer: User, shown: str | None) -> Shown | None:
    """A page's tag (the ETag it holds, sent back) checked against now: when it still names
    all there is, the page needs only what comes after its newest message. None when
    anything changed since, or it shows no message yet (then it gets the whole list)."""
    if not shown:
        return None
    row = session.exec(tag_query(contact.id)).one()
    if row[0] is None or not parse_etags(shown).contains_weak(tag_of(contact.id, viewer.id, contact.status, row)):
        return None
    return Shown(row[0], _seen_of_own(session, contact, viewer))


def added_since(
    session: Session, contact: Contact, viewer: User, shown: Shown
) -> tuple[list[Message], datetime] | None:
    """The messages after what the page shows, oldest first, and when its newest was sent
    (for the line that starts a new day). None when the page's "Seen" marks went out of date
    meanwhile: then it needs the whole list after all."""
    if _seen_of_own(session, contact, viewer) != shown.seen:
        return None
    newer = list(
        session.exec(
            select(Message).where(Message.contact_id == contact.id, Message.id > shown.newest_id).order_by(Message.id)
        )
    )
    sent_at = session.exec(select(Message.sent_at).where(Message.id == shown.newest_id)).one()
    return newer, sent_at


def unread_query(user_id=None):
    """The number of messages to `user_id` not read yet (the badge; also run by the fast path,
    with user_id as a bound parameter)."""
    if user_id is None:
        user_id = bindparam("user_id")
    return (
        select(func.count(Message.id))
        .join(Contact, Contact.id == Message.contact_id)
        .where(
            or_(Contact.client_id == user_id, Contact.other_id == user_id),
            Message.sender_id.is_distinct_from(user_id),
            Message.read_at.is_(None),
        )
    )


def unread_count(session: Session, user: User) -> int:
    return session.exec(unread_query(user.id)).one()


def unread_by_contact(session: Session, user: User) -> dict[int, int]:
    rows = session.exec(
        select(Message.contact_id, func.count(Message.id))
        .join(Contact, Contact.id == Message.contact_id)
        .where(
            or_(Contact.client_id == user.id, Contact.other_id == user.id), _not_from(user), Message.read_at.is_(None)
        )
        .group_by(Message.contact_id)
    ).all()
    return dict(rows)


PREVIEW_MAX = 120  # characters of a waiting message's first line in the inbox


def initial_of(name: str | None) -> str:
    """The round initial of an inbox row: the first letter or digit of the name, leaving
    out emoji, direction marks and other signs; "?" when there is none."""
    for char in unicodedata.normalize("NFC", name or ""):
        if char.isalnum():
            upper = char.upper()
            return upper if len(upper) == 1 else char
    return "?"


def first_line(message: Message | None) -> str | None:
    """The first line of a message, shortened for a row; None when it does not open for
    the reader (their copy of the link key comes at the other person's next visit) or
    was changed after sealing: the page says "New message" then, never guesses."""
    if message is None or isinstance(message.__dict__.get("body"), Unopened):
        return None
    try:
        text = str(message.body)
    except SealError:
        return None
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= PREVIEW_MAX else line[: PREVIEW_MAX - 1].rstrip() + "…"


@dataclass
class InboxRow:
    contact: Contact
    client: User
    waiting_since: datetime | None  # the client's first message the peer has not answered
    last: Message | None
    unread: int
    waiting: Message | None = None  # the newest of the client's messages that wait
    alert: object | None = None  # the oldest open support alert reaching the peer here (alerts.OpenAlert)
    noted: bool = False  # the peer keeps a private note about this person

    @property
    def is_new(self) -> bool:
        """An active contact with no message yet (a new person, or one handed over): it
        waits for the peer supporter's first hello."""
        return self.contact.status == "active" and self.last is None

    @property
    def waited(self):
        since = self.alert.alert.raised_at if self.alert is not None else self.waiting_since
        if since is None and self.is_new:
            since = self.contact.accepted_at or self.contact.created_at
        return utcnow() - since if since else None

    @property
    def needs_answer(self) -> bool:
        """What "Waiting" shows: a message waits for the peer, a support alert is open, or
        someone new waits for a first hello."""
        return self.alert is not None or self.waiting_since is not None or self.is_new

    @property
    def initial(self) -> str:
        return initial_of(self.client.handle)

    @property
    def preview(self) -> str | None:
        """The first line of the message that waits (else of the newest one)."""
        return first_line(self.waiting or self.last)


def _recent(session: Session, contact: Contact) -> list:
    """The newest 50 messages' id, sender and time (no text: only one row is opened)."""
    return list(
        session.exec(
            select(Message.id, Message.sender_id, Message.sent_at)
            .where(Message.contact_id == contact.id)
            .order_by(Message.id.desc())
            .limit(50)
        )
    )


def inbox(session: Session, peer: User, open_alerts: list | None = None) -> list[InboxRow]:
    """Every active or past conversation of the peer: those with an open support alert
    pinned on top (the oldest alert first), then who has waited longest, then the rest
    (the latest conversation first, ended ones last)."""
    if open_alerts is None:
        open_alerts = alerts.open_alerts_for(session, peer)
    alert_of: dict[int, object] = {}
    for item in sorted(open_alerts, key=lambda item: _naive(item.alert.raised_at)):
        alert_of.setdefault(item.delivery.contact_id, item)
    contacts = session.exec(
        select(Contact, User)
        .join(User, User.id == Contact.client_id)
        .where(Contact.other_id == peer.id, Contact.status.in_(("active", "ended", "blocked")))
    ).all()
    unread = unread_by_contact(session, peer)
    noted = notes_private.noted_contacts(session, peer)
    rows = []
    for contact, client in contacts:
        recent = _recent(session, contact)
        waiting_id = waiting = None
        for message_id, sender_id, sent_at in recent:  # newest first: the run of client messages at the end
            if sender_id == peer.id:
                break
            waiting_id = waiting_id or message_id
            waiting = sent_at
        if contact.status != "active":
            waiting_id = waiting = None
        newest = session.get(Message, recent[0][0]) if recent else None  # the one message opened
        rows.append(
            InboxRow(
                contact,
                client,
                waiting,
                newest,
                unread.get(contact.id, 0),
                waiting=newest if waiting_id else None,
                alert=alert_of.get(contact.id),
                noted=contact.id in noted,
            )
        )
    far_future = datetime.max

    def order(row: InboxRow):
        alert = _naive(row.alert.alert.raised_at) if row.alert is not None else far_future
        waiting = _naive(row.waiting_since) if row.waiting_since else far_future
        last = _naive(row.contact.last_message_at or row.contact.accepted_at or row.contact.created_at)
        return (
            row.alert is None,
            alert,
            row.waiting_since is None,
            waiting,
            not row.is_new,
            row.contact.status != "active",
            -last.timestamp(),
        )

    return sorted(rows, key=order)


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)
