"""Everything of notifications in "export my data"."""

from __future__ import annotations

from sqlmodel import Session, select

from accounts.exporting import register_exporter, row_dict

from .models import Notification, NotifySettings, PushSubscription, Reminder


def collect(session: Session, user) -> dict:
    def rows(model):
        return [row_dict(row) for row in session.exec(select(model).where(model.user_id == user.id).order_by(model.id))]

    return {"devices": rows(PushSubscription), "settings": rows(NotifySettings), "reminders": rows(Reminder),
            "notifications": rows(Notification)}


register_exporter("notifications", ("push_subscription", "notify_settings", "reminder", "notification"), collect)
