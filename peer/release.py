"""The first weeks after a prison term, a placement or a treatment ends: a plan the client
keeps beside that step of "my next steps" (diary/next_steps.py).

The plan holds a checklist the client ticks (sealed by the client's own key: it says
whether they have naloxone and a place to sleep) and, if the client chooses one of their
active peer supporters, check-ins by that person on day 1, 3, 7 and 14 after the step's
date; the client can turn each of them off. The peer supporter sees a check-in that is due
in their inbox (`due_for_peer`), and gets one neutral push for it (`send_due`, a periodic
job: the signal `release_checkin_due` is sent once per check-in, push listens)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Column, ForeignKey, Integer, update
from sqlmodel import Field, Session, SQLModel, select

from accounts.models import User, user_fk
from accounts.rules import RuleError
from accounts.sealing import by_owner, sealed_field, watch
from diary.models import NextStep
from diary.next_steps import RELEASE_KINDS
from extensions import utcnow

from . import signals
from .models import Contact

CHECKLIST = ("naloxone", "who_to_call", "sleep", "appointments")
DAYS = (1, 3, 7, 14)
SHOWN_FOR = timedelta(days=2)  # a due check-in stays in the peer's inbox this long
REMIND_AT = time(9, 0)  # the peer's push, in the client's morning of that day
EVERY = timedelta(minutes=5)


class ReleaseError(RuleError):
    """A rule of the release plan said no."""


@watch
class ReleasePlan(SQLModel, table=True):
    """One plan per release step. `days` are the check-ins the client keeps on (of DAYS);
    `reminded` the ones whose push has been sent to the peer supporter."""

    __tablename__ = "release_plan"
    __sealed__ = {"checklist": by_owner}

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    step_id: int = Field(
        sa_column=Column(Integer, ForeignKey("next_step.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    contact_id: Optional[int] = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    checklist: str = sealed_field(default="")  # the ticked keys of CHECKLIST, comma-separated
    days: str = Field(default="1,3,7,14", max_length=20)
    reminded: str = Field(
        default="", max_length=60
    )  # the due days sent ("2027-03-02,..."), so a moved date sends again
    created_at: datetime = Field(default_factory=utcnow)


def _keys(text: str) -> list[str]:
    return [part for part in (text or "").split(",") if part]


def ticked(plan: ReleasePlan | None) -> set[str]:
    return set(_keys(plan.checklist)) if plan else set()


def days_on(plan: ReleasePlan | None) -> set[int]:
    return {int(day) for day in _keys(plan.days)} if plan else set(DAYS)


def is_release_step(step: NextStep | None) -> bool:
    return step is not None and step.kind in RELEASE_KINDS


def release_step(session: Session, user, step_id: int) -> NextStep | None:
    """The guard's getter: the client's own step of a release kind, else None (404)."""
    step = session.get(NextStep, step_id)
    if step is None or step.user_id != user.id or not is_release_step(step):
        return None
    return step


def step_day(step: NextStep) -> date | None:
    """The day the term, placement or treatment ends (the step's own date)."""
    if not step.when_local:
        return None
    try:
        return date.fromisoformat(step.when_local[:10])
    except ValueError:
        return None


def checkin_days(step: NextStep) -> list[tuple[int, date]]:
    start = step_day(step)
    return [(day, start + timedelta(days=day)) for day in DAYS] if start else []


def plan_of(session: Session, step: NextStep) -> ReleasePlan | None:
    return session.exec(select(ReleasePlan).where(ReleasePlan.step_id == step.id)).first()


def peer_choices(session: Session, client: User) -> dict[int, str]:
    """The client's active peer supporters, by contact id, named as the client knows them."""
    from .contacts import active_as_client

    return {row.contact.id: row.name for row in active_as_client(session, client) if row.contact.kind == "peer"}


def save_plan(
    session: Session, client: User, step: NextStep, *, checklist, contact_id: int | None, days
) -> ReleasePlan:
    if not is_release_step(step) or step.user_id != client.id:
        raise ReleaseError("unknown", None)
    if contact_id is not None and contact_id not in peer_choices(session, client):
        raise ReleaseError("release_peer", "peer")
    # Compared as text: a day is one of the few offered, and a string of digits too long for
    # int() (Python refuses past 4,300) is simply not one of them.
    wanted_days = {day for day in DAYS if str(day) in {str(value) for value in days or ()}}
    plan = plan_of(session, step) or ReleasePlan(user_id=client.id, step_id=step.id)
    plan.checklist = ",".join(key for key in CHECKLIST if key in set(checklist or ()))
    if plan.contact_id != contact_id:
        plan.reminded = ""  # a newly chosen person gets every check-in still to come
    plan.contact_id = contact_id
    plan.days = ",".join(str(day) for day in DAYS if day in wanted_days)
    session.add(plan)
    session.commit()
    return plan


@dataclass
class DueCheckIn:
    contact_id: int
    client_name: str
    day: int
    due: date


def _zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or "Europe/Stockholm")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Stockholm")


def _plans_with_peer(session: Session, peer_id: int | None = None):
    query = (
        select(ReleasePlan, NextStep, Contact, User)
        .join(NextStep, NextStep.id == ReleasePlan.step_id)
        .join(Contact, Contact.id == ReleasePlan.contact_id)
        .join(User, User.id == Contact.client_id)
        .where(Contact.status == "active", Contact.kind == "peer", Contact.other_id.is_not(None))
        .where(ReleasePlan.days != "")
    )
    if peer_id is not None:
        query = query.where(Contact.other_id == peer_id)
    return session.exec(query).all()


def due_for_peer(session: Session, peer: User, now: datetime | None = None) -> list[DueCheckIn]:
    """The check-ins this peer supporter has today: from their day until SHOWN_FOR after it,
    counted in the client's time zone (the day is the client's)."""
    from .contacts import client_known_as

    now = now or utcnow()
    now = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    found = []
    for plan, step, contact, client in _plans_with_peer(session, peer.id):
        today = now.astimezone(_zone(client)).date()
        for day, due in checkin_days(step):
            if day in days_on(plan) and due <= today < due + SHOWN_FOR:
                found.append(DueCheckIn(contact.id, client_known_as(contact, client), day, due))
    return sorted(found, key=lambda row: (row.due, row.client_name))


def send_due(session: Session, now: datetime) -> int:
    """The periodic job: for each check-in whose morning has come (and not two days
    gone), mark it reminded, then tell push. The mark is one compare-and-set UPDATE, so two
    workers running this at once send it once."""
    sent = 0
    moment = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    for plan, step, contact, client in _plans_with_peer(session):
        zone = _zone(client)
        for day, due in checkin_days(step):
            if day not in days_on(plan) or due.isoformat() in _keys(plan.reminded):
                continue
            starts = datetime.combine(due, REMIND_AT, tzinfo=zone)
            if not starts <= moment < datetime.combine(due + SHOWN_FOR, time(0, 0), tzinfo=zone):
                continue
            new = ",".join(_keys(plan.reminded)[-3:] + [due.isoformat()])
            claimed = session.execute(
                update(ReleasePlan)
                .where(ReleasePlan.id == plan.id, ReleasePlan.reminded == plan.reminded)
                .values(reminded=new)
            ).rowcount
            session.commit()
            if claimed:
                plan.reminded = new
                sent += 1
                signals.release_checkin_due.send(session=session, contact_id=contact.id, recipient_id=contact.other_id)
    return sent


def export(session: Session, user: User) -> list[dict]:
    """The client's plans in "export my data", every column, the checklist opened."""
    from .export import row_dict

    rows = session.exec(select(ReleasePlan).where(ReleasePlan.user_id == user.id).order_by(ReleasePlan.id)).all()
    return [row_dict(plan) for plan in rows]
