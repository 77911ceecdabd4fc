""" "Stay with me" in "export my data": the client's timers with whom each told, and the
alerts a person was told of (their own copy of the note, opened with their keys)."""

from __future__ import annotations

from sqlmodel import Session, select

from peer.export import row_dict

from .models import StayPerson, StayTimer

NAME = "stay_with_me"
TABLES = ("stay_timer", "stay_person")


def collect(session: Session, user) -> dict:
    timers = session.exec(select(StayTimer).where(StayTimer.client_id == user.id).order_by(StayTimer.id)).all()
    mine = []
    for timer in timers:
        people = session.exec(select(StayPerson).where(StayPerson.timer_id == timer.id).order_by(StayPerson.id))
        mine.append({**row_dict(timer), "told": [row_dict(p) for p in people]})
    told = session.exec(select(StayPerson).where(StayPerson.user_id == user.id).order_by(StayPerson.id)).all()
    return {"timers": mine, "told_me": [row_dict(p) for p in told]}
