"""A peer supporter as a bisidder: the client asks one of their active peer supporters to
come along to a meeting (where, what they want of them, whether they see the
preparation); the peer supporter says yes or no. On yes the meeting is in both people's
next steps, with reminders the day before and two hours before.

The peer supporter sees the preparation only while the client shares it, as a copy sealed
by their link key (refreshed whenever the client changes it), and each look is written to
the client's access log. The rules here; the pages in routes_along.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from accounts.models import User
from accounts.permissions import PEER
from diary.models import NextStep
from extensions import utcnow
from peer.contacts import active_as_client, client_known_as
from peer.export import row_dict
from peer.models import Contact
from peer.sharing import log_event

from . import reminders, signals
from .models import Along, Meeting
from .service import LIMIT, MeetingError, along_of, refresh_shared_copy

ROLES = ("be_there", "notes", "speak")
PLACE_LIMIT = 300
SHOWN_AFTER = timedelta(hours=12)  # a meeting stays in the peer's next steps this long after it starts


def peer_choices(session: Session, client: User) -> dict[int, str]:
    """The client's active peer supporters, by contact id, named as the client knows them."""
    return {
        row.contact.id: row.bare or row.name for row in active_as_client(session, client) if row.contact.kind == "peer"
    }


def ask(
    session: Session,
    client: User,
    meeting: Meeting,
    step: NextStep,
    *,
    contact_id: int,
    place: str,
    roles,
    note: str,
    share_prep: bool,
    client_key: str | None = None,
) -> tuple[Along, bool]:
    """Ask a peer supporter to come along. Answers (the question, whether it is new): the
    same key again, or a second tap while it waits, gives back the question already asked."""
    if meeting.user_id != client.id or step.id != meeting.step_id:
        raise MeetingError("unknown", None)
    if contact_id not in peer_choices(session, client):
        raise MeetingError("along_peer", "peer")
    place = " ".join((place or "").split())
    note = (note or "").strip()
    if len(place) > PLACE_LIMIT:
        raise MeetingError("along_place_long", "place")
    if len(note) > LIMIT:
        raise MeetingError("meeting_too_long", "note")
    chosen = [role for role in ROLES if role in set(roles or ())]
    if not chosen:
        raise MeetingError("along_role", "roles")
    if not step.when_local:
        raise MeetingError("along_when", None)
    existing = along_of(session, meeting)
    if existing is not None:
        if client_key and existing.client_key == client_key:
            return existing, False  # a retry of the same question
        if existing.contact_id == contact_id and existing.status in ("asked", "yes"):
            # The same person again: what the client writes now is what they see.
            existing.place, existing.role, existing.note = place, ",".join(chosen), note
            existing.share_prep = bool(share_prep)
            session.add(existing)
            refresh_shared_copy(session, meeting)
            session.commit()
            return existing, False
        if existing.status in ("asked", "yes") and existing.contact_id in peer_choices(session, client):
            raise MeetingError("along_already", None)  # (a contact that has ended asks nobody any more)
        old = session.get(Contact, existing.contact_id)
        if old is not None and old.other_id is not None:
            reminders.drop_for(session, meeting.id, old.other_id)
        session.delete(existing)
        session.flush()
    along = Along(
        meeting_id=meeting.id,
        contact_id=contact_id,
        place=place,
        role=",".join(chosen),
        note=note,
        share_prep=bool(share_prep),
        when_local=step.when_local,
        time_zone=reminders.zone_named(client.time_zone).key,
        client_key=client_key,
    )
    session.add(along)
    try:
        session.flush()
    except IntegrityError:  # the same question at the same moment from another tap
        session.rollback()
        found = along_of(session, meeting)
        if found is None:
            raise
        return found, False
    refresh_shared_copy(session, meeting)
    session.commit()
    contact = session.get(Contact, contact_id)
    signals.along_asked.send(session=session, along_id=along.id, recipient_id=contact.other_id)
    return along, True


def set_sharing(session: Session, client: User, meeting: Meeting, share: bool) -> Along | None:
    along = along_of(session, meeting)
    if along is None or meeting.user_id != client.id:
        return None
    if along.share_prep != bool(share):
        along.share_prep = bool(share)
        contact = session.get(Contact, along.contact_id)
        log_event(
            session,
            client.id,
            client,
            "shared" if share else "unshared",
            "meeting",
            meeting.id,
            contact.id if contact else None,
        )
    refresh_shared_copy(session, meeting)
    session.commit()
    return along


def cancel(session: Session, client: User, meeting: Meeting) -> Along | None:
    """The client takes the question back (or no longer wants company): the peer supporter
    is told, if they had not said no, and their reminders go."""
    along = along_of(session, meeting)
    if along is None or meeting.user_id != client.id or along.status not in ("asked", "yes"):
        return None
    along.status, along.prep, along.share_prep = "cancelled", "", False
    session.add(along)
    contact = session.get(Contact, along.contact_id)
    recipient = contact.other_id if contact is not None else None
    if recipient is not None:
        reminders.drop_for(session, meeting.id, recipient)
    session.commit()
    if recipient is not None:
        signals.along_cancelled.send(session=session, along_id=along.id, recipient_id=recipient)
    return along


def along_for_peer(session: Session, peer: User, along_id: int) -> Along | None:
    """A question to this peer supporter, through an active contact; None for anyone else."""
    along = session.get(Along, along_id)
    if along is None or peer.role != PEER:
        return None
    contact = session.get(Contact, along.contact_id)
    if contact is None or contact.other_id != peer.id or contact.kind != "peer" or contact.status != "active":
        return None
    return along


def answer(session: Session, peer: User, along: Along, yes: bool, now: datetime | None = None) -> bool:
    """Yes or no, once: one conditional UPDATE, so a double tap or two devices answer once.
    A yes can later become "I can't come after all" (no). Answers whether it changed."""
    now = now or utcnow()
    if yes:
        allowed = ("asked",)
        start = reminders.deadlines.meeting_moment(along.when_local, reminders.zone_named(along.time_zone))
        if start is None:
            raise MeetingError("along_no_time", None)
        if start <= now:
            raise MeetingError("along_passed", None)
    else:
        allowed = ("asked", "yes")
    changed = session.execute(
        update(Along)
        .where(Along.id == along.id, Along.status.in_(allowed))
        .values(status="yes" if yes else "no", answered_at=now)
    ).rowcount
    if not changed:
        session.rollback()
        return False
    session.refresh(along)
    if not yes:
        along.prep, along.share_prep = "", False  # a no takes the shared copy away too
        session.add(along)
    meeting = session.get(Meeting, along.meeting_id)
    step = session.get(NextStep, meeting.step_id)
    reminders.schedule_peer(session, along, meeting, now=now, done=step is not None and step.done_at is not None)
    session.commit()
    signals.along_answered.send(session=session, along_id=along.id, recipient_id=meeting.user_id)
    return True


@dataclass
class AlongRow:
    along: Along
    contact: Contact
    client_name: str
    start: datetime | None


def for_peer(session: Session, peer: User, now: datetime | None = None) -> tuple[list[AlongRow], list[AlongRow]]:
    """The questions waiting for this peer supporter's answer, and the meetings they said
    yes to that have not passed (their next steps), soonest first."""
    now = now or utcnow()
    rows = session.exec(
        select(Along, Contact, User)
        .join(Contact, Contact.id == Along.contact_id)
        .join(User, User.id == Contact.client_id)
        .where(Contact.other_id == peer.id, Contact.status == "active", Along.status.in_(("asked", "yes")))
    ).all()
    waiting, coming = [], []
    for along, contact, client in rows:
        start = reminders.deadlines.meeting_moment(along.when_local, reminders.zone_named(along.time_zone))
        if start is not None and start + SHOWN_AFTER < now:
            continue
        row = AlongRow(along, contact, client_known_as(contact, client), start)
        (waiting if along.status == "asked" else coming).append(row)

    def soonest(row: AlongRow):
        return (row.start is None, row.start or now)

    return sorted(waiting, key=soonest), sorted(coming, key=soonest)


def row_for(session: Session, along: Along) -> AlongRow:
    contact = session.get(Contact, along.contact_id)
    client = session.get(User, contact.client_id)
    start = reminders.deadlines.meeting_moment(along.when_local, reminders.zone_named(along.time_zone))
    return AlongRow(along, contact, client_known_as(contact, client), start)


def by_step(session: Session, client: User) -> dict[int, tuple[str, str]]:
    """For "my next steps": each prepared step's question to come along, as (status, the
    peer supporter's name as the client knows them)."""
    names = peer_choices(session, client)
    rows = session.exec(
        select(Meeting.step_id, Along.status, Along.contact_id)
        .join(Along, Along.meeting_id == Meeting.id)
        .where(Meeting.user_id == client.id)
    ).all()
    return {step_id: (status, names[contact_id]) for step_id, status, contact_id in rows if contact_id in names}


def waiting_count(session: Session, peer: User) -> int:
    return len(for_peer(session, peer)[0])


def shared_prep(session: Session, along: Along, viewer: User) -> dict[str, str]:
    """The preparation the client shares with this peer supporter; each look goes into the
    client's access log. Empty when not shared (or not open)."""
    if (
        along.status not in ("asked", "yes")
        or not along.share_prep
        or not isinstance(along.prep, str)
        or not along.prep
    ):
        return {}
    try:
        found = json.loads(along.prep)
    except ValueError:
        return {}
    meeting = session.get(Meeting, along.meeting_id)
    log_event(session, meeting.user_id, viewer, "viewed", "meeting", meeting.id, along.contact_id)
    session.commit()
    return {key: value for key, value in found.items() if isinstance(value, str) and value}


def roles_of(along: Along) -> list[str]:
    return [role for role in (along.role or "").split(",") if role in ROLES] if isinstance(along.role, str) else []


def export_along(session: Session, user: User) -> list[dict]:
    """Questions to come along that this person asked or was asked, opened with their link keys."""
    rows = session.exec(
        select(Along, Contact)
        .join(Contact, Contact.id == Along.contact_id)
        .where((Contact.client_id == user.id) | (Contact.other_id == user.id))
        .order_by(Along.id)
    ).all()
    found = []
    for along, contact in rows:
        shared_now = along.status in ("asked", "yes") and contact.status == "active"
        mine = contact.client_id == user.id
        found.append(row_dict(along, leave_out=() if mine or shared_now else ("prep",)))
    return found
