"""A peer supporter asks a coordinator for a debrief: how soon (today, this week, no hurry)
and how (phone, meeting, either). Nothing else: no free text, so no client can be named in
it, and what the coordinators see is the peer supporter's display name, when, and those two
choices. One open request per peer supporter: a double tap or a second ask while one is
open gives back the one there is (a partial unique index keeps it so under races). A
coordinator answers "I'll be in touch", which marks it arranged; the peer supporter then
sees that a coordinator has seen it.

The two choices are stored plainly (docs/privacy.md): the coordinators, who have no key of
the peer supporter's, must read them, and they order the coordinators' list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import Index, case, text
from sqlmodel import Field, Session, SQLModel, select

from accounts.models import User, user_fk
from accounts.permissions import COORDINATOR, PEER
from extensions import commit_once, utcnow

from . import signals
from .errors import PeerError
from .models import PeerProfile

SOON = {"today": _l("Today, if possible"), "week": _l("This week"), "no_hurry": _l("No hurry")}
HOW = {"phone": _l("By phone"), "meeting": _l("Meeting in person"), "either": _l("Either is fine")}
SHOWN_ARRANGED = timedelta(days=14)  # how long the peer supporter sees "a coordinator has seen it"

MESSAGES = {
    "debrief_soon": _l("Choose how soon you would like to talk."),
    "debrief_how": _l("Choose how you would like to talk."),
}


class DebriefRequest(SQLModel, table=True):
    __tablename__ = "debrief_request"
    __table_args__ = (
        Index(
            "uq_debrief_request_open",
            "user_id",
            unique=True,
            sqlite_where=text("arranged_at IS NULL"),
            postgresql_where=text("arranged_at IS NULL"),
        ),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())  # the peer supporter who asks
    soon: str = Field(max_length=16)  # a key of SOON
    how: str = Field(max_length=16)  # a key of HOW
    created_at: datetime = Field(default_factory=utcnow)
    arranged_at: Optional[datetime] = None  # a coordinator said "I'll be in touch"


def open_of(session: Session, user_id: int) -> DebriefRequest | None:
    return session.exec(
        select(DebriefRequest).where(DebriefRequest.user_id == user_id, DebriefRequest.arranged_at.is_(None))
    ).first()


def shown_to_peer(session: Session, peer: User, now: datetime | None = None) -> DebriefRequest | None:
    """The open request, or the last one arranged in the past two weeks; None otherwise."""
    found = open_of(session, peer.id)
    if found is not None:
        return found
    last = session.exec(
        select(DebriefRequest)
        .where(DebriefRequest.user_id == peer.id, DebriefRequest.arranged_at.is_not(None))
        .order_by(DebriefRequest.arranged_at.desc())
    ).first()
    if last is not None and last.arranged_at >= (now or utcnow()) - SHOWN_ARRANGED:
        return last
    return None


def ask(session: Session, peer: User, soon: str, how: str) -> tuple[DebriefRequest, bool]:
    """The peer supporter's request and whether it is new (coordinators are told only then)."""
    if peer.role != PEER or not peer.is_approved_peer:
        raise PeerError("unknown", None)
    if soon not in SOON:
        raise PeerError("debrief_soon", "soon")
    if how not in HOW:
        raise PeerError("debrief_how", "how")
    earlier = open_of(session, peer.id)
    if earlier is not None:
        return earlier, False
    request = DebriefRequest(user_id=peer.id, soon=soon, how=how)
    session.add(request)
    earlier = commit_once(session, lambda: open_of(session, peer.id))
    if earlier is not None:
        return earlier, False
    coordinators = list(session.exec(select(User.id).where(User.role == COORDINATOR)))
    signals.debrief_requested.send(request_id=request.id, recipient_ids=coordinators)
    return request, True


@dataclass
class DebriefRow:
    request: DebriefRequest
    name: str  # the peer supporter's display name (their handle when they have no profile yet)

    @property
    def soon_text(self) -> str:
        return str(SOON.get(self.request.soon, ""))

    @property
    def how_text(self) -> str:
        return str(HOW.get(self.request.how, ""))


def open_requests(session: Session) -> list[DebriefRow]:
    """Every open request for the coordinators, the most pressing first, then the oldest."""
    order = case({"today": 0, "week": 1}, value=DebriefRequest.soon, else_=2)
    rows = session.exec(
        select(DebriefRequest, User.handle, PeerProfile.display_name)
        .join(User, User.id == DebriefRequest.user_id)
        .join(PeerProfile, PeerProfile.user_id == User.id, isouter=True)
        .where(DebriefRequest.arranged_at.is_(None))
        .order_by(order, DebriefRequest.created_at, DebriefRequest.id)
    )
    return [DebriefRow(request, display_name or handle) for request, handle, display_name in rows]


def request_for_coordinator(session: Session, coordinator: User, request_id: int) -> DebriefRequest | None:
    if coordinator.role != COORDINATOR:
        return None
    return session.get(DebriefRequest, request_id)


def arrange(session: Session, request: DebriefRequest) -> DebriefRequest:
    """ "I'll be in touch": the request is arranged (a second tap changes nothing)."""
    if request.arranged_at is None:
        request.arranged_at = utcnow()
        session.add(request)
        session.commit()
    return request


NAME = "debrief_requests"
TABLES = ("debrief_request",)


def export(session: Session, user) -> list[dict]:
    from .export import row_dict

    rows = session.exec(select(DebriefRequest).where(DebriefRequest.user_id == user.id).order_by(DebriefRequest.id))
    return [row_dict(row) for row in rows]
