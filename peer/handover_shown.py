"""What each person sees of a handover (peer/handover.py holds the rules): the client's
question or what they chose, the answer the peer supporter who stepped back sees, who
stepped back (in the new conversation), and the coordinator's counts: never who."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from accounts.models import User

from . import contacts, links
from .handover import colleague_of, stands
from .models import Contact, Handover, Message, PeerProfile
from .profiles import PeerCard, profile_of


@dataclass
class Offer:
    """A suggestion as the client (or the peer supporter who stepped back) sees it."""

    handover: Handover
    contact: Contact
    colleague: PeerCard | None  # None: no longer there (then the suggestion is void)
    leaving: str = ""  # the display name of the peer supporter who steps back
    goodbye: str = ""  # the goodbye message, when the peer supporter wrote one

    @property
    def open(self) -> bool:
        return self.handover.outcome is None and self.colleague is not None

    @property
    def by_coordinator(self) -> bool:
        return self.handover.proposed_by != self.handover.from_id


def _offer(session: Session, handover: Handover, contact: Contact) -> Offer:
    colleague = colleague_of(session, handover.to_id, handover.from_id)
    if colleague is None and handover.outcome is not None and handover.to_id is not None:
        user, profile = session.get(User, handover.to_id), profile_of(session, handover.to_id)
        colleague = PeerCard(user, profile) if user is not None and profile is not None else None
    goodbye = ""
    if handover.message_id is not None and links.holds(contact):
        message = session.get(Message, handover.message_id)
        goodbye = message.body if message is not None and isinstance(message.body, str) else ""
    leaving = profile_of(session, handover.from_id) if handover.from_id is not None else None
    return Offer(handover, contact, colleague, leaving.display_name if leaving else "", goodbye)


def open_offers(session: Session, client: User) -> list[Offer]:
    """The suggestions waiting for this client's answer that still stand (contacts page)."""
    rows = session.exec(
        select(Handover, Contact)
        .join(Contact, Contact.id == Handover.contact_id)
        .where(Contact.client_id == client.id, Handover.outcome.is_(None))
        .order_by(Handover.id)
    ).all()
    return [_offer(session, h, c) for h, c in rows if stands(session, h, c)]


def latest_for(session: Session, viewer: User, contact: Contact) -> Offer | None:
    """For a conversation: the newest suggestion about it, open (if it stands) or answered,
    as its client or its peer supporter sees it. Withdrawn and void ones are not shown."""
    if viewer.id not in (contact.client_id, contact.other_id) or contact.kind != "peer":
        return None
    handover = session.exec(
        select(Handover).where(Handover.contact_id == contact.id).order_by(Handover.id.desc())
    ).first()
    if handover is None or handover.outcome in ("withdrawn", "void"):
        return None
    if handover.outcome is None and not stands(session, handover, contact):
        return None
    return _offer(session, handover, contact)


def came_from(session: Session, contact: Contact) -> str | None:
    """For a contact made by a client's yes: the display name of the peer supporter who
    stepped back ("" if their profile is gone); None for a contact made any other way."""
    row = session.exec(
        select(Handover).where(Handover.new_contact_id == contact.id, Handover.outcome == "accepted")
    ).first()
    if row is None:
        return None
    leaving = profile_of(session, row.from_id) if row.from_id is not None else None
    return leaving.display_name if leaving else ""


@dataclass
class Asked:
    """One person asked, as the peer supporter who stepped back sees it."""

    handover: Handover
    name: str  # the client's name, as the peer supporter knows it
    colleague: str


def asked_by(session: Session, peer: User, limit: int = 100) -> list[Asked]:
    """The peer supporter's own people who were asked, newest first (their stop page)."""
    rows = session.exec(
        select(Handover, Contact, User)
        .join(Contact, Contact.id == Handover.contact_id)
        .join(User, User.id == Contact.client_id)
        .where(Handover.from_id == peer.id, Handover.outcome.is_distinct_from("withdrawn"))
        .order_by(Handover.id.desc())
        .limit(limit)
    ).all()
    names = dict(
        session.exec(
            select(PeerProfile.user_id, PeerProfile.display_name).where(
                PeerProfile.user_id.in_({h.to_id for h, _c, _u in rows if h.to_id} or {0})
            )
        ).all()
    )
    result = []
    for handover, contact, client in rows:
        if handover.outcome is None and not stands(session, handover, contact):
            continue
        result.append(Asked(handover, contacts.client_known_as(contact, client), names.get(handover.to_id, "")))
    return result


def counts_for(session: Session, peer_id: int) -> dict[str, int]:
    """For the coordinator: how many of a peer supporter's people were asked, and how they
    answered. Counts only: never who, never what was written."""
    rows = session.exec(
        select(Handover.outcome, func.count(Handover.id))
        .where(Handover.from_id == peer_id, Handover.outcome.is_distinct_from("withdrawn"))
        .group_by(Handover.outcome)
    ).all()
    found = {outcome: count for outcome, count in rows if outcome}
    waiting = session.exec(
        select(Handover, Contact)
        .join(Contact, Contact.id == Handover.contact_id)
        .where(Handover.from_id == peer_id, Handover.outcome.is_(None))
    ).all()
    found["open"] = sum(1 for handover, contact in waiting if stands(session, handover, contact))
    return {key: found.get(key, 0) for key in ("open", "accepted", "declined")}


def export(session: Session, user: User) -> list[dict]:
    """The handovers about this person: as the client (every one about their contacts) or
    as the peer supporter who stepped back. Ids, times and answers: nothing was written."""
    from .export import row_dict

    rows = session.exec(
        select(Handover)
        .join(Contact, Contact.id == Handover.contact_id)
        .where((Contact.client_id == user.id) | (Handover.from_id == user.id))
        .order_by(Handover.id)
    ).all()
    return [row_dict(row) for row in rows]
