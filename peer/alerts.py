"""'I need support now': one confirmation, and every contact the client chose for alerts
hears of it at once. The client sees who has seen it, and when. The client's note is
sealed by their own key; each person alerted reads their copy in their delivery."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from accounts.models import User
from accounts.permissions import CLIENT
from accounts.sealing import current_keyring
from extensions import utcnow

from . import links, signals
from .errors import PeerError
from .models import AlertDelivery, Contact, SupportAlert, by_link

NOTE_MAX = 300


def alert_contacts(session: Session, client: User) -> list[Contact]:
    return list(
        session.exec(
            select(Contact).where(
                Contact.client_id == client.id,
                Contact.status == "active",
                Contact.other_id.is_not(None),
                Contact.alerts.is_(True),
            )
        )
    )


def raise_alert(session: Session, client: User, note: str = "") -> SupportAlert:
    if client.role != CLIENT:
        raise PeerError("unknown", None)
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise PeerError("alert_note_long", "note")
    alert = SupportAlert(client_id=client.id, note=note)
    session.add(alert)
    session.flush()
    recipients, urls = [], {}
    for contact in alert_contacts(session, client):
        # Each person alerted gets their own copy of the note, sealed by the link key; if
        # that key is not open to the client yet, the alert goes without the note.
        copy = note if note and links.open_for_writing(session, contact) else ""
        session.add(AlertDelivery(alert_id=alert.id, contact_id=contact.id, user_id=contact.other_id, note=copy))
        recipients.append(contact.other_id)
        # Where each person sees the alert: a peer supporter's inbox, a relative's linked view.
        urls[contact.other_id] = "/inbox" if contact.kind == "peer" else "/linked"
    session.commit()
    signals.support_alert_raised.send(alert_id=alert.id, recipient_ids=recipients, urls=urls)
    return alert


@dataclass
class OpenAlert:
    alert: SupportAlert
    delivery: AlertDelivery
    client: User

    @property
    def note(self) -> str:
        """The recipient's copy of the client's note ("" while their link key is not open)."""
        return self.delivery.note if current_keyring().has(by_link(self.delivery.contact_id)) else ""


def open_alerts_for(session: Session, user: User) -> list[OpenAlert]:
    """Alerts that reached the user and nobody has answered yet, newest first."""
    rows = session.exec(
        select(SupportAlert, AlertDelivery, User)
        .join(AlertDelivery, AlertDelivery.alert_id == SupportAlert.id)
        .join(User, User.id == SupportAlert.client_id)
        .where(AlertDelivery.user_id == user.id, SupportAlert.answered_at.is_(None))
        .order_by(SupportAlert.raised_at.desc())
    ).all()
    return [OpenAlert(*row) for row in rows]


def open_alerts_in(session: Session, user: User, contact_ids: set[int]) -> list[OpenAlert]:
    """The open alerts that reached the user through these contacts (a relative's links)."""
    return [item for item in open_alerts_for(session, user) if item.delivery.contact_id in contact_ids]


def mark_delivered_seen(session: Session, items: list[OpenAlert]) -> None:
    """The person has the alerts in front of them: the client sees that they were seen."""
    now, changed = utcnow(), False
    for item in items:
        if item.delivery.seen_at is None:
            item.delivery.seen_at, changed = now, True
            session.add(item.delivery)
    if changed:
        session.commit()


def mark_seen(session: Session, user: User, contact: Contact) -> None:
    """The person opened the conversation: the client's alerts there count as seen."""
    deliveries = session.exec(
        select(AlertDelivery).where(
            AlertDelivery.contact_id == contact.id, AlertDelivery.user_id == user.id, AlertDelivery.seen_at.is_(None)
        )
    ).all()
    for delivery in deliveries:
        delivery.seen_at = utcnow()
        session.add(delivery)
    if deliveries:
        session.commit()


def my_alerts(
    session: Session, client: User, limit: int = 5
) -> list[tuple[SupportAlert, list[tuple[AlertDelivery, User]]]]:
    alerts = session.exec(
        select(SupportAlert)
        .where(SupportAlert.client_id == client.id)
        .order_by(SupportAlert.raised_at.desc())
        .limit(limit)
    ).all()
    result = []
    for alert in alerts:
        seen = session.exec(
            select(AlertDelivery, User)
            .join(User, User.id == AlertDelivery.user_id)
            .where(AlertDelivery.alert_id == alert.id)
        ).all()
        result.append((alert, list(seen)))
    return result
