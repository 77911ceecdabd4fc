"""A peer supporter's way in: the coordinator sees the profile before approving, the peer
supporter is told when approved (once, in the app, and by a neutral push), and the waiting
page says what to do meanwhile. Coordinators see profiles only, never diaries or messages."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import Session, func, select

from extensions import db, utcnow
from peer.models import PeerProfile
from peer.vocab import GENDERS, LANGUAGES, TOPICS
from push.models import PushSubscription

from . import service, signals
from .models import User
from .permissions import PEER, may_change_on_get, start_endpoint

APPROVED_NOTICE = _l(
    "You're approved as a peer supporter. Welcome! People looking for support can now find you and ask for contact."
)


@dataclass
class PeerToApprove:
    """A peer supporter's account with what they wrote in their profile (None: nothing yet)."""

    user: User
    profile: PeerProfile | None

    @property
    def name(self) -> str:
        return self.profile.display_name if self.profile else self.user.handle

    @property
    def topic_names(self) -> list[str]:
        keys = self.profile.topics.split(",") if self.profile else []
        return [str(TOPICS[key]) for key in keys if key in TOPICS]

    @property
    def language_names(self) -> list[str]:
        codes = self.profile.languages.split(",") if self.profile else []
        return [LANGUAGES[code] for code in codes if code in LANGUAGES]

    @property
    def gender_name(self) -> str:
        gender = self.profile.gender if self.profile else ""
        return str(GENDERS[gender]) if gender in GENDERS else ""


def _profile(session: Session, user_id: int) -> PeerProfile | None:
    return session.exec(select(PeerProfile).where(PeerProfile.user_id == user_id)).first()


def waiting(session: Session) -> list[PeerToApprove]:
    """Every peer supporter waiting for approval, the longest waiting first, with their profile."""
    return [PeerToApprove(user, _profile(session, user.id)) for user in service.peers_waiting(session)]


def to_approve(session: Session, coordinator: User, user_id: int) -> PeerToApprove | None:
    """A peer supporter's account (waiting or already approved) with its profile; None otherwise."""
    user = service.peer_account(session, coordinator, user_id)
    return PeerToApprove(user, _profile(session, user.id)) if user is not None else None


def approve(session: Session, peer: User) -> bool:
    """Approve a waiting peer supporter; True if this did it (a second tap changes nothing
    and tells nobody twice). They hear of it by a neutral push, and in the app at their
    next visit to their start page."""
    newly = peer.role == PEER and service.approve_peer_account(session, peer)
    if newly:
        signals.peer_approved.send(user_id=peer.id)
    return newly


@dataclass
class Step:
    label: str
    done: bool
    endpoint: str


def checklist(session: Session, user: User) -> list[Step]:
    """What a peer supporter can do while they wait for approval, each done or not yet."""
    has_profile = _profile(session, user.id) is not None
    devices = session.exec(
        select(func.count()).select_from(PushSubscription).where(PushSubscription.user_id == user.id)
    ).one()
    return [
        Step(
            _l("Fill in your profile: it is what people see when they look for support"),
            has_profile,
            "peer.edit_profile",
        ),
        Step(_l("Turn on notifications on your phone, to hear when you are approved"), devices > 0, "push.settings"),
    ]


def tell_if_approved() -> None:
    """Before a page of an approved peer supporter not yet told: the notice, once, on their
    start page (where they land), and only when they opened it themselves."""
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")  # a poll, a fragment
    if request.method != "GET" or partial or not current_user.is_authenticated:
        return
    user = current_user._get_current_object()
    if not user.is_approved_peer or user.approval_told_at is not None:
        return
    if request.endpoint != start_endpoint(user) or not may_change_on_get():
        return
    user.approval_told_at = utcnow()
    db.session.add(user)
    db.session.commit()
    flash(str(APPROVED_NOTICE), "success")
