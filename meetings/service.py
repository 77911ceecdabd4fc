"""A meeting with the authorities, from an appointment in "my next steps": the client's
preparation (one screen, every field optional) and, after it, what was decided, who does
what next, and the appeal deadline counted from the day the decision came."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from accounts.rules import RuleError
from diary.models import NextStep
from extensions import utcnow

from . import deadlines, reminders
from .models import Along, Meeting

KINDS = ("social", "sip", "hearing", "probation", "jobcentre", "health", "other")
PREP_FIELDS = ("say", "ask", "want", "bring")
AFTER_FIELDS = ("decided", "next_who")
LIMIT = 2000  # characters in one field: a page of plain words


class MeetingError(RuleError):
    """A rule of a meeting said no."""


def step_of(session: Session, user, step_id: int) -> NextStep | None:
    """The person's own step (any kind: a meeting can be prepared from each); else None."""
    step = session.get(NextStep, step_id)
    return step if step is not None and step.user_id == user.id else None


def meeting_of(session: Session, step: NextStep) -> Meeting | None:
    return session.exec(select(Meeting).where(Meeting.step_id == step.id)).first()


def meetings_by_step(session: Session, user_id: int) -> dict[int, Meeting]:
    rows = session.exec(select(Meeting).where(Meeting.user_id == user_id)).all()
    return {row.step_id: row for row in rows}


def _meeting_row(session: Session, user, step: NextStep) -> Meeting:
    """The step's meeting, made if it has none: in a savepoint, so the same first save
    arriving twice at the same moment (a double tap) finds the other's row, never a 500."""
    meeting = meeting_of(session, step)
    if meeting is not None:
        return meeting
    try:
        with session.begin_nested():
            meeting = Meeting(user_id=user.id, step_id=step.id)
            session.add(meeting)
    except IntegrityError:
        meeting = meeting_of(session, step)
    return meeting


def meeting_for(session: Session, user, step: NextStep) -> Meeting:
    """The step's meeting, made empty (with the client's reminders, as a first save would
    make them) if the person asks someone along before preparing."""
    if step.user_id != user.id:
        raise MeetingError("unknown", None)
    meeting = _meeting_row(session, user, step)
    session.flush()
    reminders.schedule(session, meeting, step, user)
    session.commit()
    return meeting


def _text(value, field: str) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if len(text) > LIMIT:
        raise MeetingError("meeting_too_long", field)
    return text


def prepared(meeting: Meeting | None) -> dict[str, str]:
    """What the person put in their preparation, and nothing else: the print view and the
    copy a peer supporter may see are made from this."""
    if meeting is None:
        return {}
    found = {"kind": meeting.kind} if meeting.kind in KINDS else {}
    found.update({name: getattr(meeting, name) for name in PREP_FIELDS if getattr(meeting, name)})
    return found


def save_preparation(session: Session, user, step: NextStep, *, kind: str, remind: bool, **texts) -> Meeting:
    if step.user_id != user.id:
        raise MeetingError("unknown", None)
    if kind and kind not in KINDS:
        raise MeetingError("meeting_kind", "kind")
    cleaned = {name: _text(texts.get(name), name) for name in PREP_FIELDS}
    meeting = _meeting_row(session, user, step)
    meeting.kind = kind or ""
    for name, value in cleaned.items():
        setattr(meeting, name, value)
    meeting.remind = bool(remind)
    meeting.updated_at = utcnow()
    session.add(meeting)
    session.flush()
    refresh_shared_copy(session, meeting)
    reminders.schedule(session, meeting, step, user)
    session.commit()
    return meeting


def refresh_shared_copy(session: Session, meeting: Meeting) -> None:
    """The copy of the preparation sealed to the peer supporter asked, while it is shared;
    made in the client's own request, the only time both keys are open."""
    along = along_of(session, meeting)
    if along is None:
        return
    from peer.models import Contact

    contact = session.get(Contact, along.contact_id)
    open_question = along.status in ("asked", "yes") and contact is not None and contact.status == "active"
    copy = json.dumps(prepared(meeting), ensure_ascii=False) if along.share_prep and open_question else ""
    if along.prep != copy:
        along.prep = copy
        session.add(along)


def along_of(session: Session, meeting: Meeting) -> Along | None:
    return session.exec(select(Along).where(Along.meeting_id == meeting.id)).first()


def save_after(
    session: Session,
    user,
    step: NextStep,
    *,
    decided: str,
    next_who: str,
    received_on: date | None,
    country: str,
    remind_deadline: bool,
    today: date,
) -> Meeting:
    if step.user_id != user.id:
        raise MeetingError("unknown", None)
    cleaned = {name: _text(value, name) for name, value in (("decided", decided), ("next_who", next_who))}
    if received_on is not None and received_on > today:
        raise MeetingError("meeting_received_future", "received_on")
    meeting = _meeting_row(session, user, step)
    meeting.decided, meeting.next_who = cleaned["decided"], cleaned["next_who"]
    meeting.received_on = received_on.isoformat() if received_on else ""
    meeting.country = country if country in deadlines.WEEKS else "SE"
    meeting.remind_deadline = bool(remind_deadline)
    meeting.updated_at = utcnow()
    session.add(meeting)
    session.flush()
    reminders.schedule(session, meeting, step, user)
    session.commit()
    return meeting


deadline_of = reminders.deadline_of  # (read from here by the views)
