"""Copies of what a client shares, sealed to the one person they share it with.

A client's own rows are sealed by their own key, which only their live session holds, so a
peer supporter or a relative can never read them. At the moment of sharing, while the
client is logged in, each thing shared is written once more for each person it is shared
with: a small document with exactly what that person may see, sealed to their public key
(libsodium's sealed box), in `shared_copy`. Only their own key opens it.

Copies follow the client's own changes (diary's signals, sent after each commit), their
sharing and their consent, and are made again at their login: a relative who accepted an
invitation while the client was away sees what it shares from the client's next visit.
Unsharing, switching consent off or ending the link deletes the copy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, select

from accounts import keys
from accounts.models import User
from accounts.sealing import current_keyring
from accounts.service import after_login
from diary import signals as diary_signals
from diary.entries import with_details
from diary.goals import check_ins_of, progress
from diary.models import DailyCheckIn, DiaryEntry, Goal
from diary.next_steps import steps_of
from extensions import upsert, utcnow

from .models import Contact, EntryShare, GoalShare, SharedCopy

SINGLE = 0  # the ref_id of a copy there is one of per contact (the check-in sign, the plan)


# -- What the recipient sees ----------------------------------------------------------------


@dataclass
class EntryCopy:
    id: int
    written_at: datetime
    mood: int | None = None
    text: str = ""


@dataclass
class AnswerCopy:
    prompt: str
    text: str


@dataclass
class StrengthCopy:
    name: str


@dataclass
class EntryCopyView:
    """Shaped like diary.entries.EntryView, for the same entry card."""

    entry: EntryCopy
    answers: list[AnswerCopy] = field(default_factory=list)
    strengths: list[StrengthCopy] = field(default_factory=list)


@dataclass
class GoalCopy:
    id: int
    title: str
    kind: str
    area: str | None
    status: str


@dataclass
class ProgressCopy:
    total: int  # good days, ever: all a relative is shown of a goal's progress


@dataclass
class CheckInCopy:
    id: int
    sign: str  # "good", "okay", "hard"; never the number
    at: datetime


@dataclass
class StepCopy:
    title: str
    when_local: str | None


def sign_of(mood: int) -> str:
    return "good" if mood >= 4 else ("okay" if mood == 3 else "hard")


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def entry_view(ref_id: int, doc: dict) -> EntryCopyView:
    return EntryCopyView(
        EntryCopy(ref_id, _when(doc["written_at"]), doc.get("mood"), doc.get("text") or ""),
        [AnswerCopy(prompt, text) for prompt, text in doc.get("answers", [])],
        [StrengthCopy(name) for name in doc.get("strengths", [])],
    )


def goal_view(ref_id: int, doc: dict) -> tuple[GoalCopy, ProgressCopy, datetime]:
    goal = GoalCopy(ref_id, doc["title"], doc.get("kind", ""), doc.get("area"), doc.get("status", "active"))
    return goal, ProgressCopy(doc.get("total", 0)), _when(doc["updated_at"])


def checkin_view(doc: dict) -> CheckInCopy | None:
    """None: the client has not checked in yet (the copy says so: it is there)."""
    return CheckInCopy(doc["id"], doc["sign"], _when(doc["at"])) if doc.get("sign") else None


def plan_view(doc: dict) -> list[StepCopy]:
    return [StepCopy(step["title"], step.get("when_local")) for step in doc.get("steps", [])]


def opened(
    session: Session, contact: Contact, viewer: User, what: str, ref_id: int | None = None
) -> list[tuple[int, dict]]:
    """(ref_id, document) of each copy of `what` (or only the one of `ref_id`) addressed to
    the viewer in this contact, opened with the viewer's own key. A copy that was changed
    raises SealBroken."""
    if contact.status != "active" or viewer.id != contact.other_id:
        return []
    query = select(SharedCopy.ref_id, SharedCopy.sealed).where(
        SharedCopy.contact_id == contact.id, SharedCopy.recipient_id == viewer.id, SharedCopy.what == what
    )
    if ref_id is not None:
        query = query.where(SharedCopy.ref_id == ref_id)
    rows = session.exec(query).all()
    found = []
    for ref_id, sealed in rows:
        doc = keys.open_json_sealed_to(viewer.id, sealed)
        if doc is not None:
            found.append((ref_id, doc))
    return found


# -- The documents, from the client's own rows (only their key opens them) -------------------


def _iso(value: datetime) -> str:
    return value.isoformat()


def _entry_doc(session: Session, entry: DiaryEntry) -> dict:
    view = with_details(session, [entry])[0]
    return {
        "written_at": _iso(entry.written_at),
        "mood": entry.mood,
        "text": entry.text or "",
        "answers": [[answer.prompt, answer.text] for answer in view.answers],
        "strengths": [strength.name for strength in view.strengths],
    }


def _goal_doc(session: Session, goal: Goal) -> dict:
    rows = check_ins_of(session, goal)
    newest = max([row.created_at for row in rows] + [goal.updated_at])
    return {
        "title": goal.title,
        "kind": goal.kind,
        "area": goal.area,
        "status": goal.status,
        "total": progress(rows).total,
        "updated_at": _iso(newest),
    }


def _checkin_doc(session: Session, client_id: int) -> dict:
    latest = session.exec(
        select(DailyCheckIn).where(DailyCheckIn.user_id == client_id).order_by(DailyCheckIn.day.desc())
    ).first()
    if latest is None:
        return {"sign": None}  # no check-in yet: a copy all the same, so "not sealed yet" is told apart
    return {"id": latest.id, "sign": sign_of(latest.mood), "at": _iso(latest.updated_at)}


def _plan_doc(session: Session, client_id: int) -> dict:
    open_steps, _done = steps_of(session, client_id)
    return {"steps": [{"title": step.title, "when_local": step.when_local} for step in open_steps]}


# -- Writing copies (only while the client's key is open) ----------------------------------


def _holds_key(client_id: int) -> bool:
    return current_keyring().data_key(client_id) is not None


def _put(session: Session, contact: Contact, what: str, ref_id: int, doc: dict | None) -> None:
    """Seal `doc` to the contact's other person, in place of any copy before."""
    public = keys.public_key(session, contact.other_id) if contact.other_id else None
    if doc is None or public is None:  # nothing to show, or an account with no keys yet
        _drop(session, SharedCopy.contact_id == contact.id, SharedCopy.what == what, SharedCopy.ref_id == ref_id)
        return
    upsert(
        session,
        SharedCopy,
        {"contact_id": contact.id, "what": what, "ref_id": ref_id},
        {
            "owner_id": contact.client_id,
            "recipient_id": contact.other_id,
            "sealed": keys.seal_json_to(public, doc),
            "updated_at": utcnow(),
        },
    )


def _drop(session: Session, *conditions) -> None:
    session.exec(delete(SharedCopy).where(*conditions))


def _active(session: Session, client_id: int, *conditions) -> list[Contact]:
    return list(
        session.exec(
            select(Contact).where(
                Contact.client_id == client_id, Contact.status == "active", Contact.other_id.is_not(None), *conditions
            )
        )
    )


def _keep_only(session: Session, client_id: int, what: str, ref_id: int, contacts: list[Contact]) -> None:
    """Delete the copies of one thing held in contacts it is no longer shared in."""
    _drop(
        session,
        SharedCopy.owner_id == client_id,
        SharedCopy.what == what,
        SharedCopy.ref_id == ref_id,
        SharedCopy.contact_id.not_in([c.id for c in contacts] or [0]),
    )


def _refresh_one(session: Session, client_id: int, what: str, model, share, row_id: int, make_doc) -> None:
    """The copies of one shared row (an entry, a goal): one for each active contact it is
    shared with (`share`: EntryShare or GoalShare), gone for the others."""
    if not _holds_key(client_id):
        return
    row = session.get(model, row_id)
    shared_in = []
    if row is not None and row.user_id == client_id:
        shared_with = select(share.contact_id).where(getattr(share, f"{what}_id") == row_id)
        shared_in = _active(session, client_id, Contact.id.in_(shared_with))
    _keep_only(session, client_id, what, row_id, shared_in)
    if shared_in:
        doc = make_doc(session, row)
        for contact in shared_in:
            _put(session, contact, what, row_id, doc)


def refresh_entry(session: Session, client_id: int, entry_id: int) -> None:
    _refresh_one(session, client_id, "entry", DiaryEntry, EntryShare, entry_id, _entry_doc)


def refresh_goal(session: Session, client_id: int, goal_id: int) -> None:
    _refresh_one(session, client_id, "goal", Goal, GoalShare, goal_id, _goal_doc)


def _refresh_single(session: Session, client_id: int, what: str, consent, make_doc) -> None:
    """The one copy of `what` (the check-in sign, the plan) for each active contact whose
    `consent` is on; gone for the others."""
    if not _holds_key(client_id):
        return
    shared_in = _active(session, client_id, consent.is_(True))
    _keep_only(session, client_id, what, SINGLE, shared_in)
    if shared_in:
        doc = make_doc(session, client_id)
        for contact in shared_in:
            _put(session, contact, what, SINGLE, doc)


def refresh_checkin(session: Session, client_id: int) -> None:
    _refresh_single(session, client_id, "checkin", Contact.share_checkin, _checkin_doc)


def refresh_plan(session: Session, client_id: int) -> None:
    _refresh_single(session, client_id, "plan", Contact.share_plan, _plan_doc)


def _expected(session: Session, client_id: int, *only) -> set[tuple[int, str, int]]:
    """(contact id, what, ref id) of every copy the client's shares and consents call for
    (in the contacts `only` names, if it names any)."""
    wanted = set()
    for model, column, what in ((EntryShare, EntryShare.entry_id, "entry"), (GoalShare, GoalShare.goal_id, "goal")):
        query = select(model.contact_id, column).where(model.user_id == client_id)
        if only:
            query = query.where(model.contact_id.in_(only))
        wanted |= {(contact_id, what, ref_id) for contact_id, ref_id in session.exec(query)}
    active = {contact.id: contact for contact in _active(session, client_id, *([Contact.id.in_(only)] if only else []))}
    for contact in active.values():
        if contact.share_checkin:
            wanted.add((contact.id, "checkin", SINGLE))
        if contact.share_plan:
            wanted.add((contact.id, "plan", SINGLE))
    return {item for item in wanted if item[0] in active}


def not_sealed_yet(session: Session, contact: Contact) -> set[str]:
    """What the client switched on for this contact whose copy is not made yet (it is made
    at the client's next visit): "entry", "goal", "checkin", "plan"."""
    have = set(
        session.exec(
            select(SharedCopy.contact_id, SharedCopy.what, SharedCopy.ref_id).where(SharedCopy.contact_id == contact.id)
        ).all()
    )
    return {what for _contact, what, _ref in _expected(session, contact.client_id, contact.id) - have}


def refresh_all_copies(session: Session, client: User, only_missing: bool = False) -> None:
    """Make every copy the client's current shares and consents call for and delete every
    other one; with `only_missing`, seal only the copies not there yet (cheap enough for a
    page view). Nothing happens unless the client's own key is open."""
    if not _holds_key(client.id):
        return
    wanted = _expected(session, client.id)
    have = {
        (row.contact_id, row.what, row.ref_id)
        for row in session.exec(select(SharedCopy).where(SharedCopy.owner_id == client.id))
    }
    for contact_id, what, ref_id in have - wanted:
        _drop(session, SharedCopy.contact_id == contact_id, SharedCopy.what == what, SharedCopy.ref_id == ref_id)
    todo = wanted - have if only_missing else wanted
    if not todo:
        session.commit()
        return
    refresh = {
        "entry": lambda ref_id: refresh_entry(session, client.id, ref_id),
        "goal": lambda ref_id: refresh_goal(session, client.id, ref_id),
        "checkin": lambda _ref: refresh_checkin(session, client.id),
        "plan": lambda _ref: refresh_plan(session, client.id),
    }
    for what, ref_id in sorted({(what, ref_id) for _contact, what, ref_id in todo}):
        refresh[what](ref_id)
    session.commit()


# -- Listening to the client's own changes -------------------------------------------------


def _on_entry(sender, session: Session, user_id: int, entry_id: int, **_):
    refresh_entry(session, user_id, entry_id)
    session.commit()


def _on_checkin(sender, session: Session, user_id: int, **_):
    refresh_checkin(session, user_id)
    session.commit()


def _on_goal(sender, session: Session, user_id: int, goal_id: int, **_):
    refresh_goal(session, user_id, goal_id)
    session.commit()


def _on_plan(sender, session: Session, user_id: int, **_):
    refresh_plan(session, user_id)
    session.commit()


@after_login
def _at_login(session: Session, user: User) -> None:
    refresh_all_copies(session, user)


def listen() -> None:
    """Connect to diary's signals (diary never imports peer)."""
    diary_signals.entry_changed.connect(_on_entry, weak=False)
    diary_signals.entry_deleted.connect(_on_entry, weak=False)
    diary_signals.checkin_saved.connect(_on_checkin, weak=False)
    diary_signals.goal_changed.connect(_on_goal, weak=False)
    diary_signals.plan_changed.connect(_on_plan, weak=False)
