"""A person's meetings in "export my data": every column, opened; the questions to come
along (asked by them, or of them) with the words their link keys open; the moments of
their reminders."""

from __future__ import annotations

from sqlmodel import Session, select

from accounts.exporting import row_dict

from .along import export_along
from .models import Meeting, MeetingReminder

NAME = "meetings"
TABLES = ("meeting", "meeting_along", "meeting_reminder")


def collect(session: Session, user) -> dict:
    """The person's meetings in "export my data": every column, opened; the questions to
    come along (asked by them, or of them) with the words their link keys open."""
    mine = session.exec(select(Meeting).where(Meeting.user_id == user.id).order_by(Meeting.id)).all()
    times = session.exec(
        select(MeetingReminder).where(MeetingReminder.user_id == user.id).order_by(MeetingReminder.fire_at)
    ).all()
    return {
        "meetings": [row_dict(row) for row in mine],
        "along": export_along(session, user),
        "reminders": [row_dict(row) for row in times],
    }
