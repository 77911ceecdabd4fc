"""The rules of contacts: asking a peer supporter, accepting, declining, ending, blocking.

A contact always has a client (who decides what is shared) and the other person. Ending
or blocking stops new messages; the history stays readable for both."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, select

from accounts.models import User
from extensions import utcnow

from . import signals
from .models import Contact
from .profiles import PeerError, listed_peer

NOTE_MAX = 500
OPEN = ("pending", "active")


def other_person(session: Session, contact: Contact, user) -> User:
    return session.get(User, contact.other_id if user.id == contact.client_id else contact.client_id)


def request_peer(session: Session, client: User, peer_id: int, note: str = "") -> Contact:
    if client.role != "client":
        raise PeerError("unknown", None)
    card = listed_peer(session, peer_id)
    if card is None or not card.profile.taking_new:
        raise PeerError("peer_unavailable", None)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise PeerError("request_note_long", "note")
    existing = session.exec(select(Contact).where(Contact.client_id == client.id, Contact.other_id == peer_id,
                                                  Contact.status.in_(OPEN + ("blocked",)))).first()
    if existing is not None:
        raise PeerError("already_contact", None)
    contact = Contact(client_id=client.id, other_id=peer_id, kind="peer", request_note=note)
    session.add(contact)
    session.commit()
    signals.contact_requested.send(contact_id=contact.id, recipient_id=peer_id)
    return contact


def _answer(session: Session, peer: User, contact: Contact, accept: bool) -> Contact:
    if contact.other_id != peer.id or contact.status != "pending":
        raise PeerError("not_pending", None)
    contact.status = "active" if accept else "declined"
    contact.accepted_at = utcnow() if accept else None
    session.add(contact)
    session.commit()
    if accept:
        signals.contact_accepted.send(contact_id=contact.id, recipient_id=contact.client_id)
    return contact


def accept(session: Session, peer: User, contact: Contact) -> Contact:
    return _answer(session, peer, contact, True)


def decline(session: Session, peer: User, contact: Contact) -> Contact:
    return _answer(session, peer, contact, False)


def end(session: Session, user: User, contact: Contact) -> Contact:
    if contact.status not in OPEN:
        raise PeerError("not_open", None)
    contact.status, contact.ended_at, contact.ended_by = "ended", utcnow(), user.id
    session.add(contact)
    session.commit()
    return contact


def block(session: Session, user: User, contact: Contact) -> Contact:
    if contact.status == "blocked":
        return contact
    contact.status, contact.ended_at, contact.ended_by = "blocked", utcnow(), user.id
    session.add(contact)
    session.commit()
    return contact


def set_alerts(session: Session, client: User, contact: Contact, on: bool) -> None:
    if contact.client_id != client.id:
        raise PeerError("unknown", None)
    contact.alerts = bool(on)
    session.add(contact)
    session.commit()


@dataclass
class ContactRow:
    contact: Contact
    other: User
    unread: int = 0


def contacts_of(session: Session, user: User) -> list[ContactRow]:
    rows = session.exec(select(Contact, User).join(User, or_(
        (Contact.client_id == user.id) & (User.id == Contact.other_id),
        (Contact.other_id == user.id) & (User.id == Contact.client_id),
    )).order_by(Contact.created_at.desc(), Contact.id.desc())).all()
    return [ContactRow(contact, other) for contact, other in rows]


def active_as_client(session: Session, client: User) -> list[ContactRow]:
    """The client's own active contacts: the people they can share with or message now."""
    return [row for row in contacts_of(session, client)
            if row.contact.status == "active" and row.contact.client_id == client.id]


def pending_for_peer(session: Session, peer: User) -> list[ContactRow]:
    return [row for row in contacts_of(session, peer) if row.contact.status == "pending"
            and row.contact.other_id == peer.id]
