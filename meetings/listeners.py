"""What meetings do when a step of "my next steps" changes (diary's signals; diary never
imports meetings): a new time moves the reminders of both people, and a deleted step
tells a peer supporter who was asked or said yes that the meeting is off."""

from __future__ import annotations

from sqlmodel import Session, select

from accounts.models import User
from diary import signals as diary_signals
from diary.models import NextStep
from peer.models import Contact

from . import reminders, signals
from .models import Along, Meeting


def _on_plan_changed(sender, session: Session, user_id: int, **_):
    client = session.get(User, user_id)
    if client is None:
        return
    changed, moved = False, []
    for meeting, step in session.exec(
        select(Meeting, NextStep).join(NextStep, NextStep.id == Meeting.step_id).where(Meeting.user_id == user_id)
    ).all():
        if not isinstance(meeting.received_on, str):  # not this person's request: nothing to count from
            continue
        along = session.exec(select(Along).where(Along.meeting_id == meeting.id)).first()
        if along is not None and along.status in ("asked", "yes") and along.when_local != step.when_local:
            moved.append(along)
        reminders.schedule(session, meeting, step, client)
        changed = True
    if changed:
        session.commit()
    for along in moved:  # the peer supporter asked, or coming along, hears of a new time
        contact = session.get(Contact, along.contact_id)
        if contact is not None and contact.status == "active" and contact.other_id is not None:
            signals.along_moved.send(session=session, along_id=along.id, recipient_id=contact.other_id)


def _on_step_deleting(sender, session: Session, user_id: int, step_id: int, **_):
    found = session.exec(
        select(Along, Contact)
        .join(Meeting, Meeting.id == Along.meeting_id)
        .join(Contact, Contact.id == Along.contact_id)
        .where(Meeting.step_id == step_id, Meeting.user_id == user_id, Along.status.in_(("asked", "yes")))
    ).all()
    for _along, contact in found:
        if contact.other_id is not None and contact.status == "active":
            signals.along_cancelled.send(session=session, along_id=None, recipient_id=contact.other_id)


def listen() -> None:
    diary_signals.plan_changed.connect(_on_plan_changed, weak=False)
    diary_signals.step_deleting.connect(_on_step_deleting, weak=False)
