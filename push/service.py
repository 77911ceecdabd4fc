"""The rules of notifications: devices, a person's settings, and reminders."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context
from sqlmodel import Session, func, select

from accounts.models import User
from accounts.rules import RuleError
from extensions import utcnow

from . import endpoints
from .models import NotifySettings, PushSubscription, Reminder
from .schedule import next_fire, once_fire
from .times import MAX_TIMES as MAX_TIMES  # noqa: F401 (read from here too)
from .times import TimeError, parse_time, parse_times, stored

KINDS = ("diary", "checkin", "goal_step", "appointment", "medicine", "task")
SNOOZE = timedelta(hours=1)
MAX_DEVICES = 10  # per account; the same endpoint again is an update, not a new device
MAX_DEVICE_NAME = 80
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


class PushError(RuleError):
    """A rule about notifications said no."""


def zone_of_user(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or "Europe/Stockholm")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Stockholm")


def settings_of(session: Session, user: User) -> NotifySettings | None:
    return session.exec(select(NotifySettings).where(NotifySettings.user_id == user.id)).first()


def _hhmm(value: str, field: str) -> str:
    try:
        return parse_time(value).strftime("%H:%M")
    except TimeError as error:
        raise PushError(error.code, field) from None


def save_settings(session: Session, user: User, *, quiet_start: str, quiet_end: str, show_more: bool) -> NotifySettings:
    quiet_start, quiet_end = (quiet_start or "").strip(), (quiet_end or "").strip()
    if bool(quiet_start) != bool(quiet_end):
        raise PushError("quiet_both", "quiet_end")
    if quiet_start:  # kept as "22:00", however it was written
        quiet_start, quiet_end = _hhmm(quiet_start, "quiet_start"), _hhmm(quiet_end, "quiet_end")
    settings = settings_of(session, user) or NotifySettings(user_id=user.id)
    settings.quiet_start, settings.quiet_end = quiet_start, quiet_end
    settings.show_more = bool(show_more)
    session.add(settings)
    session.commit()
    return settings


def allow_loopback() -> bool:
    """PUSH_ALLOW_LOOPBACK: `http` and loopback endpoints, for tests and local development only."""
    return bool(has_app_context() and current_app.config.get("PUSH_ALLOW_LOOPBACK"))


def _key(value: object, size: int) -> bool:
    """A base64url key (RFC 8291) that decodes to exactly `size` bytes."""
    if not isinstance(value, str) or len(value) > 2 * size or not _BASE64URL.match(value):
        return False
    try:
        return len(base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))) == size
    except (binascii.Error, ValueError):
        return False


def subscription_fields(data: object) -> dict:
    """The fields of a browser's PushSubscription.toJSON() (plus our `device`), checked for
    shape and type; anything else, NUL characters included, is refused."""
    if not isinstance(data, dict):
        raise PushError("subscription", None)
    endpoint, keys, device = data.get("endpoint"), data.get("keys"), data.get("device", "")
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= endpoints.MAX_LENGTH or not isinstance(keys, dict):
        raise PushError("subscription", None)
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(p256dh, str) or not isinstance(auth, str) or not isinstance(device, (str, type(None))):
        raise PushError("subscription", None)
    if any("\x00" in value for value in (endpoint, p256dh, auth, device or "")):
        raise PushError("subscription", None)
    return {"endpoint": endpoint, "p256dh": p256dh, "auth": auth, "device": device or ""}


def subscribe(
    session: Session,
    user: User,
    endpoint: str,
    p256dh: str,
    auth: str,
    device: str = "",
    *,
    loopback: bool | None = None,
) -> PushSubscription:
    """Turn notifications on for a device. The endpoint must be a public https push service
    (push.endpoints); its keys a P-256 point (65 bytes) and a 16-byte secret."""
    if not (_key(p256dh, 65) and p256dh.rstrip("=")[:1] == "B" and _key(auth, 16)):
        raise PushError("subscription", None)
    device = device or ""
    if (
        not isinstance(device, str)
        or len(device) > MAX_DEVICE_NAME
        or any(ord(c) < 32 or ord(c) == 127 for c in device)
    ):
        raise PushError("subscription", None)
    try:
        endpoints.check(endpoint, allow_loopback() if loopback is None else loopback, endpoints.resolve_in_time)
    except endpoints.EndpointRefused as refused:
        raise PushError("subscription" if refused.retry else "endpoint", None) from None
    existing = session.exec(select(PushSubscription).where(PushSubscription.endpoint == endpoint)).first()
    if existing is not None and existing.user_id != user.id:
        session.delete(existing)  # the device now belongs to another account on it
        session.flush()
        existing = None
    if existing is None:
        count = session.exec(
            select(func.count()).select_from(PushSubscription).where(PushSubscription.user_id == user.id)
        ).one()
        if count >= MAX_DEVICES:
            raise PushError("too_many_devices", None)
    row = existing or PushSubscription(user_id=user.id, endpoint=endpoint, p256dh=p256dh, auth=auth)
    row.p256dh, row.auth, row.device = p256dh, auth, device
    session.add(row)
    session.commit()
    return row


def subscriptions_of(session: Session, user: User) -> list[PushSubscription]:
    return list(
        session.exec(
            select(PushSubscription).where(PushSubscription.user_id == user.id).order_by(PushSubscription.created_at)
        )
    )


def get_subscription(session: Session, user: User, subscription_id: int) -> PushSubscription | None:
    """One of the user's own devices; None for anyone else's, as if it did not exist."""
    row = session.get(PushSubscription, subscription_id)
    return row if row is not None and row.user_id == user.id else None


def delete_subscription(session: Session, row: PushSubscription) -> None:
    session.delete(row)
    session.commit()


def remove_subscription(session: Session, user: User, subscription_id: int) -> bool:
    row = get_subscription(session, user, subscription_id)
    if row is None:
        return False
    delete_subscription(session, row)
    return True


def _times(value: str | list[str]) -> list:
    """The times of a reminder, as one text or several fields; see push/times.py."""
    try:
        return parse_times(value)
    except TimeError as error:
        raise PushError(error.code, "times") from None


def compute_next(reminder: Reminder, after: datetime) -> datetime | None:
    zone = ZoneInfo(reminder.time_zone)
    if reminder.once_local:
        return once_fire(datetime.fromisoformat(reminder.once_local), zone, after)
    weekdays = {int(d) for d in reminder.weekdays.split(",") if d}
    return next_fire(_times(reminder.times), weekdays, zone, after)


def save_reminder(
    session: Session,
    user: User,
    *,
    kind: str,
    title: str,
    times: str | list[str],
    weekdays: list[str],
    once_at: datetime | None,
    reminder: Reminder | None = None,
) -> Reminder:
    if kind not in KINDS:
        raise PushError("reminder_kind", "kind")
    title = " ".join((title or "").split())
    if not title:
        raise PushError("reminder_title", "title")
    if len(title) > 80:
        raise PushError("reminder_title_long", "title")
    days = sorted({int(d) for d in weekdays or [] if str(d) in ("0", "1", "2", "3", "4", "5", "6")})
    if once_at is None:
        if not _times(times):
            raise PushError("reminder_when", "times")
    row = reminder or Reminder(user_id=user.id, kind=kind, title=title, time_zone=user.time_zone)
    if row.user_id != user.id:
        raise PushError("unknown", None)
    row.kind, row.title = kind, title
    row.times = "" if once_at else stored(_times(times))
    row.weekdays = "" if once_at else ",".join(str(d) for d in days)
    row.once_local = once_at.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M") if once_at else None
    row.time_zone = user.time_zone or "Europe/Stockholm"
    row.next_fire_at = compute_next(row, utcnow())
    if once_at is not None and row.next_fire_at is None:
        raise PushError("reminder_past", "once_at")
    row.active = True
    session.add(row)
    session.commit()
    return row


def reminders_of(session: Session, user: User) -> list[Reminder]:
    return list(session.exec(select(Reminder).where(Reminder.user_id == user.id).order_by(Reminder.created_at)))


def get_reminder(session: Session, user: User, reminder_id: int) -> Reminder | None:
    return reminder_of(session, user.id, reminder_id)


def reminder_of(session: Session, user_id: int, reminder_id: int) -> Reminder | None:
    row = session.get(Reminder, reminder_id)
    return row if row is not None and row.user_id == user_id else None


def delete_reminder(session: Session, reminder: Reminder) -> None:
    session.delete(reminder)
    session.commit()


def snooze(session: Session, reminder: Reminder, now: datetime | None = None) -> None:
    """'Later (1 h)' from the notification: the reminder comes again in an hour."""
    now = now or utcnow()
    reminder.next_fire_at = (
        min(filter(None, [reminder.next_fire_at, now + SNOOZE]))
        if reminder.next_fire_at and reminder.next_fire_at > now
        else now + SNOOZE
    )
    reminder.active = True
    session.add(reminder)
    session.commit()
