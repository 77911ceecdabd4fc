"""Tables of delivery: push subscriptions, reminders, a person's notification settings,
and the outbox the worker sends from."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from accounts.models import user_fk
from accounts.sealing import by_owner, sealed_field, watch
from extensions import utcnow


class PushSubscription(SQLModel, table=True):
    """One device's push subscription (RFC 8030), with the keys to encrypt for it (RFC 8291)."""

    __tablename__ = "push_subscription"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    endpoint: str = Field(max_length=1000, unique=True)
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)
    device: str = Field(default="", max_length=80)
    created_at: datetime = Field(default_factory=utcnow)
    last_success_at: Optional[datetime] = None
    send_errors: int = 0


class NotifySettings(SQLModel, table=True):
    __tablename__ = "notify_settings"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk(unique=True))
    quiet_start: str = Field(default="", max_length=5)  # "22:00"; empty = no quiet hours
    quiet_end: str = Field(default="", max_length=5)
    show_more: bool = False  # opt in to more than the neutral text on the lock screen
    # A person's own lock-screen words are never here: they live only on their phone
    # (static/js/own-words.js keeps them, static/js/sw.js shows them).


@watch
class Reminder(SQLModel, table=True):
    __tablename__ = "reminder"
    __sealed__ = {"title": by_owner}  # the worker never reads it: notifications stay neutral

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    kind: str = Field(max_length=16)  # diary, checkin, goal_step, appointment, medicine, task
    title: str = sealed_field(default="")
    times: str = Field(default="", max_length=100)  # "08:00,20:30" for repeating reminders
    weekdays: str = Field(default="", max_length=20)  # "0,2,4" (Monday = 0); empty = every day
    once_local: Optional[str] = Field(default=None, max_length=16)  # a one-off: local wall time "2027-03-31T14:30"
    time_zone: str = Field(max_length=64)
    next_fire_at: Optional[datetime] = Field(default=None, index=True)  # UTC; None = nothing left
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    """The outbox: one row per device and message. Requests only write rows here; the
    worker claims due rows and sends them, so no request ever waits on a push service."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_claim", "status", "priority", "due_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    subscription_id: int = Field(
        sa_column=Column(Integer, ForeignKey("push_subscription.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    kind: str = Field(max_length=24)
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    urgency: str = Field(default="normal", max_length=8)  # very-low, low, normal, high
    priority: int = 1  # claimed in this order: 0 = a support alert, 1 = everything else
    ttl: int = 3600
    due_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default="pending", max_length=12)  # pending, sent, given_up
    attempts: int = 0
    claimed_until: Optional[datetime] = None
    last_error: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: Optional[datetime] = None
