"""What each person's page shows of "Stay with me": the timers that told someone, the people
a client chose, who is on it, each named as the viewer knows them (peer.contacts). The
rules themselves are in stay/service.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlmodel import Session, select

from accounts.models import User
from accounts.sealing import current_keyring
from extensions import utcnow
from peer.contacts import client_known_as, names_for
from peer.models import Contact, PeerProfile, by_link

from .models import StayPerson, StayTimer
from .service import SHOW_ENDED_FOR


def _peer_names(session: Session, user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(
        session.exec(
            select(PeerProfile.user_id, PeerProfile.display_name).where(PeerProfile.user_id.in_(user_ids))
        ).all()
    )


def _name_for_others(session: Session, person: StayPerson, viewer: User, names: dict[int, str], peers) -> str:
    """How someone told is named to another person told: a peer supporter by their chosen
    name (shown to every client anyway), someone close to the client without a name (the
    client's own word for them is the client's)."""
    if person.user_id == viewer.id:
        return _("You")
    if person.user_id in names:
        return names[person.user_id]
    if person.user_id in peers:
        return _("%(name)s (peer supporter)", name=peers[person.user_id])
    return _("Someone close to them")


@dataclass
class Told:
    """One timer as a person told sees it."""

    person: StayPerson
    timer: StayTimer
    client_name: str
    note: str
    on_it: list[str] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.timer.state == "ended"


def alerts_for(session: Session, user: User, now: datetime | None = None) -> list[Told]:
    """The timers that told this person: open ones, and for a while those ended since."""
    now = now or utcnow()
    rows = session.exec(
        select(StayPerson, StayTimer, User)
        .join(StayTimer, StayTimer.id == StayPerson.timer_id)
        .join(User, User.id == StayTimer.client_id)
        .where(StayPerson.user_id == user.id, StayPerson.alerted_at.is_not(None))
        .order_by(StayPerson.alerted_at.desc())
    ).all()
    keyring = current_keyring()
    result = []
    for person, timer, client in rows:
        if timer.state == "ended" and (timer.ended_at is None or timer.ended_at < now - SHOW_ENDED_FOR):
            continue
        contact = session.get(Contact, person.contact_id) if person.contact_id else None
        name = client_known_as(contact, client) if contact is not None else client.handle
        note = person.note if contact is not None and person.note and keyring.has(by_link(contact.id)) else ""
        if note is None:
            note = ""
        result.append(Told(person, timer, name, note, _on_it_names(session, timer, user)))
    return result


def _on_it_names(session: Session, timer: StayTimer, viewer: User) -> list[str]:
    people = session.exec(
        select(StayPerson).where(StayPerson.timer_id == timer.id, StayPerson.on_it_at.is_not(None))
    ).all()
    peers = _peer_names(session, [p.user_id for p in people])
    names = names_for(session, viewer) if viewer.id == timer.client_id else {}
    return [_name_for_others(session, person, viewer, names, peers) for person in people]


@dataclass
class Chosen:
    name: str
    alerted: bool
    on_it: bool
    duty: bool


def people_of(session: Session, client: User, timer: StayTimer) -> list[Chosen]:
    """Who this timer tells, by the client's own names for them."""
    people = session.exec(select(StayPerson).where(StayPerson.timer_id == timer.id).order_by(StayPerson.id)).all()
    names = names_for(session, client)
    peers = _peer_names(session, [p.user_id for p in people])
    return [
        Chosen(
            _name_for_others(session, p, client, names, peers),
            p.alerted_at is not None,
            p.on_it_at is not None,
            p.kind == "duty",
        )
        for p in people
    ]


def on_it_for_client(session: Session, client: User, timer: StayTimer) -> list[str]:
    return _on_it_names(session, timer, client)


def open_alert_count(session: Session, user: User) -> int:
    """How many timers told this person and are not over (for a small notice elsewhere)."""
    return len([t for t in alerts_for(session, user) if not t.ended])
