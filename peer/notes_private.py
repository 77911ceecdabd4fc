"""A peer supporter's private note per person they support ("My private note" on their side
of the conversation). Sealed by the peer supporter's own key ("u<id>"): only they read it.
The client never sees it, a coordinator never reaches it, and it goes into the peer
supporter's own export. It goes with the contact and with either account (ON DELETE
CASCADE). Saving is one statement that inserts or updates, so a double tap or a retry
stores one note; saving it empty takes it away."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete
from sqlmodel import Session, select
from wtforms import TextAreaField

from accounts.models import User
from accounts.permissions import PEER
from accounts.sealing import sealed_values
from core.forms import NaraForm
from extensions import upsert, utcnow

from .errors import PeerError
from .export import row_dict
from .models import Contact, PeerNote

NOTE_MAX = 2000

MESSAGES = {
    "peer_note_long": _l("Your note can have at most 2,000 characters. Shorten it a little and save again."),
}


class PeerNoteForm(NaraForm):
    # No length check here: the rule below says it, with the number, whatever was sent.
    text = TextAreaField(
        _l("Your note"),
        description=_l("Only you can read this. The person you support and the coordinators never see it."),
    )


def note_contact(session: Session, user: User, contact_id: int) -> Contact | None:
    """The contact if the user is its peer supporter (the only one a note is for); None for
    anyone else, the client and a coordinator too, as if it did not exist."""
    contact = session.get(Contact, contact_id)
    if contact is None or user.role != PEER or contact.kind != "peer" or contact.other_id != user.id:
        return None
    return contact


def note_of(session: Session, peer: User, contact: Contact) -> PeerNote | None:
    return session.exec(select(PeerNote).where(PeerNote.contact_id == contact.id, PeerNote.user_id == peer.id)).first()


def text_of(session: Session, peer: User, contact: Contact) -> str:
    note = note_of(session, peer, contact)
    return note.text if note is not None else ""


def save(session: Session, peer: User, contact: Contact, text: str) -> bool:
    """Keep the peer supporter's note about this person; empty text takes it away.
    Answers whether a note is kept now."""
    if note_contact(session, peer, contact.id) is None:
        raise PeerError("unknown", None)
    text = (text or "").strip()
    if len(text) > NOTE_MAX:
        raise PeerError("peer_note_long", "text")
    if not text:
        session.exec(delete(PeerNote).where(PeerNote.contact_id == contact.id, PeerNote.user_id == peer.id))
        session.commit()
        return False
    upsert(
        session,
        PeerNote,
        {"contact_id": contact.id, "user_id": peer.id},
        sealed_values(PeerNote, {"user_id": peer.id}, {"text": text, "updated_at": utcnow()}),
    )
    session.commit()
    return True


def noted_contacts(session: Session, peer: User) -> set[int]:
    """The contacts this peer supporter keeps a note about (for the inbox's marker; the
    text stays sealed)."""
    return set(session.exec(select(PeerNote.contact_id).where(PeerNote.user_id == peer.id)))


def export(session: Session, user: User) -> list[dict]:
    """The peer supporter's own notes, opened by their own key."""
    return [
        row_dict(row) for row in session.exec(select(PeerNote).where(PeerNote.user_id == user.id).order_by(PeerNote.id))
    ]
