"""The rules of contacts: asking a peer supporter, accepting, declining, ending, blocking.

A contact always has a client (who decides what is shared) and the other person. Ending
or blocking stops new messages; the history stays readable for both. When the other
person deletes their account the contact ends and stays the client's, with other_id None:
"a deleted account"."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import case, delete, or_, update
from sqlmodel import Session, select

from accounts.models import User
from accounts.permissions import CLIENT, PEER
from accounts.service import before_account_deleted
from extensions import utcnow

from . import links, signals
from .errors import PeerError
from .models import Contact, PeerProfile, SharedCopy
from .profiles import hold_place, listed_peer

NOTE_MAX = 500
OPEN = ("pending", "active")


def other_person(session: Session, contact: Contact, user) -> User | None:
    """The other person of the contact; None when their account is deleted."""
    other_id = contact.other_id if user.id == contact.client_id else contact.client_id
    return session.get(User, other_id) if other_id is not None else None


@before_account_deleted
def _end_contacts_with(session: Session, user_id: int) -> None:
    """The person deletes their account: contacts where they are the other side end (the
    foreign key then clears other_id); their own contacts as a client go with them."""
    session.exec(
        update(Contact)
        .where(Contact.other_id == user_id, Contact.status.in_(OPEN))
        .values(status="ended", ended_at=utcnow(), ended_by=None)
    )
    session.exec(update(Contact).where(Contact.ended_by == user_id).values(ended_by=None))


def request_peer(session: Session, client: User, peer_id: int, note: str = "") -> Contact:
    if client.role != CLIENT:
        raise PeerError("unknown", None)
    card = listed_peer(session, client, peer_id)
    if card is None or not card.profile.taking_new:
        raise PeerError("peer_unavailable", None)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise PeerError("request_note_long", "note")
    if hold_place(session, peer_id) == 0:  # full, perhaps since the client's page was drawn
        session.rollback()  # let go of the lock at once
        raise PeerError("peer_full", None)
    existing = session.exec(
        select(Contact).where(
            Contact.client_id == client.id, Contact.other_id == peer_id, Contact.status.in_(OPEN + ("blocked",))
        )
    ).first()
    if existing is not None:
        raise PeerError("already_contact", None)
    # The note is sealed by the link key, which needs the contact's id: the row goes in
    # with the note empty, then the key is made, then the note is written.
    contact = Contact(client_id=client.id, other_id=peer_id, kind="peer", request_note="")
    session.add(contact)
    session.flush()
    links.make(session, contact)
    contact.request_note = note
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


def drop_copies(session: Session, contact: Contact) -> None:
    """What was sealed to the other person in a link that ends goes with it."""
    session.exec(delete(SharedCopy).where(SharedCopy.contact_id == contact.id))


def accept(session: Session, peer: User, contact: Contact) -> Contact:
    return _answer(session, peer, contact, True)


def decline(session: Session, peer: User, contact: Contact) -> Contact:
    return _answer(session, peer, contact, False)


def end(session: Session, user: User, contact: Contact) -> Contact:
    if contact.status not in OPEN:
        raise PeerError("not_open", None)
    contact.status, contact.ended_at, contact.ended_by = "ended", utcnow(), user.id
    session.add(contact)
    drop_copies(session, contact)
    session.commit()
    return contact


def block(session: Session, user: User, contact: Contact) -> Contact:
    if contact.status == "blocked":
        return contact
    contact.status, contact.ended_at, contact.ended_by = "blocked", utcnow(), user.id
    session.add(contact)
    drop_copies(session, contact)
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
    other: User | None  # None: a deleted account
    unread: int = 0
    name: str = ""  # how the viewer knows the other person (known_as)
    bare: str = ""  # the same name without the role
    role: str | None = None  # "peer" or "relative" for the client's own contacts (name_and_role)

    @property
    def role_word(self) -> str:
        return role_word(self.role)

    @property
    def note(self) -> str:
        """The request's note, for the peer asked ("" while the link key is not open to them)."""
        return self.contact.request_note if links.holds(self.contact) else ""


def contacts_of(session: Session, user: User) -> list[ContactRow]:
    other_id = case((Contact.client_id == user.id, Contact.other_id), else_=Contact.client_id)
    rows = session.exec(
        select(Contact, User)
        .join(User, User.id == other_id, isouter=True)
        .where(or_(Contact.client_id == user.id, Contact.other_id == user.id))
        .order_by(Contact.created_at.desc(), Contact.id.desc())
    ).all()
    result = [ContactRow(contact, other) for contact, other in rows]
    peer_ids = [
        row.other.id
        for row in result
        if row.other is not None and row.contact.kind == "peer" and row.contact.client_id == user.id
    ]
    chosen = (
        dict(
            session.exec(
                select(PeerProfile.user_id, PeerProfile.display_name).where(PeerProfile.user_id.in_(peer_ids))
            ).all()
        )
        if peer_ids
        else {}
    )
    for row in result:
        display_name = chosen.get(row.other.id) if row.other else None
        row.name = known_as(row, user, display_name)
        row.bare, row.role = name_and_role(row, user, display_name)
    return result


def names_by_contact(session: Session, user: User) -> dict[int, str]:
    """How the user knows the other person of each of their contacts, by contact id."""
    return {
        row.contact.id: row.name
        for row in contacts_of(session, user)
        if row.other is not None or (row.contact.kind == "relative" and row.contact.label)
    }


def known_as(row: ContactRow, viewer: User, display_name: str | None = None, with_role: bool = True) -> str:
    """The one way a person in a contact is named to the viewer. A client sees the name a
    peer supporter chose, or their own label for a relative ("Mum"), with the role (left
    out where the page says it already, as a conversation's heading); never an account
    name they have not seen. The peer supporter or relative sees the client's name."""
    name, role = name_and_role(row, viewer, display_name)
    if role is None or not with_role:
        return name
    return _("%(name)s (peer supporter)", name=name) if role == PEER else _("%(name)s (relative)", name=name)


def name_and_role(row: ContactRow, viewer: User, display_name: str | None = None) -> tuple[str, str | None]:
    """known_as in its two parts: the name, and the role ("peer", "relative") when the
    viewer is the client and the other account is there; None otherwise."""
    mine = row.contact.client_id == viewer.id
    if row.other is None:
        if mine and row.contact.kind == "relative" and row.contact.label:
            return _("%(name)s (a deleted account)", name=row.contact.label), None
        return _("A deleted account"), None
    if not mine:
        return client_known_as(row.contact, row.other), None
    if row.contact.kind == "peer":
        return display_name or _("Your peer supporter"), "peer"
    return row.contact.label or _("Someone close to you"), "relative"


def client_known_as(contact: Contact, client: User) -> str:
    """How a relative knows the client: the name the invitation gave ("Anna"), else the
    client's account name (all the relative has). A peer supporter knows the account name."""
    if contact.kind == "relative":
        name = contact.client_name
        if isinstance(name, str) and name:
            return name
    return client.handle


def role_word(role: str | None) -> str:
    """The role as the client reads it beside a name: "Mum · relative"."""
    return {"peer": _("peer supporter"), "relative": _("relative")}.get(role or "", "")


def names_for(session: Session, user: User) -> dict[int, str]:
    """How the user knows each person they have a contact with, by that person's id."""
    return {row.other.id: row.name for row in contacts_of(session, user) if row.other is not None}


def active_as_client(session: Session, client: User) -> list[ContactRow]:
    """The client's own active contacts: the people they can share with or message now."""
    return [
        row
        for row in contacts_of(session, client)
        if row.contact.status == "active" and row.contact.client_id == client.id and row.other is not None
    ]


def pending_for_peer(session: Session, peer: User) -> list[ContactRow]:
    return [
        row for row in contacts_of(session, peer) if row.contact.status == "pending" and row.contact.other_id == peer.id
    ]
