"""What a contact may see of a client: the one place that decides it.

A contact sees a diary entry, a goal's progress or how the client is doing only while
the client shares that with that contact and the contact is active. What they see is the
copy sealed to them when the client shared it (peer/copies.py): the client's own rows are
sealed by a key only the client holds. Every look is written to the client's access log,
and so is every change of sharing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import Session, select

from accounts.models import User
from diary.models import DiaryEntry, Goal
from extensions import utcnow

from . import copies
from .errors import PeerError
from .models import AccessEvent, Contact, EntryShare, GoalShare


def contact_for(session: Session, user, contact_id: int) -> Contact | None:
    """The contact if the user is one of its two people; None otherwise, as if it did not exist."""
    contact = session.get(Contact, contact_id)
    if contact is None or user.id not in (contact.client_id, contact.other_id):
        return None
    return contact


def relative_link_of(session: Session, client: User, contact_id: int) -> Contact | None:
    """The client's own active link to a relative, whose consent they may change; else None."""
    contact = contact_for(session, client, contact_id)
    if contact is None or contact.client_id != client.id or contact.kind != "relative" or contact.status != "active":
        return None
    return contact


LOOK_AGAIN_AFTER = timedelta(minutes=1)


def log_event(
    session: Session, owner_id: int, actor: User, action: str, what: str, object_id: int, contact_id: int | None = None
) -> None:
    """Write one line of the owner's access log. A look at the same thing by the same person
    within a minute is the same look: reloading a page does not fill the log."""
    if action == "viewed":
        recent = session.exec(
            select(AccessEvent.id)
            .where(
                AccessEvent.user_id == owner_id,
                AccessEvent.actor_id == actor.id,
                AccessEvent.action == action,
                AccessEvent.what == what,
                AccessEvent.object_id == object_id,
                AccessEvent.at > utcnow() - LOOK_AGAIN_AFTER,
            )
            .limit(1)
        ).first()
        if recent is not None:
            return
    session.add(
        AccessEvent(
            user_id=owner_id, actor_id=actor.id, action=action, what=what, object_id=object_id, contact_id=contact_id
        )
    )


def shares_of_entry(session: Session, client: User, entry: DiaryEntry) -> set[int]:
    return set(
        session.exec(
            select(EntryShare.contact_id).where(EntryShare.entry_id == entry.id, EntryShare.user_id == client.id)
        ).all()
    )


def set_entry_shares(session: Session, client: User, entry: DiaryEntry, contact_ids: set[int]) -> None:
    """Share the entry with exactly these of the client's active contacts."""
    if entry.user_id != client.id:
        raise PeerError("unknown", None)
    allowed = set(
        session.exec(select(Contact.id).where(Contact.client_id == client.id, Contact.status == "active")).all()
    )
    wanted = contact_ids & allowed
    current = shares_of_entry(session, client, entry)
    for contact_id in wanted - current:
        session.add(EntryShare(entry_id=entry.id, contact_id=contact_id, user_id=client.id))
        log_event(session, client.id, client, "shared", "entry", entry.id, contact_id)
    for share in session.exec(
        select(EntryShare).where(EntryShare.entry_id == entry.id, EntryShare.contact_id.in_(current - wanted))
    ):
        session.delete(share)
        log_event(session, client.id, client, "unshared", "entry", entry.id, share.contact_id)
    session.flush()
    copies.refresh_entry(session, client.id, entry.id)  # sealed to whoever sees it now; gone for the rest
    session.commit()


def seen_by(session: Session, client: User, entry_id: int) -> list[str]:
    """Who can see this entry of the client's now, by the names the client knows them by
    (the active contacts it is shared with); empty: only the client."""
    from .contacts import active_as_client

    shared = set(
        session.exec(
            select(EntryShare.contact_id).where(EntryShare.entry_id == entry_id, EntryShare.user_id == client.id)
        ).all()
    )
    if not shared:
        return []
    return [row.name for row in active_as_client(session, client) if row.contact.id in shared]


def _shared_ids(session: Session, model, column, contact: Contact) -> set[int]:
    return set(session.exec(select(column).where(model.contact_id == contact.id)).all())


def shared_entries(session: Session, contact: Contact, viewer: User) -> list[copies.EntryCopy]:
    """The entries the client shares in this contact, newest first, for the other person
    to see: their copies, opened with the viewer's own key."""
    if not _sees(contact, viewer):
        return []
    still = _shared_ids(session, EntryShare, EntryShare.entry_id, contact)
    views = [copies.entry_view(ref_id, doc) for ref_id, doc in copies.opened(session, contact, viewer, "entry")]
    return sorted((v.entry for v in views if v.entry.id in still), key=lambda e: e.written_at, reverse=True)


def _sees(contact: Contact, viewer: User) -> bool:
    return viewer.id == contact.other_id and contact.status == "active"


def shared_checkin(session: Session, contact: Contact, viewer: User) -> copies.CheckInCopy | None:
    """How the client is doing (a sign, never a number), if they let this contact see it."""
    if not (_sees(contact, viewer) and contact.share_checkin):
        return None
    found = copies.opened(session, contact, viewer, "checkin")
    return copies.checkin_view(found[0][1]) if found else None


def shared_plan(session: Session, contact: Contact, viewer: User) -> list[copies.StepCopy]:
    """The client's open next steps, if they share their plan with this contact."""
    if not (_sees(contact, viewer) and contact.share_plan):
        return []
    found = copies.opened(session, contact, viewer, "plan")
    return copies.plan_view(found[0][1]) if found else []


def set_plan_sharing(session: Session, client: User, contact_ids: set[int]) -> None:
    """Share "my next steps" with exactly these of the client's active contacts."""
    for contact in session.exec(select(Contact).where(Contact.client_id == client.id, Contact.status == "active")):
        wanted = contact.id in contact_ids
        if contact.share_plan != wanted:
            contact.share_plan = wanted
            log_event(session, client.id, client, "consent_on" if wanted else "consent_off", "plan", contact.id)
            session.add(contact)
    session.flush()
    copies.refresh_plan(session, client.id)
    session.commit()


def shared_goals(session: Session, contact: Contact, viewer: User) -> list[tuple[int, dict]]:
    """The goals whose progress the client picked for this contact, oldest first: each as
    (goal id, the copy sealed to the viewer)."""
    if not _sees(contact, viewer):
        return []
    still = _shared_ids(session, GoalShare, GoalShare.goal_id, contact)
    return sorted((item for item in copies.opened(session, contact, viewer, "goal") if item[0] in still))


def what_relative_sees(session: Session, contact: Contact) -> str:
    """In words, for the client: everything this relative may see right now."""
    parts = []
    if contact.share_checkin:
        parts.append(_("how you are doing"))
    goals = session.exec(
        select(Goal.title).join(GoalShare, GoalShare.goal_id == Goal.id).where(GoalShare.contact_id == contact.id)
    ).all()
    parts += [_("the goal “%(title)s”", title=title) for title in goals]
    entries = len(session.exec(select(EntryShare.id).where(EntryShare.contact_id == contact.id)).all())
    if entries:
        parts.append(ngettext("%(num)d diary entry", "%(num)d diary entries", entries))
    if contact.alerts:
        parts.append(_("your support alerts"))
    if contact.messaging:
        parts.append(_("messages with you"))
    return ", ".join(parts)


def shared_entry(session: Session, viewer: User, entry_id: int, contact: Contact) -> copies.EntryCopyView | None:
    """view_shared_entry in the shape a view loads by the URL's ids: the contact first, then
    the entry in it (see accounts.permissions.loads)."""
    return view_shared_entry(session, contact, viewer, entry_id)


def view_shared_entry(session: Session, contact: Contact, viewer: User, entry_id: int) -> copies.EntryCopyView | None:
    """The entry if it is shared with the viewer in this contact (and the look is logged):
    the copy sealed to them; None otherwise, as if it did not exist."""
    if not _sees(contact, viewer):
        return None
    shared = session.exec(
        select(EntryShare).where(EntryShare.contact_id == contact.id, EntryShare.entry_id == entry_id)
    ).first()
    found = copies.opened(session, contact, viewer, "entry", entry_id)
    if shared is None or not found:
        return None
    log_event(session, contact.client_id, viewer, "viewed", "entry", entry_id)
    session.commit()
    return copies.entry_view(entry_id, found[0][1])


@dataclass
class LogLine:
    event: AccessEvent
    actor: User | None  # who looked or changed it; None: a deleted account


def access_log(session: Session, client: User, limit: int = 200, before: int | None = None) -> list[LogLine]:
    """The client's log, newest first, `limit` lines older than the line `before` (an id);
    the names are looked up now, so a deleted account is shown as one."""
    query = (
        select(AccessEvent, User)
        .join(User, User.id == AccessEvent.actor_id, isouter=True)
        .where(AccessEvent.user_id == client.id)
    )
    if before:
        query = query.where(AccessEvent.id < before)
    rows = session.exec(query.order_by(AccessEvent.id.desc()).limit(limit)).all()
    return [LogLine(event, actor) for event, actor in rows]
