"""The rules of relatives: invitations, the client's consent, the linked view, notes.

Consent belongs to the client. A relative sees only what the client switched on for
them, each thing separately, and every look and every change of consent is written to
the client's access log. The relative never learns who else the client is in touch with."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import Session, select

from accounts.models import User
from accounts.permissions import CLIENT, COORDINATOR, PEER
from accounts.sealing import SealError, current_keyring, stored_value
from diary.models import Goal
from extensions import utcnow

from . import copies, links, signals
from .errors import PeerError
from .models import AccessEvent, Contact, GoalShare, Invitation, RelativeNote, by_invitation
from .sharing import log_event, shared_checkin, shared_entries, shared_goals, shared_plan

VALID_FOR = timedelta(days=7)
LABEL_MAX = 60
FROM_NAME_MAX = 60
INVITE_NOTE_MAX = 300
NOTE_MAX = 5000
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:16]


def _hash(code: str) -> str:
    return hashlib.sha256(("nara-invite:" + normalise_code(code)).encode()).hexdigest()


def _own_goal_ids(session: Session, client: User, goal_ids) -> list[int]:
    wanted = {int(g) for g in goal_ids or [] if str(g).isdigit()}
    if not wanted:
        return []
    return sorted(session.exec(select(Goal.id).where(Goal.user_id == client.id, Goal.id.in_(wanted))).all())


def _invitation_key(code: str) -> bytes:
    """The key of an invitation's own words, made from its code: only the link opens them.
    The code is random (10 of 32 characters) and never stored, so BLAKE2b is enough, as for
    a recovery code; another purpose string than the code's hash, so the two never meet."""
    return hashlib.blake2b(normalise_code(code).encode(), digest_size=32, person=b"nara-invite-key").digest()


def _hold_invitation_key(invitation: Invitation, code: str) -> None:
    current_keyring().add(by_invitation(invitation.id), _invitation_key(code))


def invitation_words(session: Session, invitation: Invitation, code: str) -> tuple[str, str]:
    """(the name they know the client by, the personal line), opened with the code; "" for
    what was left empty or does not open."""
    _hold_invitation_key(invitation, code)
    session.expire(invitation, ["from_name", "note"])  # read again, now with the key held
    words = []
    for name in ("from_name", "note"):
        try:
            value = getattr(invitation, name)
        except SealError:
            value = ""
        words.append(value if isinstance(value, str) else "")
    return words[0], words[1]


def create_invitation(
    session: Session,
    client: User,
    *,
    label: str,
    share_checkin: bool,
    goal_ids,
    alerts: bool,
    messaging: bool,
    note: str = "",
    from_name: str = "",
) -> tuple[Invitation, str]:
    """A new invitation and its code, shown to the client once (only a hash is kept). The
    personal line and the name they know the client by are sealed by the code's key."""
    if client.role != CLIENT:
        raise PeerError("unknown", None)
    label = " ".join((label or "").split())
    if not label:
        raise PeerError("invite_label", "label")
    if len(label) > LABEL_MAX:
        raise PeerError("invite_label_long", "label")
    from_name = " ".join((from_name or "").split())
    if len(from_name) > FROM_NAME_MAX:
        raise PeerError("invite_from_name_long", "from_name")
    note = (note or "").strip()
    if len(note) > INVITE_NOTE_MAX:
        raise PeerError("invite_note_long", "note")
    code = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    invitation = Invitation(
        user_id=client.id,
        code_hash=_hash(code),
        label=label,
        share_checkin=bool(share_checkin),
        goal_ids=",".join(str(g) for g in _own_goal_ids(session, client, goal_ids)),
        alerts=bool(alerts),
        messaging=bool(messaging),
        expires_at=utcnow() + VALID_FOR,
    )
    session.add(invitation)
    session.flush()  # the words' key is named by the invitation's id
    _hold_invitation_key(invitation, code)
    invitation.note, invitation.from_name = note, from_name
    session.add(invitation)
    session.commit()
    return invitation, f"{code[:5]}-{code[5:]}"


@dataclass
class Scope:
    """What a relative will and will not see, in words, for the client ("you") or for the
    relative ("they")."""

    will: list[str]
    will_not: list[str]


def invitation_scope(session: Session, invitation: Invitation, for_client: bool) -> Scope:
    goal_ids = [int(g) for g in invitation.goal_ids.split(",") if g.isdigit()]
    will, will_not = [], []
    if for_client:
        if invitation.share_checkin:
            will.append(_("How you are doing: a simple sign, no numbers"))
        else:
            will_not.append(_("How you are doing"))
        titles = (
            session.exec(select(Goal.title).where(Goal.user_id == invitation.user_id, Goal.id.in_(goal_ids))).all()
            if goal_ids
            else []
        )
        will += [_("The progress of your goal “%(title)s”", title=title) for title in titles]
        if not titles:
            will_not.append(_("Your goals"))
        (will if invitation.alerts else will_not).append(_("Your “I need support now” alerts"))
        (will if invitation.messaging else will_not).append(_("Messages between the two of you"))
        will_not += [
            _("Your diary, unless you share an entry with them"),
            _("Your messages with anyone else, or who else you are in touch with"),
        ]
    else:
        if invitation.share_checkin:
            will.append(_("How they are doing: a simple sign, no numbers"))
        else:
            will_not.append(_("How they are doing"))
        if goal_ids:
            will.append(
                ngettext(
                    "The progress of %(num)d goal they chose", "The progress of %(num)d goals they chose", len(goal_ids)
                )
            )
        else:
            will_not.append(_("Their goals"))
        (will if invitation.alerts else will_not).append(_("Their “I need support now” alerts"))
        (will if invitation.messaging else will_not).append(_("Messages between the two of you"))
        will_not += [
            _("Their diary, unless they share an entry with you"),
            _("Their messages with anyone else, or who else they are in touch with"),
        ]
    return Scope(will, will_not)


def find_invitation(session: Session, code: str) -> Invitation:
    """The invitation a code names, if it can still be used; otherwise why not."""
    if len(normalise_code(code)) != 10:
        raise PeerError("invite_unknown", "code")
    invitation = session.exec(select(Invitation).where(Invitation.code_hash == _hash(code))).first()
    if invitation is None:
        raise PeerError("invite_unknown", "code")
    if invitation.used_at is not None:
        raise PeerError("invite_used", "code")
    if invitation.expires_at <= utcnow():
        raise PeerError("invite_expired", "code")
    # Its own words open with the code: held from now on in this request, so changing the
    # row (accepting it) never meets a value it cannot open.
    _hold_invitation_key(invitation, code)
    session.expire(invitation, ["from_name", "note"])
    return invitation


def accept_invitation(session: Session, user: User, code: str) -> Contact:
    invitation = find_invitation(session, code)
    if user.id == invitation.user_id or user.role in (COORDINATOR, PEER):
        raise PeerError("invite_not_for_you", "code")
    existing = session.exec(
        select(Contact).where(
            Contact.client_id == invitation.user_id,
            Contact.other_id == user.id,
            Contact.kind == "relative",
            Contact.status == "active",
        )
    ).first()
    if existing is not None:
        raise PeerError("already_contact", "code")
    now = utcnow()
    contact = Contact(
        client_id=invitation.user_id,
        other_id=user.id,
        kind="relative",
        status="active",
        accepted_at=now,
        # The client's name for this person, sealed by the client's key: copied as it is
        # stored, never opened (the relative does not hold that key).
        label=stored_value(session, Invitation.label, invitation.id),
        share_checkin=invitation.share_checkin,
        alerts=invitation.alerts,
        messaging=invitation.messaging,
        consent_changed_at=now,
    )
    invitation.used_at = now
    # The invitation's own words were for opening it: once used, they go, but the name the
    # relative knows the client by stays on the link, sealed by the link's key.
    from_name, _note = invitation_words(session, invitation, code)
    invitation.note, invitation.from_name = "", ""
    session.add_all([contact, invitation])
    session.flush()
    if links.make(session, contact) is not None and from_name:
        contact.client_name = from_name
        session.add(contact)
    client = session.get(User, invitation.user_id)
    for goal_id in (int(g) for g in invitation.goal_ids.split(",") if g):
        session.add(GoalShare(goal_id=goal_id, contact_id=contact.id, user_id=invitation.user_id))
        log_event(session, client.id, client, "consent_on", "goal", contact.id)
    # What the invitation switched on holds from now: the client's log says so first.
    for what in ("share_checkin", "alerts", "messaging"):
        if getattr(invitation, what):
            log_event(session, client.id, client, "consent_on", what, contact.id)
    session.commit()
    # The copies of what it shares are sealed from the client's own rows: now, if this
    # keyring holds the client's key (a command), else at the client's next visit.
    copies.refresh_all_copies(session, client)
    signals.invitation_accepted.send(contact_id=contact.id, recipient_id=invitation.user_id)
    return contact


def shared_goal_ids(session: Session, contact: Contact) -> set[int]:
    return set(session.exec(select(GoalShare.goal_id).where(GoalShare.contact_id == contact.id)).all())


def update_consent(
    session: Session, client: User, contact: Contact, *, share_checkin: bool, goal_ids, alerts: bool, messaging: bool
) -> None:
    """Change what a relative may see; it holds from the next request. Every change is logged."""
    if contact.client_id != client.id or contact.kind != "relative" or contact.status != "active":
        raise PeerError("unknown", None)
    changes = []
    for attr, value in (("share_checkin", share_checkin), ("alerts", alerts), ("messaging", messaging)):
        if getattr(contact, attr) != bool(value):
            setattr(contact, attr, bool(value))
            changes.append((attr, bool(value)))
    wanted = set(_own_goal_ids(session, client, goal_ids))
    current = shared_goal_ids(session, contact)
    for goal_id in wanted - current:
        session.add(GoalShare(goal_id=goal_id, contact_id=contact.id, user_id=client.id))
        changes.append(("goal", True))
    for share in session.exec(
        select(GoalShare).where(GoalShare.contact_id == contact.id, GoalShare.goal_id.in_(current - wanted))
    ):
        session.delete(share)
        changes.append(("goal", False))
    for what, on in changes:
        log_event(session, client.id, client, "consent_on" if on else "consent_off", what[:16], contact.id)
    if changes:
        contact.consent_changed_at = utcnow()
    session.add(contact)
    session.flush()
    # Sealed to the relative now for what is on; deleted for what is off.
    copies.refresh_checkin(session, client.id)
    for goal_id in wanted | current:
        copies.refresh_goal(session, client.id, goal_id)
    session.commit()


@dataclass
class SharedGoal:
    goal: copies.GoalCopy
    progress: copies.ProgressCopy
    updated_at: datetime | None = None  # the newest check-in, or the goal's own last change


@dataclass
class LinkedView:
    contact: Contact
    client: User
    checkin_sign: str | None = None  # "good", "okay", "hard"; never a number
    checkin_at: datetime | None = None
    goals: list[SharedGoal] = field(default_factory=list)
    entries: list[copies.EntryCopy] = field(default_factory=list)
    plan: list = field(default_factory=list)
    no_longer: set[str] = field(default_factory=set)  # what the client switched off since linking
    waiting: set[str] = field(default_factory=set)  # switched on, but sealed to this person at the client's next visit


def linked_views(session: Session, relative: User) -> list[LinkedView]:
    """For each client who linked this person: only what that client shares, right now.
    Looking is logged in the client's access log, one line per thing seen."""
    contacts = session.exec(
        select(Contact, User)
        .join(User, User.id == Contact.client_id)
        .where(Contact.other_id == relative.id, Contact.kind == "relative", Contact.status == "active")
        .order_by(Contact.accepted_at)
    ).all()
    views = []
    for contact, client in contacts:
        view = LinkedView(contact, client)
        latest = shared_checkin(session, contact, relative)
        if latest is not None:
            view.checkin_sign, view.checkin_at = latest.sign, latest.at
            log_event(session, client.id, relative, "viewed", "checkin", latest.id)
        for goal_id, doc in shared_goals(session, contact, relative):
            view.goals.append(SharedGoal(*copies.goal_view(goal_id, doc)))
            log_event(session, client.id, relative, "viewed", "goal", goal_id)
        view.entries = shared_entries(session, contact, relative)
        view.plan = shared_plan(session, contact, relative)
        if view.plan:
            log_event(session, client.id, relative, "viewed", "plan", contact.id)
        view.no_longer = _switched_off(session, contact)
        view.waiting = copies.not_sealed_yet(session, contact)
        views.append(view)
    session.commit()
    return views


def ended_links(session: Session, relative: User) -> list[tuple[Contact, User]]:
    """Links a client ended: nothing is shared any more, but the messages stay readable."""
    return list(
        session.exec(
            select(Contact, User)
            .join(User, User.id == Contact.client_id)
            .where(
                Contact.other_id == relative.id, Contact.kind == "relative", Contact.status.in_(("ended", "blocked"))
            )
            .order_by(Contact.ended_at)
        ).all()
    )


def _switched_off(session: Session, contact: Contact) -> set[str]:
    """What the client has switched off for this relative and not switched on again."""
    latest: dict[str, str] = {}
    for event in session.exec(
        select(AccessEvent)
        .where(
            AccessEvent.user_id == contact.client_id,
            AccessEvent.object_id == contact.id,
            AccessEvent.action.in_(("consent_on", "consent_off")),
        )
        .order_by(AccessEvent.at, AccessEvent.id)
    ):
        latest[event.what] = event.action
    return {what for what, action in latest.items() if action == "consent_off"}


def notes_of(session: Session, relative: User) -> list[RelativeNote]:
    return list(
        session.exec(
            select(RelativeNote)
            .where(RelativeNote.user_id == relative.id)
            .order_by(RelativeNote.created_at.desc(), RelativeNote.id.desc())
        )
    )


def add_note(session: Session, relative: User, text: str) -> RelativeNote:
    text = (text or "").strip()
    if not text:
        raise PeerError("note_empty", "text")
    if len(text) > NOTE_MAX:
        raise PeerError("note_long_relative", "text")
    note = RelativeNote(user_id=relative.id, text=text)
    session.add(note)
    session.commit()
    return note


def get_note(session: Session, relative: User, note_id: int) -> RelativeNote | None:
    """The relative's own note; None for anyone else's, as if it did not exist."""
    note = session.get(RelativeNote, note_id)
    return note if note is not None and note.user_id == relative.id else None


def delete_note(session: Session, note: RelativeNote) -> None:
    session.delete(note)
    session.commit()
