"""'My next steps': the person's own plan of what comes next, and who to call."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, select

from accounts.rules import RuleError
from extensions import utcnow

from . import signals
from .models import NextStep

KINDS = ("appointment", "after_treatment", "after_prison", "after_placement", "other")
# The ends of a term, a placement or a treatment: a step of these kinds offers a plan for
# the first weeks (peer/release.py).
RELEASE_KINDS = ("after_prison", "after_placement", "after_treatment")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{1,28}$")


class StepError(RuleError):
    """A rule of the next steps said no."""


def save_step(
    session: Session,
    user,
    *,
    kind: str,
    title: str,
    when: datetime | None,
    who: str,
    phone: str,
    note: str,
    step: NextStep | None = None,
) -> NextStep:
    if kind not in KINDS:
        raise StepError("step_kind", "kind")
    title, who, phone = (" ".join((v or "").split()) for v in (title, who, phone))
    note = (note or "").strip()
    if not title:
        raise StepError("step_title", "title")
    if len(title) > 120 or len(who) > 200 or len(note) > 1000:
        raise StepError("step_too_long", None)
    if phone and not _PHONE.match(phone):
        raise StepError("step_phone", "phone")
    row = step or NextStep(user_id=user.id, kind=kind, title=title)
    if row.user_id != user.id:
        raise StepError("unknown", None)
    row.kind, row.title, row.who, row.phone, row.note = kind, title, who, phone, note
    row.when_local = when.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M") if when else None
    session.add(row)
    session.commit()
    signals.plan_changed.send(session=session, user_id=user.id)
    return row


def steps_of(session: Session, user_id: int) -> tuple[list[NextStep], list[NextStep]]:
    """Open steps (dated ones first, soonest first) and done ones."""
    rows = session.exec(select(NextStep).where(NextStep.user_id == user_id).order_by(NextStep.created_at)).all()
    open_steps = sorted(
        (r for r in rows if r.done_at is None), key=lambda r: (r.when_local is None, r.when_local or "")
    )
    return open_steps, [r for r in rows if r.done_at is not None]


def get_step(session: Session, user, step_id: int) -> NextStep | None:
    row = session.get(NextStep, step_id)
    return row if row is not None and row.user_id == user.id else None


def toggle_done(session: Session, step: NextStep) -> None:
    step.done_at = None if step.done_at else utcnow()
    session.add(step)
    session.commit()
    signals.plan_changed.send(session=session, user_id=step.user_id)


def delete_step(session: Session, step: NextStep) -> None:
    user_id = step.user_id
    signals.step_deleting.send(session=session, user_id=user_id, step_id=step.id)
    session.delete(step)
    session.commit()
    signals.plan_changed.send(session=session, user_id=user_id)
