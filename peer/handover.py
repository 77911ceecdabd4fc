"""Handover with consent: when a peer supporter stops or takes a long leave, they (or a
coordinator) suggest a colleague; the client sees who and says yes or no. Nothing moves
without the client's yes.

On yes a new active contact with the colleague is made (its link key made the way a
request makes it, peer/links.py); nothing the client shared with the old peer supporter
moves (no entries, no copies, only the default consent), and the old contact ends
(ended_by the old peer supporter) with its history readable. On no nothing changes.

One open suggestion per contact (a unique index on the open rows): a new one withdraws
the old; one whose colleague is paused, removed or no longer approved, or whose contact
ended, is void. The yes is taken by one conditional UPDATE, so two taps at the same
moment make exactly one new contact. A coordinator sees handovers as counts only."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, select

from accounts.models import User
from accounts.permissions import CLIENT, COORDINATOR, PEER
from extensions import commit_once, utcnow

from . import contacts, links, messages, signals
from .errors import PeerError
from .models import Contact, Handover, PeerProfile
from .profiles import PeerCard, hold_place, room_left

OUTCOMES = ("accepted", "declined", "withdrawn", "void")
MESSAGES = {
    "handover_colleague": _l("Choose the peer supporter who could continue."),
    "handover_nobody": _l("There is nobody to hand over right now."),
    "handover_void": _l("This suggestion no longer stands. Nothing has changed."),
    "handover_answered": _l("This suggestion has already been answered."),
    "handover_full": _l("This peer supporter cannot take on anyone new right now. Nothing has changed."),
}


# -- Who can continue -------------------------------------------------------------------


def _colleagues_query():
    return (
        select(User, PeerProfile)
        .join(PeerProfile, PeerProfile.user_id == User.id)
        .where(
            User.role == PEER,
            User.peer_approved_at.is_not(None),
            PeerProfile.paused.is_(False),
            PeerProfile.taking_new.is_(True),
        )
    )


@dataclass
class Colleague(PeerCard):
    room: int | None = None  # how many more people they can take on; None: no limit set


def colleagues(session: Session, leaving_id: int) -> list[Colleague]:
    """Approved, unpaused peer supporters with a profile who take new people and have room
    under their caseload, but the one who steps back; each with how much room is left."""
    rows = session.exec(_colleagues_query().where(User.id != leaving_id).order_by(PeerProfile.display_name))
    found = [Colleague(user, profile, room=room_left(session, user.id)) for user, profile in rows]
    return [colleague for colleague in found if colleague.room != 0]


def colleague_of(session: Session, user_id: int | None, leaving_id: int | None) -> PeerCard | None:
    if user_id is None or user_id == leaving_id:
        return None
    row = session.exec(_colleagues_query().where(User.id == user_id)).first()
    return PeerCard(*row) if row else None


# -- Getters for the views (None: not this person's, answers 404) -------------------------


def own_contact(session: Session, peer: User, contact_id: int) -> Contact | None:
    """An active contact in which this peer supporter is the peer supporter."""
    contact = session.get(Contact, contact_id)
    if contact is None or contact.other_id != peer.id or contact.kind != "peer" or contact.status != "active":
        return None
    return contact


def for_client(session: Session, client: User, handover_id: int) -> Handover | None:
    """A suggestion made to this client (open or answered); anyone else's is None."""
    handover = session.get(Handover, handover_id)
    if handover is None:
        return None
    contact = session.get(Contact, handover.contact_id)
    return handover if contact is not None and contact.client_id == client.id else None


# -- Suggesting ---------------------------------------------------------------------------


def stands(session: Session, handover: Handover, contact: Contact | None = None) -> bool:
    """Whether an open suggestion still holds: its contact active with the same peer
    supporter, the colleague approved, not paused, with a profile."""
    contact = contact or session.get(Contact, handover.contact_id)
    return (
        handover.outcome is None
        and contact is not None
        and contact.status == "active"
        and contact.other_id is not None
        and contact.other_id == handover.from_id
        and colleague_of(session, handover.to_id, handover.from_id) is not None
        and not _blocked(session, contact.client_id, handover.to_id)
    )


def _blocked(session: Session, client_id: int, colleague_id: int | None) -> bool:
    """Whether the client and the colleague have a blocked contact: then no suggestion holds."""
    return (
        session.exec(
            select(Contact.id).where(
                Contact.client_id == client_id, Contact.other_id == colleague_id, Contact.status == "blocked"
            )
        ).first()
        is not None
    )


def _open_row(session: Session, contact_id: int) -> Handover | None:
    return session.exec(select(Handover).where(Handover.contact_id == contact_id, Handover.outcome.is_(None))).first()


def _close_open(session: Session, contact_id: int, outcome: str) -> None:
    session.exec(
        update(Handover)
        .where(Handover.contact_id == contact_id, Handover.outcome.is_(None))
        .values(outcome=outcome, answered_at=utcnow())
    )


def _by_key(session: Session, contact: Contact, client_key: str | None) -> Handover | None:
    if not client_key:
        return None
    return session.exec(
        select(Handover).where(Handover.contact_id == contact.id, Handover.client_key == client_key)
    ).first()


def _may_propose(proposer: User, contact: Contact) -> bool:
    if contact.kind != "peer" or contact.status != "active" or contact.other_id is None:
        return False
    return proposer.role == COORDINATOR or (proposer.role == PEER and proposer.id == contact.other_id)


def propose(
    session: Session, proposer: User, contact: Contact, to_id: int | None, goodbye: str = "", client_key=None
) -> Handover:
    """Suggest `to_id` to the client of `contact`. The peer supporter's goodbye (optional)
    goes into the conversation now, as their own message; a coordinator writes none. A
    repeat with the same one-time key gives back the suggestion already made."""
    if not _may_propose(proposer, contact):
        raise PeerError("unknown", None)
    if (earlier := _by_key(session, contact, client_key)) is not None:
        return earlier  # a retry or a double tap: the suggestion made, whatever its answer
    if colleague_of(session, to_id, contact.other_id) is None:
        raise PeerError("handover_colleague", "colleague")
    if room_left(session, to_id) == 0:
        raise PeerError("handover_full", "colleague")
    goodbye = (goodbye or "").strip() if proposer.role == PEER else ""
    if len(goodbye) > messages.BODY_MAX:
        raise PeerError("message_long", "goodbye")
    message = (
        messages.send(session, proposer, contact, goodbye, client_key=client_key, answers_alerts=False)
        if goodbye
        else None
    )
    _close_open(session, contact.id, "withdrawn")
    handover = Handover(
        contact_id=contact.id,
        from_id=contact.other_id,
        to_id=to_id,
        proposed_by=proposer.id,
        message_id=message.id if message else None,
        client_key=client_key or None,
    )
    session.add(handover)
    earlier = commit_once(session, lambda: _by_key(session, contact, client_key) or _open_row(session, contact.id))
    if earlier is not None:
        return earlier  # another request made one a moment before
    signals.handover_proposed.send(handover_id=handover.id, recipient_id=contact.client_id)
    return handover


def people_of(session: Session, peer_id: int) -> list[Contact]:
    """The people a peer supporter carries now: their active peer contacts."""
    return list(
        session.exec(
            select(Contact)
            .where(Contact.other_id == peer_id, Contact.kind == "peer", Contact.status == "active")
            .order_by(Contact.id)
        )
    )


def propose_all(
    session: Session, proposer: User, leaving: User, to_id: int | None, goodbye: str = "", client_key=None
) -> int:
    """The same suggestion to everyone `leaving` carries (they stop, or a coordinator hands
    over their people). A conversation the peer supporter cannot write in yet (its key not
    theirs yet) gets the suggestion without the goodbye. Answers how many were asked."""
    if proposer.role == PEER and proposer.id != leaving.id:
        raise PeerError("unknown", None)
    if proposer.role not in (PEER, COORDINATOR):
        raise PeerError("unknown", None)
    people = people_of(session, leaving.id)
    if not people:
        raise PeerError("handover_nobody", None)
    if colleague_of(session, to_id, leaving.id) is None:
        raise PeerError("handover_colleague", "colleague")
    for contact in people:
        words = goodbye if proposer.role == PEER and links.holds(contact) else ""
        propose(session, proposer, contact, to_id, words, client_key)
    return len(people)


# -- The client's answer --------------------------------------------------------------------


def _claim(session: Session, handover: Handover, outcome: str) -> bool:
    """Take the answer: only the first of two requests at the same moment changes the row."""
    taken = session.exec(
        update(Handover)
        .where(Handover.id == handover.id, Handover.outcome.is_(None))
        .values(outcome=outcome, answered_at=utcnow())
    ).rowcount
    return bool(taken)


def _already(session: Session, handover: Handover, outcome: str):
    """A second tap: the same answer given a moment before is fine; any other is not."""
    session.rollback()
    session.refresh(handover)
    if handover.outcome == outcome:
        return handover
    raise PeerError("handover_answered" if handover.outcome in ("accepted", "declined") else "handover_void", None)


def _check(session: Session, client: User, handover: Handover) -> Contact:
    contact = session.get(Contact, handover.contact_id)
    if client.role != CLIENT or contact is None or contact.client_id != client.id:
        raise PeerError("unknown", None)
    if handover.outcome is not None:
        return contact
    if not stands(session, handover, contact):
        _claim(session, handover, "void")
        session.commit()
        raise PeerError("handover_void", None)
    return contact


def accept(session: Session, client: User, handover: Handover) -> Handover:
    """Yes: a new contact with the colleague (or the one already there), and the old one
    ends kindly. Only the client's own yes does this, once."""
    contact = _check(session, client, handover)
    if handover.outcome is not None:
        return _already(session, handover, "accepted")
    new = session.exec(
        select(Contact).where(
            Contact.client_id == client.id,
            Contact.other_id == handover.to_id,
            Contact.kind == "peer",
            Contact.status.in_(("pending", "active")),
        )
    ).first()
    # A new person for the colleague takes a place under their caseload, counted under
    # the lock of their profile row (as a request does): a full colleague voids the offer.
    if new is None and hold_place(session, handover.to_id) == 0:
        if _claim(session, handover, "void"):
            session.commit()
            raise PeerError("handover_full", None)
        return _already(session, handover, "accepted")
    if not _claim(session, handover, "accepted"):
        return _already(session, handover, "accepted")
    now = utcnow()
    if new is None:
        new = Contact(client_id=client.id, other_id=handover.to_id, kind="peer", request_note="")
        session.add(new)
        session.flush()
        links.make(session, new)
    if new.status != "active":  # new, or a request to the colleague that was waiting: answered now
        new.status, new.accepted_at = "active", now
    session.add(new)
    contact.status, contact.ended_at, contact.ended_by = "ended", now, handover.from_id
    session.add(contact)
    contacts.drop_copies(session, contact)
    session.flush()
    session.exec(update(Handover).where(Handover.id == handover.id).values(new_contact_id=new.id))
    session.commit()
    session.refresh(handover)
    signals.handover_joined.send(contact_id=new.id, recipient_id=handover.to_id)
    return handover


def proposed_by_peer(session: Session, peer: User, handover_id: int) -> Handover | None:
    """An open suggestion about one of this peer supporter's own people; None otherwise."""
    row = session.get(Handover, handover_id)
    return row if row is not None and row.from_id == peer.id and row.outcome is None else None


def withdraw(session: Session, peer: User, handover: Handover) -> bool:
    """The peer supporter takes the question back (asked by mistake, or back sooner): the
    client is no longer asked. True if this did it; a second tap changes nothing."""
    if handover.from_id != peer.id:
        raise PeerError("unknown", None)
    taken = _claim(session, handover, "withdrawn")
    session.commit()
    return taken


def decline(session: Session, client: User, handover: Handover) -> Handover:
    """No, thank you: nothing changes; the one who suggested it sees the answer."""
    _check(session, client, handover)
    if handover.outcome is not None or not _claim(session, handover, "declined"):
        return _already(session, handover, "declined")
    session.commit()
    session.refresh(handover)
    return handover
