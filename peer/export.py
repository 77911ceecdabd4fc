"""Everything of the people side in "export my data": the person's contacts, the whole
conversations they are part of (also those with a deleted account), alerts, shares, their
access log and their reports. A report about the person is not theirs: it would expose
the reporter (tests/test_schema.py lists such columns).

What is sealed is exported opened, with the keys of the request (the person's own, their
link keys, their report keys). The client's own name for a relative is the client's: it
is not in the relative's export. Keys are named, never given: each is stored only sealed."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, select

from accounts import keys
from accounts.exporting import plain
from accounts.sealing import Broken, SealBroken, Unopened

from .contacts import names_for
from .models import (
    AccessEvent,
    AlertDelivery,
    Contact,
    ContactKey,
    EntryShare,
    GoalShare,
    Invitation,
    Message,
    PeerProfile,
    RelativeNote,
    Report,
    ReportItem,
    ReportKey,
    SharedCopy,
    SupportAlert,
)

NOT_OPEN = "sealed by a key that is not open to you yet: it opens after the other person's next visit"
CHANGED = "this was changed after it was sealed, so it is not shown"


def row_dict(row, leave_out: tuple[str, ...] = ()) -> dict:
    """A row as JSON can hold it, sealed values opened (never touched when not open)."""
    found = {}
    for name in type(row).model_fields:
        if name in leave_out:
            continue
        value = getattr(row, name)  # a sealed value not open is an Unopened: never used here
        found[name] = (
            CHANGED if isinstance(value, Broken) else NOT_OPEN if isinstance(value, Unopened) else plain(value)
        )
    return found


def _rows(session: Session, query) -> list:
    return [row_dict(row) for row in session.exec(query)]


def _contacts(session: Session, user, mine) -> list[dict]:
    rows = session.exec(select(Contact).where(mine).order_by(Contact.id)).all()
    return [row_dict(row, leave_out=() if row.client_id == user.id else ("label",)) for row in rows]


def _keys(session: Session, model, column: str, user, what: str) -> list[dict]:
    rows = session.exec(select(model).where(model.user_id == user.id)).all()
    return [{column: getattr(row, column), "user_id": row.user_id, "key": what} for row in rows]


def _access_log(session: Session, user) -> list[dict]:
    """The log with who looked, named as the person knows them on the page ("Mum
    (relative)"), never by an account name they have not seen; None: a deleted account."""
    known = names_for(session, user)
    rows = session.exec(select(AccessEvent).where(AccessEvent.user_id == user.id).order_by(AccessEvent.id)).all()
    return [
        {
            **row_dict(event),
            "actor": None
            if event.actor_id is None
            else ("you" if event.actor_id == user.id else known.get(event.actor_id)),
        }
        for event in rows
    ]


def _shared_copies(session: Session, user) -> dict:
    """The copies of what the person shares (sealed to the people they share with: only
    those people can open them), and the copies shared with them, opened by their own key."""
    made = session.exec(select(SharedCopy).where(SharedCopy.owner_id == user.id).order_by(SharedCopy.id)).all()
    received = session.exec(select(SharedCopy).where(SharedCopy.recipient_id == user.id).order_by(SharedCopy.id)).all()
    return {
        "sealed_for_others": [row_dict(row) for row in made],
        "shared_with_me": [{**row_dict(row), "opened": _open(user, row)} for row in received],
    }


def _open(user, row: SharedCopy):
    try:
        return keys.open_json_sealed_to(user.id, row.sealed)
    except SealBroken:
        return "this copy was changed after it was sealed, so it is not shown"


def collect(session: Session, user) -> dict:
    mine = or_(Contact.client_id == user.id, Contact.other_id == user.id)
    contact_ids = list(session.exec(select(Contact.id).where(mine)))
    return {
        "peer_profile": _rows(session, select(PeerProfile).where(PeerProfile.user_id == user.id)),
        "contacts": _contacts(session, user, mine),
        "conversation_keys": _keys(
            session, ContactKey, "contact_id", user, "random, stored only sealed to your public key"
        ),
        "messages": _rows(
            session,
            select(Message)
            .where(or_(Message.contact_id.in_(contact_ids or [0]), Message.sender_id == user.id))
            .order_by(Message.id),
        ),
        "support_alerts": _rows(session, select(SupportAlert).where(SupportAlert.client_id == user.id)),
        "alert_deliveries": _rows(session, select(AlertDelivery).where(AlertDelivery.user_id == user.id)),
        "entry_shares": _rows(session, select(EntryShare).where(EntryShare.user_id == user.id)),
        "access_log": _access_log(session, user),
        "reports": _rows(session, select(Report).where(Report.user_id == user.id)),
        "report_items": _rows(session, select(ReportItem).where(ReportItem.user_id == user.id)),
        "report_keys": _keys(session, ReportKey, "report_id", user, "random, stored only sealed to your public key"),
        "goal_shares": _rows(session, select(GoalShare).where(GoalShare.user_id == user.id)),
        "invitations": [
            # The personal line and the name in it are sealed by the code's key, which is
            # kept nowhere: only the link opens them.
            row_dict(row, leave_out=("code_hash", "note", "from_name"))
            for row in session.exec(select(Invitation).where(Invitation.user_id == user.id))
        ],
        "relative_notes": _rows(session, select(RelativeNote).where(RelativeNote.user_id == user.id)),
        "shared_copies": _shared_copies(session, user),
    }


NAME = "people"
TABLES = (
    "peer_profile",
    "contact",
    "message",
    "support_alert",
    "alert_delivery",
    "entry_share",
    "access_event",
    "report",
    "report_item",
    "goal_share",
    "invitation",
    "relative_note",
    "shared_copy",
    "contact_key",
    "report_key",
)
