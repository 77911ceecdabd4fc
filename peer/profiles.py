"""Peer supporter profiles, finding a peer, availability, and the coordinator's say."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, select

from accounts.models import User
from accounts.permissions import CLIENT, PEER
from extensions import utcnow

from . import hours as usual_hours
from .errors import PeerError
from .models import Contact, PeerProfile
from .vocab import GENDERS, LANGUAGES, TOPICS

CASELOAD_MAX = 200
CARRIED = ("pending", "active")  # a request waiting for an answer takes a place too


def profile_of(session: Session, user_id: int) -> PeerProfile | None:
    return session.exec(select(PeerProfile).where(PeerProfile.user_id == user_id)).first()


def _keys(values, allowed) -> str:
    return ",".join(v for v in dict.fromkeys(values or []) if v in allowed)


def save_profile(
    session: Session,
    user: User,
    *,
    display_name: str,
    about: str,
    topics: list[str],
    gender: str,
    languages: list[str],
    hours: str,
    taking_new: bool,
    caseload: int | str | None = None,
    usual_days: list[str] | None = None,
    usual_from: str = "",
    usual_to: str = "",
) -> PeerProfile:
    if user.role != PEER:
        raise PeerError("unknown", None)
    display_name = " ".join((display_name or "").split())
    if not display_name:
        raise PeerError("profile_name", "display_name")
    if len(display_name) > 60:
        raise PeerError("profile_name_long", "display_name")
    about, hours = (about or "").strip(), " ".join((hours or "").split())
    if len(about) > 1500:
        raise PeerError("profile_about_long", "about")
    if len(hours) > 200:
        raise PeerError("profile_hours_long", "hours")
    if gender not in GENDERS:
        raise PeerError("profile_gender", "gender")
    if not _keys(languages, LANGUAGES):
        raise PeerError("profile_languages", "languages")
    caseload = clean_caseload(caseload)
    days, start, end = usual_hours.clean(usual_days, usual_from, usual_to)
    profile = profile_of(session, user.id) or PeerProfile(user_id=user.id, display_name=display_name)
    profile.display_name, profile.about, profile.hours, profile.gender = display_name, about, hours, gender
    profile.caseload, profile.usual_days, profile.usual_from, profile.usual_to = caseload, days, start, end
    profile.topics, profile.languages = _keys(topics, TOPICS), _keys(languages, LANGUAGES)
    profile.taking_new, profile.updated_at = bool(taking_new), utcnow()
    session.add(profile)
    session.commit()
    return profile


def clean_caseload(value: int | str | None) -> int | None:
    """How many people a peer supporter can carry: 1 to 200, or None (empty: no limit)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(value.strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        raise PeerError("caseload_number", "caseload") from None
    if isinstance(value, bool) or not 1 <= number <= CASELOAD_MAX:
        raise PeerError("caseload_number", "caseload")
    return number


def _carried_of():
    """Per peer supporter, how many open peer contacts they have (a subquery)."""
    return (
        select(Contact.other_id.label("peer_id"), func.count(Contact.id).label("carried"))
        .where(Contact.kind == "peer", Contact.status.in_(CARRIED))
        .group_by(Contact.other_id)
        .subquery()
    )


def carried(session: Session, peer_id: int) -> int:
    """How many people the peer supporter carries: their active and pending peer contacts."""
    return session.exec(
        select(func.count(Contact.id)).where(
            Contact.other_id == peer_id, Contact.kind == "peer", Contact.status.in_(CARRIED)
        )
    ).one()


def room_left(session: Session, peer_id: int) -> int | None:
    """How many more people the peer supporter can take on: None without a limit, 0 when full."""
    profile = profile_of(session, peer_id)
    if profile is None or profile.caseload is None:
        return None
    return max(profile.caseload - carried(session, peer_id), 0)


def hold_place(session: Session, peer_id: int) -> int | None:
    """room_left(), counted while holding the peer supporter's profile row, so two clients
    asking for the last place at the same moment cannot both get it: the second waits for
    the first to commit, then counts again. An UPDATE that changes nothing takes the lock
    on both databases (PostgreSQL's row lock; SQLite's one writer, as it begins the write
    transaction), and the lock is held until the caller commits or rolls back."""
    profile = profile_of(session, peer_id)
    if profile is None or profile.caseload is None:
        return None
    session.exec(update(PeerProfile).where(PeerProfile.user_id == peer_id).values(caseload=PeerProfile.caseload))
    session.refresh(profile)
    if profile.caseload is None:
        return None
    return max(profile.caseload - carried(session, peer_id), 0)


def stop_taking_new(session: Session, peer_id: int) -> None:
    """A peer supporter who stops or takes a long leave is no longer offered to new clients."""
    profile = profile_of(session, peer_id)
    if profile is not None and profile.taking_new:
        profile.taking_new, profile.updated_at = False, utcnow()
        session.add(profile)
        session.commit()


def set_availability(session: Session, profile: PeerProfile, available: bool, away_note: str = "") -> None:
    away_note = " ".join((away_note or "").split())
    if len(away_note) > 200:
        raise PeerError("away_note_long", "away_note")
    profile.available, profile.away_note = bool(available), "" if available else away_note
    session.add(profile)
    session.commit()


@dataclass
class PeerCard:
    user: User
    profile: PeerProfile
    full: bool = False  # at or over their caseload: not taking new people right now

    @property
    def topics(self) -> list[str]:
        return [t for t in self.profile.topics.split(",") if t]

    @property
    def languages(self) -> list[str]:
        return [code for code in self.profile.languages.split(",") if code]

    @property
    def language_names(self) -> str:
        return ", ".join(LANGUAGES[code] for code in self.languages if code in LANGUAGES)


def _listed():
    return (
        select(User, PeerProfile)
        .join(PeerProfile, PeerProfile.user_id == User.id)
        .where(User.role == PEER, User.peer_approved_at.is_not(None), PeerProfile.paused.is_(False))
    )


def find_peers(
    session: Session, *, gender: str = "", language: str = "", topic: str = "", exclude_user: int | None = None
) -> list[PeerCard]:
    """Approved, unpaused peer supporters who take new people and carry fewer than their
    caseload, matching every filter given."""
    counts = _carried_of()
    query = (
        _listed()
        .outerjoin(counts, counts.c.peer_id == User.id)
        .where(
            PeerProfile.taking_new.is_(True),
            (PeerProfile.caseload.is_(None)) | (func.coalesce(counts.c.carried, 0) < PeerProfile.caseload),
        )
    )
    if gender in GENDERS:
        query = query.where(PeerProfile.gender == gender)
    cards = [PeerCard(user, profile) for user, profile in session.exec(query.order_by(PeerProfile.display_name))]
    if language in LANGUAGES:
        cards = [c for c in cards if language in c.languages]
    if topic in TOPICS:
        cards = [c for c in cards if topic in c.topics]
    return [c for c in cards if c.user.id != exclude_user]


def listed_peer(session: Session, client: User, user_id: int) -> PeerCard | None:
    """A peer supporter the client may see: approved and not paused; None otherwise. One
    who is full is still shown (their page says they take no new people right now)."""
    row = session.exec(_listed().where(User.id == user_id)).first()
    if not row:
        return None
    return PeerCard(*row, full=room_left(session, user_id) == 0)


def approved_peers(session: Session) -> list[PeerCard]:
    rows = session.exec(
        select(User, PeerProfile)
        .join(PeerProfile, PeerProfile.user_id == User.id, isouter=True)
        .where(User.role == PEER, User.peer_approved_at.is_not(None))
        .order_by(User.handle_key)
    )
    return [PeerCard(user, profile) for user, profile in rows]


def approved_peer_user(session: Session, coordinator: User, user_id: int) -> User | None:
    """An approved peer supporter, the only kind of account a coordinator may pause or remove."""
    user = session.get(User, user_id)
    return user if user is not None and user.is_approved_peer else None


def set_paused(session: Session, peer: User, paused: bool) -> None:
    profile = profile_of(session, peer.id)
    if profile is None:
        profile = PeerProfile(user_id=peer.id, display_name=peer.handle)
    profile.paused = paused
    session.add(profile)
    session.commit()


def remove_peer(session: Session, peer: User) -> None:
    """A coordinator takes back the approval: the person stays, as a client, and every
    contact they had as a peer supporter ends (its history stays readable)."""
    now = utcnow()
    for contact in session.exec(
        select(Contact).where(
            Contact.other_id == peer.id, Contact.kind == "peer", Contact.status.in_(("pending", "active"))
        )
    ):
        contact.status, contact.ended_at, contact.ended_by = "ended", now, None
        session.add(contact)
    profile = profile_of(session, peer.id)
    if profile is not None:
        session.delete(profile)
    peer.role, peer.peer_approved_at = CLIENT, None
    session.add(peer)
    session.commit()
