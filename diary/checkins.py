"""The daily check-in: "How are you today?", one per day, correctable the same day.

The mood alone is a whole check-in (one tap on Today); craving, sleep, use and a good thing
can be added to it, or changed, later the same day."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from accounts.rules import RuleError
from accounts.sealing import sealed_values
from extensions import upsert, utcnow

from . import signals
from .days import local_today
from .models import DailyCheckIn
from .vocab import SLEEP, USE

GOOD_THING_MAX = 500


class CheckInError(RuleError):
    """A rule of the daily check-in said no."""


def todays(session: Session, user) -> DailyCheckIn | None:
    return session.exec(
        select(DailyCheckIn).where(DailyCheckIn.user_id == user.id, DailyCheckIn.day == local_today(user))
    ).first()


def save_today(
    session: Session,
    user,
    *,
    mood: int | None,
    craving: int | None = None,
    sleep: str | None = None,
    use: str | None = None,
    good_thing: str = "",
    day: date | None = None,
) -> DailyCheckIn:
    """Save the day's check-in (all of it: what is not given is left empty)."""
    if mood is None or mood not in range(1, 6):
        raise CheckInError("checkin_mood", "mood")
    if craving is not None and craving not in range(0, 11):
        raise CheckInError("checkin_craving", "craving")
    if sleep in ("", None):
        sleep = None
    elif sleep not in SLEEP:
        raise CheckInError("checkin_sleep", "sleep")
    if use not in USE:
        use = None  # skipping this question is always fine
    good_thing = (good_thing or "").strip()
    if len(good_thing) > GOOD_THING_MAX:
        raise CheckInError("checkin_good_long", "good_thing")
    day = day or local_today(user)
    # One statement that inserts or updates: two first check-ins at the same moment meet
    # at the unique (user, day) key instead of one of them failing.
    upsert(
        session,
        DailyCheckIn,
        {"user_id": user.id, "day": day},
        sealed_values(
            DailyCheckIn,
            {"user_id": user.id},
            {
                "mood": mood,
                "craving": craving,
                "sleep": sleep,
                "use": use,
                "good_thing": good_thing,
                "updated_at": utcnow(),
            },
        ),
        on_insert={"created_at": utcnow()},
    )
    session.commit()
    row = session.exec(select(DailyCheckIn).where(DailyCheckIn.user_id == user.id, DailyCheckIn.day == day)).one()
    session.refresh(row)
    signals.checkin_saved.send(session=session, user_id=user.id)
    return row


def week(session: Session, user, end: date | None = None) -> list[tuple[date, int | None]]:
    """The last seven days up to `end` (today), oldest first, each with its check-in's mood."""
    end = end or local_today(user)
    start = end - timedelta(days=6)
    moods = dict(
        session.exec(
            select(DailyCheckIn.day, DailyCheckIn.mood).where(
                DailyCheckIn.user_id == user.id, DailyCheckIn.day >= start, DailyCheckIn.day <= end
            )
        ).all()
    )
    return [(start + timedelta(days=i), moods.get(start + timedelta(days=i))) for i in range(7)]
