"""The rules of "Stay with me": starting a timer, "I'm OK", "Give me 10 more minutes",
"I'm on it", and `tick`, which moves due timers on. Every function takes `now`, so tests
run the clock by hand.

The timer lives in the database, not in a phone or a process: `tick` (run by the push
worker after each round, and by `flask stay tick`) finds the timers whose `due_at` has
passed and moves each on with one `UPDATE … WHERE id = … AND version = …`. Only the
transaction whose UPDATE changed the row writes the pushes, in the same transaction, so
two workers at once (or a tick next to "I'm OK") put an alert in the outbox exactly once,
and a worker killed before its commit leaves the timer due for the next one."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, update
from sqlmodel import Session, select

from accounts.models import User
from accounts.permissions import CLIENT, PEER
from accounts.rules import RuleError
from extensions import commit_once, utcnow
from peer import links
from peer.contacts import ContactRow, active_as_client
from peer.models import Contact, PeerProfile
from push import outbox

from .models import StayPerson, StayTimer

PRESETS = (10, 20, 30, 60)
MIN_MINUTES, MAX_MINUTES = 5, 240
MORE_MINUTES = 10
NOTE_MAX = 500
OPEN = ("running", "asked", "alerted", "on_it", "escalated")
TOLD = ("alerted", "on_it", "escalated")  # the chosen people know
DUE = ("running", "asked", "alerted")  # tick has something left to do
SHOW_ENDED_FOR = timedelta(hours=12)  # "They are OK now" stays on the pages of those told
ALERT_URL = "/stay/alerts"

log = logging.getLogger(__name__)


class StayError(RuleError):
    """A rule of "Stay with me" said no."""


def _seconds(name: str, default: int) -> timedelta:
    return timedelta(seconds=int(current_app.config.get(name, default)))


def grace() -> timedelta:
    """How long after the time is up the chosen people are told (STAY_GRACE_SECONDS)."""
    return _seconds("STAY_GRACE_SECONDS", 120)


def escalate_after() -> timedelta:
    """How long after the alert, with nobody on it, it goes again (STAY_ESCALATE_SECONDS)."""
    return _seconds("STAY_ESCALATE_SECONDS", 300)


def ask_at(ends_at: datetime, now: datetime) -> datetime:
    """The phone is asked a few minutes before the end (STAY_ASK_BEFORE_SECONDS), or at the
    end when so little time is left that asking earlier would cut the timer short."""
    before = _seconds("STAY_ASK_BEFORE_SECONDS", 180)
    return ends_at - before if ends_at - before >= now + 2 * before else ends_at


# -- Who can be told --------------------------------------------------------------------------


def choosable(session: Session, client: User) -> list[ContactRow]:
    """The client's active contacts whose support alerts are on: the only people a timer
    may tell. A relative without alert consent is never among them."""
    return [row for row in active_as_client(session, client) if row.contact.alerts]


def on_duty_peers(session: Session, exclude: set[int]) -> list[int]:
    """Approved, not paused peer supporters who switched "On duty for Stay with me" on."""
    rows = session.exec(
        select(User.id)
        .join(PeerProfile, PeerProfile.user_id == User.id)
        .where(
            User.role == PEER,
            User.peer_approved_at.is_not(None),
            PeerProfile.paused.is_(False),
            PeerProfile.stay_on_duty.is_(True),
        )
    ).all()
    return [user_id for user_id in rows if user_id not in exclude]


def set_on_duty(session: Session, peer: User, on: bool) -> None:
    if not peer.is_approved_peer:
        raise StayError("unknown")
    profile = session.exec(select(PeerProfile).where(PeerProfile.user_id == peer.id)).first()
    if profile is None:
        raise StayError("stay_profile_first")
    profile.stay_on_duty = bool(on)
    session.add(profile)
    session.commit()


def is_on_duty(session: Session, user: User) -> bool:
    profile = session.exec(select(PeerProfile).where(PeerProfile.user_id == user.id)).first()
    return bool(profile and profile.stay_on_duty)


# -- The client's side ------------------------------------------------------------------------


def current(session: Session, client: User) -> StayTimer | None:
    """The client's timer that has not ended, if any (there is at most one)."""
    return session.exec(
        select(StayTimer)
        .where(StayTimer.client_id == client.id, StayTimer.state.in_(OPEN))
        .order_by(StayTimer.id.desc())
    ).first()


def get_timer(session: Session, user: User, timer_id: int) -> StayTimer | None:
    timer = session.get(StayTimer, timer_id)
    return timer if timer is not None and timer.client_id == user.id else None


def _by_key(session: Session, client: User, key: str | None) -> StayTimer | None:
    if not key:
        return None
    return session.exec(select(StayTimer).where(StayTimer.client_id == client.id, StayTimer.client_key == key)).first()


def start(
    session: Session,
    client: User,
    *,
    minutes: int | None,
    contact_ids: set[int],
    note: str = "",
    to_duty: bool = False,
    client_key: str | None = None,
    now: datetime | None = None,
) -> StayTimer:
    now = now or utcnow()
    if client.role != CLIENT:
        raise StayError("unknown")
    earlier = _by_key(session, client, client_key)
    if earlier is not None:
        return earlier
    if current(session, client) is not None:
        raise StayError("stay_running")
    if minutes is None or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise StayError("stay_minutes", "minutes")
    chosen = [row.contact for row in choosable(session, client) if row.contact.id in contact_ids]
    if not chosen:
        raise StayError("stay_nobody", "people")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise StayError("stay_note_long", "note")
    ends_at = now + timedelta(minutes=minutes)
    timer = StayTimer(
        client_id=client.id,
        minutes=minutes,
        started_at=now,
        ends_at=ends_at,
        due_at=ask_at(ends_at, now),
        to_duty=bool(to_duty),
        note=note,
        client_key=client_key,
    )
    session.add(timer)
    session.flush()
    for contact in chosen:
        # Each person's copy is sealed by the key of their contact with the client; should
        # that key not be open to the client yet, they are told without the note.
        copy = note if note and links.open_for_writing(session, contact) else ""
        session.add(StayPerson(timer_id=timer.id, contact_id=contact.id, user_id=contact.other_id, note=copy))
    earlier = commit_once(session, lambda: _by_key(session, client, client_key))
    return earlier or timer


def _move(session: Session, timer_id: int, version: int, **values) -> bool:
    """Move a timer on if nobody else did since it was read at `version`. Not committed."""
    result = session.execute(
        update(StayTimer)
        .where(StayTimer.id == timer_id, StayTimer.version == version)
        .values(version=version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _fresh(session: Session, timer: StayTimer) -> StayTimer:
    session.refresh(timer)
    return timer


def more_time(session: Session, client: User, timer: StayTimer, now: datetime | None = None) -> StayTimer:
    """ "Give me 10 more minutes": while the chosen people have not been told."""
    now = now or utcnow()
    for _try in range(3):
        if timer.state not in ("running", "asked"):
            raise StayError("stay_told" if timer.state in TOLD else "stay_over")
        ends_at = max(timer.ends_at, now) + timedelta(minutes=MORE_MINUTES)
        if _move(session, timer.id, timer.version, state="running", ends_at=ends_at, due_at=ask_at(ends_at, now)):
            session.commit()
            return _fresh(session, timer)
        session.rollback()
        _fresh(session, timer)
    raise StayError("stay_busy")


def end(session: Session, client: User, timer: StayTimer, now: datetime | None = None) -> bool:
    """ "I'm OK" (or "End"), at any time. The people already told hear "They are OK now".
    Answers whether anyone had been told."""
    now = now or utcnow()
    for _try in range(3):
        if timer.state == "ended":
            return False
        told = timer.state in TOLD
        if _move(session, timer.id, timer.version, state="ended", ended_at=now, due_at=None):
            if told:
                people = session.exec(
                    select(StayPerson).where(StayPerson.timer_id == timer.id, StayPerson.alerted_at.is_not(None))
                ).all()
                for person in people:
                    person.told_ok_at = now
                    session.add(person)
                    outbox.enqueue(session, person.user_id, "stay_ok", ALERT_URL, urgency="high", ignore_quiet=True)
            session.commit()
            _fresh(session, timer)
            return told
        session.rollback()
        _fresh(session, timer)
    raise StayError("stay_busy")


# -- The server's clock -----------------------------------------------------------------------


def _alert(session: Session, people: list[tuple[int, int]], now: datetime) -> None:
    """Tell each person (id of their row, their user id): a push that ignores quiet hours."""
    for person_id, user_id in people:
        session.execute(
            update(StayPerson)
            .where(StayPerson.id == person_id, StayPerson.alerted_at.is_(None))
            .values(alerted_at=now)
            .execution_options(synchronize_session=False)
        )
        outbox.enqueue(session, user_id, "alert", ALERT_URL, urgency="high", ignore_quiet=True)


def _people_of(session: Session, timer_id: int) -> list[tuple[int, int]]:
    """Who a timer tells now: those on duty, and each chosen person whose contact is still
    active with support alerts on (the client may turn them off, or the contact end, while
    it runs)."""
    return list(
        session.exec(
            select(StayPerson.id, StayPerson.user_id)
            .join(Contact, Contact.id == StayPerson.contact_id, isouter=True)
            .where(
                StayPerson.timer_id == timer_id,
                or_(StayPerson.contact_id.is_(None), and_(Contact.status == "active", Contact.alerts.is_(True))),
            )
        ).all()
    )


def _step(session: Session, row, now: datetime) -> bool:
    """Move one due timer on; False when another worker (or the client) moved it first."""
    timer_id, version, state, client_id, to_duty, ends_at = row
    if state == "running":
        if not _move(session, timer_id, version, state="asked", asked_at=now, due_at=max(ends_at, now) + grace()):
            return False
        outbox.enqueue(session, client_id, "stay_ask", "/stay", urgency="high", ignore_quiet=True)
    elif state == "asked":
        if not _move(session, timer_id, version, state="alerted", alerted_at=now, due_at=now + escalate_after()):
            return False
        _alert(session, _people_of(session, timer_id), now)
    elif state == "alerted":
        if not _move(session, timer_id, version, state="escalated", escalated_at=now, due_at=None):
            return False
        people = _people_of(session, timer_id)
        if to_duty:
            chosen = set(session.exec(select(StayPerson.user_id).where(StayPerson.timer_id == timer_id)).all())
            for user_id in on_duty_peers(session, exclude={client_id} | chosen):
                session.add(StayPerson(timer_id=timer_id, contact_id=None, user_id=user_id, kind="duty", note=""))
            session.flush()
            people = _people_of(session, timer_id)
        for person_id, user_id in people:  # everyone again; those on duty for the first time
            session.execute(
                update(StayPerson)
                .where(StayPerson.id == person_id, StayPerson.alerted_at.is_(None))
                .values(alerted_at=now)
                .execution_options(synchronize_session=False)
            )
            outbox.enqueue(session, user_id, "alert", ALERT_URL, urgency="high", ignore_quiet=True)
    else:
        return False
    return True


def tick(session: Session, now: datetime | None = None, limit: int = 500) -> int:
    """Move every due timer on by one step; answers how many moved. Safe to run in several
    workers at once and again at any time: each step is claimed by its UPDATE."""
    now = now or utcnow()
    due = session.exec(
        select(
            StayTimer.id, StayTimer.version, StayTimer.state, StayTimer.client_id, StayTimer.to_duty, StayTimer.ends_at
        )
        .where(StayTimer.state.in_(DUE), StayTimer.due_at <= now)
        .order_by(StayTimer.due_at)
        .limit(limit)
    ).all()
    session.commit()  # the look ends here; each step is its own transaction
    moved = 0
    for row in due:
        try:
            if _step(session, tuple(row), now):
                session.commit()
                moved += 1
            else:
                session.rollback()
        except Exception:  # one timer that breaks never holds up the others; it stays due
            session.rollback()
            log.exception("a Stay with me timer could not be moved on; it is tried again at the next tick")
    return moved


# -- The people told ----------------------------------------------------------------------------


def get_person(session: Session, user: User, person_id: int) -> StayPerson | None:
    """A person's own row of a timer that has told them (the only way to "I'm on it")."""
    person = session.get(StayPerson, person_id)
    if person is None or person.user_id != user.id or person.alerted_at is None:
        return None
    return person


def on_it(session: Session, user: User, person: StayPerson, now: datetime | None = None) -> StayTimer:
    """ "I'm on it": the client and the others told see who is on it, and it goes no further."""
    now = now or utcnow()
    timer = _fresh(session, session.get(StayTimer, person.timer_id))
    if timer.state == "ended":
        raise StayError("stay_ok_now")
    if person.on_it_at is None:
        session.execute(
            update(StayPerson)
            .where(StayPerson.id == person.id, StayPerson.on_it_at.is_(None))
            .values(on_it_at=now)
            .execution_options(synchronize_session=False)
        )
    if timer.state in ("alerted", "escalated"):
        _move(session, timer.id, timer.version, state="on_it", on_it_at=now, due_at=None)
    session.commit()
    session.refresh(person)
    return _fresh(session, timer)
