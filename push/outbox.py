"""Writing to the outbox: one row per device of the person, with a neutral lock-screen
text unless the person opted in to more. Called from requests (through peer's signals)
and from the reminder scheduler; it only inserts rows."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session, select

from accounts import signals as account_signals
from accounts.models import User
from extensions import db, utcnow
from meetings import signals as meeting_signals
from peer import signals

from .models import Notification, NotifySettings, PushSubscription
from .schedule import after_quiet_hours, parse_hhmm
from .service import settings_of, zone_of_user

TTL = {
    "alert": 6 * 3600,
    "reminder": 2 * 3600,
    "supply": 24 * 3600,
    "stay_ask": 15 * 60,
    "stay_ok": 6 * 3600,
    "handover": 3 * 24 * 3600,  # the question waits in the app for days; the push may too
    "handover_new": 24 * 3600,
    "debrief": 24 * 3600,
    "along": 24 * 3600,
    "along_answer": 24 * 3600,
}
# Support alerts and Stay with me (stay/) are claimed before everything else; the rest is 1.
PRIORITY = {"alert": 0, "stay_ask": 0, "stay_ok": 0}


def _texts(user: User, settings: NotifySettings | None, kind: str) -> tuple[str, str]:
    """The title and body shown on the lock screen: never message text, names or drugs.
    A person's own words are not the server's to send: the phone shows them instead
    (static/js/sw.js), from where it keeps them."""
    with force_locale(user.locale or "sv"):
        if kind == "reminder":
            return _("Nära"), _("A reminder")
        if kind == "supply":  # a drug-supply warning: the same plain words, whatever the settings
            return _("Nära"), _("New information")
        if kind == "stay_ask":  # Stay with me asks "Are you OK?" in the app: the lock screen stays neutral
            return _("Nära"), _("Time to check in")
        if settings and settings.show_more:
            more = {
                "message": _("A new message"),
                "contact_request": _("A new contact request"),
                "contact_accepted": _("Your request was accepted"),
                "alert": _("Someone needs support now"),
                "invitation_accepted": _("Your invitation was accepted"),
                "stay_ok": _("They are OK now"),
                "handover": _("A question about your peer supporter"),
                "handover_new": _("Someone new in your inbox"),
                "debrief": _("A peer supporter asks for a debrief"),
                "approved": _("You have been approved"),
                "report_answered": _("You have an answer from a coordinator"),
                "along": _("A question about a meeting"),
                "along_answer": _("An answer about a meeting"),
            }
            return _("Nära"), more.get(kind, _("Something new for you"))
        return _("Nära"), _("Something new for you")


def enqueue(
    session: Session,
    user_id: int,
    kind: str,
    url: str,
    *,
    urgency: str = "normal",
    due_at: datetime | None = None,
    reminder_id: int | None = None,
    ignore_quiet: bool = False,
) -> int:
    """Write one outbox row per device of the person; returns how many."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        return 0
    subscriptions = session.exec(select(PushSubscription).where(PushSubscription.user_id == user_id)).all()
    if not subscriptions:
        return 0
    settings = settings_of(session, user)
    due = due_at or utcnow()
    if not ignore_quiet and settings is not None:
        due = after_quiet_hours(
            due, parse_hhmm(settings.quiet_start), parse_hhmm(settings.quiet_end), zone_of_user(user)
        )
    title, body = _texts(user, settings, kind)
    payload = {"title": title, "body": body, "url": url, "tag": f"{kind}-{reminder_id or ''}"}
    if reminder_id:
        payload["token"] = action_token(user_id, reminder_id)
        with force_locale(user.locale or "sv"):
            payload["actions"] = {"done": _("Done"), "later": _("Later (1 h)")}
    for subscription in subscriptions:
        session.add(
            Notification(
                user_id=user_id,
                subscription_id=subscription.id,
                kind=kind,
                payload=payload,
                urgency=urgency,
                ttl=TTL.get(kind, 24 * 3600),
                due_at=due,
                priority=PRIORITY.get(kind, 1),
            )
        )
    return len(subscriptions)


def action_token(user_id: int, reminder_id: int) -> str:
    """What the service worker sends back for "Later (1 h)": signed, so it needs no cookie."""
    return URLSafeTimedSerializer(current_app.secret_key, salt="push-action").dumps([user_id, reminder_id])


def read_action_token(token: str, max_age: int = 7 * 86400) -> tuple[int, int] | None:
    try:
        user_id, reminder_id = URLSafeTimedSerializer(current_app.secret_key, salt="push-action").loads(
            token, max_age=max_age
        )
        return int(user_id), int(reminder_id)
    except (BadSignature, ValueError, TypeError):
        return None


def _enqueue_now(user_id: int, kind: str, url: str, **kwargs) -> None:
    session = db.session
    if enqueue(session, user_id, kind, url, **kwargs):
        session.commit()


def _on_message(sender, message_id: int, contact_id: int, recipient_id: int, **_):
    _enqueue_now(recipient_id, "message", f"/contacts/{contact_id}")


def _on_request(sender, contact_id: int, recipient_id: int, **_):
    _enqueue_now(recipient_id, "contact_request", "/inbox")


def _on_accepted(sender, contact_id: int, recipient_id: int, **_):
    _enqueue_now(recipient_id, "contact_accepted", f"/contacts/{contact_id}")


def _on_alert(sender, alert_id: int, recipient_ids: list[int], urls: dict | None = None, **_):
    session = db.session
    count = sum(
        enqueue(session, user_id, "alert", (urls or {}).get(user_id, "/home"), urgency="high", ignore_quiet=True)
        for user_id in recipient_ids
    )
    if count:
        session.commit()


def _on_invitation_accepted(sender, contact_id: int, recipient_id: int, **_):
    _enqueue_now(recipient_id, "invitation_accepted", "/contacts")


def _on_release_checkin(sender, contact_id: int, recipient_id: int, session=None, **_):
    """A check-in after a release is due: the peer supporter's inbox lists it."""
    session = session or db.session
    if enqueue(session, recipient_id, "release_checkin", "/inbox"):
        session.commit()


def _on_handover_proposed(sender, handover_id: int, recipient_id: int, **_):
    """The client is asked whether a colleague may continue: their contacts page shows it."""
    _enqueue_now(recipient_id, "handover", "/contacts")


def _on_handover_joined(sender, contact_id: int, recipient_id: int, **_):
    """A person said yes to continuing with this peer supporter: their inbox shows them."""
    _enqueue_now(recipient_id, "handover_new", f"/contacts/{contact_id}")


def _on_debrief(sender, request_id: int, recipient_ids: list[int], **_):
    """A peer supporter asks for a debrief: every coordinator's devices, neutral words."""
    session = db.session
    if sum(enqueue(session, user_id, "debrief", "/coordinator/debriefs") for user_id in recipient_ids):
        session.commit()


def _on_approved(sender, user_id: int, **_):
    """A coordinator approved a peer supporter: their start page says welcome, once."""
    _enqueue_now(user_id, "approved", "/home")


def _on_report_answered(sender, report_id: int, recipient_id: int, **_):
    _enqueue_now(recipient_id, "report_answered", f"/reports/{report_id}")


def _on_along_asked(sender, along_id: int, recipient_id: int, **_):
    """A client asks their peer supporter to come along to a meeting."""
    _enqueue_now(recipient_id, "along", f"/along/{along_id}")


def _on_along_answered(sender, along_id: int, recipient_id: int, **_):
    _enqueue_now(recipient_id, "along_answer", "/next-steps")


def _on_along_cancelled(sender, along_id: int | None, recipient_id: int, **_):
    _enqueue_now(recipient_id, "along", "/along")


def _on_meeting_reminder(sender, recipient_id: int, url: str, session=None, **_):
    """A meeting's reminder (the day before, two hours before, an appeal deadline): the
    neutral words of every reminder."""
    session = session or db.session
    if enqueue(session, recipient_id, "reminder", url):
        session.commit()


def listen() -> None:
    """Connect to peer's signals (peer never imports push)."""
    signals.message_created.connect(_on_message, weak=False)
    signals.contact_requested.connect(_on_request, weak=False)
    signals.contact_accepted.connect(_on_accepted, weak=False)
    signals.support_alert_raised.connect(_on_alert, weak=False)
    signals.invitation_accepted.connect(_on_invitation_accepted, weak=False)
    signals.release_checkin_due.connect(_on_release_checkin, weak=False)
    signals.handover_proposed.connect(_on_handover_proposed, weak=False)
    signals.handover_joined.connect(_on_handover_joined, weak=False)
    signals.debrief_requested.connect(_on_debrief, weak=False)
    signals.report_answered.connect(_on_report_answered, weak=False)
    account_signals.peer_approved.connect(_on_approved, weak=False)
    meeting_signals.along_asked.connect(_on_along_asked, weak=False)
    meeting_signals.along_moved.connect(_on_along_asked, weak=False)  # a new time: the same question's page
    meeting_signals.along_answered.connect(_on_along_answered, weak=False)
    meeting_signals.along_cancelled.connect(_on_along_cancelled, weak=False)
    meeting_signals.reminder_due.connect(_on_meeting_reminder, weak=False)
