"""The reminders of a meeting: for the client the day before and two hours before (if they
want them) and a week and two days before an appeal deadline; for a peer supporter who
said yes, the day before and two hours before. Each is a row with a moment and nothing
else; the periodic job sends the ones due, each once, with neutral words."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, update
from sqlmodel import Session, select

from diary.models import NextStep
from extensions import utcnow
from peer.models import Contact

from . import deadlines, signals
from .models import Along, Meeting, MeetingReminder

EVERY = timedelta(minutes=1)
STALE = timedelta(hours=6)  # a reminder the worker missed by more than this is dropped, not sent late


def zone_named(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Europe/Stockholm")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Stockholm")


def _now(now: datetime | None) -> datetime:
    now = now or utcnow()
    return now if now.tzinfo else now.replace(tzinfo=timezone.utc)


def _replace(session: Session, meeting_id: int, user_id: int, moments: list[datetime]) -> None:
    session.execute(
        delete(MeetingReminder).where(
            MeetingReminder.meeting_id == meeting_id,
            MeetingReminder.user_id == user_id,
            MeetingReminder.sent_at.is_(None),
        )
    )
    for moment in sorted(set(moments)):
        session.add(MeetingReminder(meeting_id=meeting_id, user_id=user_id, fire_at=moment))


def deadline_of(meeting: Meeting | None) -> deadlines.Deadline | None:
    if meeting is None or not isinstance(meeting.received_on, str) or not meeting.received_on:
        return None
    try:
        received = date.fromisoformat(meeting.received_on)
    except ValueError:
        return None
    return deadlines.appeal_deadline(received, meeting.country or "SE")


def schedule(session: Session, meeting: Meeting, step: NextStep, client, now: datetime | None = None) -> None:
    """Every reminder of the meeting again, from what it says now (in the client's own
    request: the appeal deadline is sealed by their key). Sent ones stay sent."""
    now = _now(now)
    zone = zone_named(client.time_zone)
    upcoming = meeting.remind and step.done_at is None  # a step marked done needs no reminder of the meeting
    moments = deadlines.meeting_reminders(step.when_local, zone, now) if upcoming else []
    deadline = deadline_of(meeting)
    if deadline is not None and meeting.remind_deadline:
        moments += deadlines.deadline_reminders(deadline, zone, now)
    _replace(session, meeting.id, client.id, moments)
    along = session.exec(select(Along).where(Along.meeting_id == meeting.id)).first()
    if along is not None:
        along.when_local, along.time_zone = step.when_local, zone.key
        session.add(along)
        schedule_peer(session, along, meeting, now, done=step.done_at is not None)


def schedule_peer(
    session: Session, along: Along, meeting: Meeting | None = None, now: datetime | None = None, done: bool = False
) -> None:
    """The peer supporter's reminders: only after a yes, from the readable time alone, so
    the peer supporter's own request can set them."""
    contact = session.get(Contact, along.contact_id)
    if contact is None or contact.other_id is None:
        return
    meeting_id = meeting.id if meeting is not None else along.meeting_id
    moments = (
        deadlines.meeting_reminders(along.when_local, zone_named(along.time_zone), _now(now))
        if along.status == "yes" and contact.status == "active" and not done
        else []
    )
    _replace(session, meeting_id, contact.other_id, moments)


def drop_for(session: Session, meeting_id: int, user_id: int) -> None:
    _replace(session, meeting_id, user_id, [])


def send_due(session: Session, now: datetime) -> int:
    """The periodic job: claim each reminder due (one compare-and-set UPDATE each, so two
    workers send it once), then tell push which page it opens."""
    now = _now(now)
    due = session.exec(
        select(MeetingReminder, Meeting)
        .join(Meeting, Meeting.id == MeetingReminder.meeting_id)
        .where(MeetingReminder.sent_at.is_(None), MeetingReminder.fire_at <= now)
        .order_by(MeetingReminder.fire_at)
        .limit(500)
    ).all()
    sent = 0
    for reminder, meeting in due:
        claimed = session.execute(
            update(MeetingReminder)
            .where(MeetingReminder.id == reminder.id, MeetingReminder.sent_at.is_(None))
            .values(sent_at=now)
        ).rowcount
        session.commit()
        fire_at = reminder.fire_at if reminder.fire_at.tzinfo else reminder.fire_at.replace(tzinfo=timezone.utc)
        if not claimed or now - fire_at > STALE:
            continue
        if reminder.user_id == meeting.user_id:
            url = f"/next-steps/{meeting.step_id}/meeting"
        else:
            along = session.exec(select(Along).where(Along.meeting_id == meeting.id)).first()
            contact = session.get(Contact, along.contact_id) if along is not None else None
            if along is None or along.status != "yes" or contact is None or contact.status != "active":
                continue
            url = f"/along/{along.id}"
        signals.reminder_due.send(session=session, recipient_id=reminder.user_id, url=url)
        sent += 1
    return sent
