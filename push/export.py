"""Everything of notifications in "export my data"."""

from __future__ import annotations

from sqlmodel import Session, select

from accounts.exporting import row_dict

from .models import Notification, NotifySettings, PushSubscription, Reminder


def collect(session: Session, user) -> dict:
    def rows(model):
        return [row_dict(row) for row in session.exec(select(model).where(model.user_id == user.id).order_by(model.id))]

    return {
        "devices": rows(PushSubscription),
        "settings": rows(NotifySettings),
        "reminders": rows(Reminder),
        "notifications": rows(Notification),
    }


NAME = "notifications"
TABLES = ("push_subscription", "notify_settings", "reminder", "notification")
