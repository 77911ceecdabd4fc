"""'Tell my people': the part of the help flow that sends the support alert.

One card on the crisis page that goes through its steps in place: who would be told (by the
client's own names for them), the confirmation, and afterwards who was told. With nobody to
tell it says so before anything is sent, and sending then sends nothing and says so too."""

from __future__ import annotations

from dataclasses import dataclass, field

from babel.lists import format_list
from flask_babel import get_locale
from sqlmodel import Session, select

from accounts.models import User

from . import alerts, contacts, messages
from .forms import AlertForm
from .models import AlertDelivery, SupportAlert

ASK, CONFIRM, NOBODY, TOLD, NOTHING_SENT = "ask", "confirm", "nobody", "told", "nothing_sent"


@dataclass
class Tell:
    state: str
    names: list[str] = field(default_factory=list)  # who would be, or was, told
    has_contacts: bool = False  # any active contact at all (alerts on or not)
    people: list[contacts.ContactRow] = field(default_factory=list)  # to write to one by one (issue 13)
    form: object = None

    @property
    def names_text(self) -> str:
        """ "Mum (relative) and Lina (peer supporter)", in the reader's language."""
        return format_list(self.names, locale=str(get_locale() or "en")) if self.names else ""


def _names(session: Session, client: User) -> dict[int, str]:
    """How the client knows each person, by contact id (the client's own names: issue 13)."""
    return {row.contact.id: row.name for row in contacts.contacts_of(session, client)}


def _writable(rows: list[contacts.ContactRow]) -> list[contacts.ContactRow]:
    """The people a message can go to now: not a relative with messages switched off."""
    return [row for row in rows if messages.can_write(row.contact)]


def for_client(session: Session, client: User, state: str | None = None, form=None) -> Tell:
    """The card for a client now: who would be told, or, with nobody, that nobody would be."""
    people = contacts.active_as_client(session, client)
    names = [row.name for row in people if row.contact.alerts]
    if not names:
        state = NOTHING_SENT if state == NOTHING_SENT else NOBODY
    elif state == NOTHING_SENT:  # someone was chosen for alerts meanwhile: ask again
        state = CONFIRM
    if state == CONFIRM and form is None:
        form = AlertForm(formdata=None)
    return Tell(state=state or ASK, names=names, has_contacts=bool(people), people=_writable(people), form=form)


def send(session: Session, client: User, note: str = "") -> SupportAlert | None:
    """Send the alert to everyone the client chose for alerts; with nobody, send nothing."""
    if not alerts.alert_contacts(session, client):
        return None
    return alerts.raise_alert(session, client, note)


def told(session: Session, client: User, alert: SupportAlert) -> Tell:
    """Who this alert reached, by the client's names for them."""
    names = _names(session, client)
    contact_ids = session.exec(select(AlertDelivery.contact_id).where(AlertDelivery.alert_id == alert.id)).all()
    people = contacts.active_as_client(session, client)
    return Tell(
        state=TOLD,
        names=[names[cid] for cid in contact_ids if cid in names],
        has_contacts=bool(people),
        people=_writable(people),
    )


def own_alert(session: Session, client: User, alert_id: int) -> SupportAlert | None:
    """The client's own alert; None for anyone else's (the page answers 404)."""
    alert = session.get(SupportAlert, alert_id)
    return alert if alert is not None and alert.client_id == client.id else None
