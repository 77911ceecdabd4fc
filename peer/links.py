"""Link keys: each contact's conversation is sealed by its own key ("c<contact id>"), held
by its two people only, each copy sealed to one person's public key (`contact_key`).

The key is made with the contact, by whoever is logged in then, and sealed to both people.
Someone whose account is from before sealing has no public key until their next login;
their copy is sealed for them by the other person, at that person's next login or visit
to the conversation. Whoever holds a key and sees that the other person has none copies
it to them; a contact with no key at all gets one from the first of them to log in."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, select

from accounts import keys
from accounts.models import User, UserKey
from accounts.sealing import KeyUnavailable, current_keyring, register_resolver
from accounts.service import after_login

from .models import Contact, ContactKey, by_link

# "c<contact id>": opened from the copy sealed to someone whose keys the keyring holds.
register_resolver("c", keys.held_copy_resolver(ContactKey, ContactKey.contact_id))


def _people(contact: Contact) -> list[int]:
    return [person for person in (contact.client_id, contact.other_id) if person is not None]


def holds(contact: Contact) -> bool:
    """Whether the current person can read (and write) this conversation now."""
    return current_keyring().has(by_link(contact.id))


def _with_keys(session: Session, people: list[int]) -> dict[int, object]:
    rows = session.exec(select(UserKey.user_id).where(UserKey.user_id.in_(people or [0]))).all()
    return {user_id: keys.public_key(session, user_id) for user_id in rows}


def _give(session: Session, contact: Contact, key: bytes, people: list[int]) -> int:
    """Seal `key` to each of `people` who has a public key, unless they hold a copy already:
    two requests at the same moment (both people sending a first message) never fail on
    each other; the first copy stays. Answers how many copies were added."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    added = 0
    for person, public in _with_keys(session, people).items():
        statement = insert(ContactKey.__table__).values(
            contact_id=contact.id, user_id=person, sealed=keys.seal_to(public, key)
        )
        added += session.execute(statement.on_conflict_do_nothing()).rowcount or 0
    return added


def make(session: Session, contact: Contact) -> bytes | None:
    """A new link key for a contact that has an id and no key yet, sealed to each of its
    people who has a public key; the current person holds it from now on. Should another
    request have made one a moment before, that one is kept and opened instead. Not committed."""
    _give(session, contact, keys.new_key(), _people(contact))
    keyring = current_keyring()
    keyring.forget(by_link(contact.id))
    return keyring.key(by_link(contact.id)) if keyring.has(by_link(contact.id)) else None


def _holders(session: Session, contact_id: int) -> set[int]:
    return set(session.exec(select(ContactKey.user_id).where(ContactKey.contact_id == contact_id)).all())


def share_missing(session: Session, contact: Contact, holders: set[int] | None = None) -> bool:
    """Copy the link key, if the current person holds it, to each person of the contact who
    has a public key now and no copy yet. Answers whether anything was added (not committed)."""
    holders = _holders(session, contact.id) if holders is None else holders
    lacking = [person for person in _people(contact) if person not in holders]
    if not lacking or not holds(contact):
        return False
    return _give(session, contact, current_keyring().key(by_link(contact.id)), lacking) > 0


def open_for_writing(session: Session, contact: Contact) -> bool:
    """Make sure the current person holds the link key before anything is sealed by it:
    a contact with no key at all gets one now (sealed to whoever has a public key, so a
    message to an account from before sealing is sealed all the same). False only when a
    key exists and no copy of it is this person's yet (they get one from the other
    person at that person's next visit)."""
    if holds(contact):
        return True
    if _holders(session, contact.id):
        return False
    return make(session, contact) is not None


def settle(session: Session, user: User) -> None:
    """At login (before what is still plain is sealed): every contact of the person gets a
    key if it has none, and the other person gets their copy if they lack one."""
    contacts = session.exec(select(Contact).where(or_(Contact.client_id == user.id, Contact.other_id == user.id))).all()
    changed = False
    for contact in contacts:
        holders = _holders(session, contact.id)
        if not holders:
            make(session, contact)
            changed = True
        else:
            changed |= share_missing(session, contact, holders)
    if changed:
        session.commit()


@after_login
def _at_login(session: Session, user: User) -> None:
    try:
        settle(session, user)
    except KeyUnavailable:  # never stops a login; the next one tries again
        session.rollback()
