"""The rules of messages: one conversation per contact, plain text sealed by the contact's
link key (peer/links.py), "seen" marks, unread counts, the peer's inbox, and cheap change
tags for polling (ETag / 304)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, or_, update
from sqlmodel import Session, select
from werkzeug.http import parse_etags

from accounts.models import User
from accounts.sealing import Unopened
from extensions import commit_once, utcnow

from . import links, signals
from .errors import PeerError
from .models import AlertDelivery, Contact, Message, SupportAlert

BODY_MAX = 4000
SHOWN = 100  # the newest messages shown at once


def send(session: Session, sender: User, contact: Contact, body: str, client_key: str | None = None) -> Message:
    """Send a message. The form's one-time key (`client_key`) makes a retry or a double tap
    give back the message already sent instead of a second one."""
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
    if sender.id == contact.other_id:
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


@dataclass
class InboxRow:
    contact: Contact
    client: User
    waiting_since: datetime | None  # the client's first message the peer has not answered
    last: Message | None
    unread: int

    @property
    def waited(self):
        return utcnow() - self.waiting_since if self.waiting_since else None


def inbox(session: Session, peer: User) -> list[InboxRow]:
    """Every active or past conversation of the peer; those waiting longest first."""
    contacts = session.exec(
        select(Contact, User)
        .join(User, User.id == Contact.client_id)
        .where(Contact.other_id == peer.id, Contact.status.in_(("active", "ended", "blocked")))
    ).all()
    unread = unread_by_contact(session, peer)
    rows = []
    for contact, client in contacts:
        messages = list(
            session.exec(select(Message).where(Message.contact_id == contact.id).order_by(Message.id.desc()).limit(50))
        )
        waiting = None
        for message in messages:  # newest first: the run of client messages at the end
            if message.sender_id == peer.id:
                break
            waiting = message.sent_at
        rows.append(
            InboxRow(
                contact,
                client,
                waiting if contact.status == "active" else None,
                messages[0] if messages else None,
                unread.get(contact.id, 0),
            )
        )
    far_future = datetime.max.replace(tzinfo=None)

    def order(row: InboxRow):
        waiting = row.waiting_since.replace(tzinfo=None) if row.waiting_since else far_future
        last = row.last.sent_at.replace(tzinfo=None).timestamp() if row.last else 0
        return (row.contact.status != "active", row.waiting_since is None, waiting, -last)

    return sorted(rows, key=order)
