"""`flask demo seed`: a demo client with a year of entries, check-ins and goals, so the app
can be tried and measured on realistic amounts of data."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, time, timedelta, timezone

import click
from flask.cli import AppGroup

from accounts import service as accounts_service
from accounts.rules import RuleError
from extensions import db

from .days import local_today, zone_of
from .entries import strength_key
from .models import DailyCheckIn, DiaryEntry, EntryAnswer, EntryStrength, Goal, GoalCheckIn, GoalStep

demo_cli = AppGroup("demo", help="Demo data for trying and benchmarking the app.")

ANSWERS = {
    "handled": [
        "I said no to a party and went home early.",
        "I called the housing office myself.",
        "I stayed calm when the bus was late.",
        "I kept my appointment.",
    ],
    "strength": ["Patience with my mum.", "I was honest with my peer supporter.", "Not giving up on the forms."],
    "energy": ["A long walk by the water.", "Music in the kitchen.", "Sleeping a full night."],
    "helped": ["My sister called.", "The drop-in had coffee and someone to talk to.", "My dog."],
    "proud": ["Three days of cooking real food.", "I paid the phone bill."],
    "kind": ["I helped a neighbour carry shopping.", "I let myself rest."],
    "learned": ["Evenings are harder when I am alone.", "I cope better after breakfast."],
    "tomorrow": ["Seeing Sam on Saturday.", "The swimming hall opens again."],
}
TEXTS = [
    "",
    "",
    "Quiet day.",
    "Hard morning, better afternoon.",
    "Talked to Ali at the drop-in for an hour.",
    "Cleaned the flat and it feels good.",
    "Tired but okay.",
    "Rain all day. Watched a film.",
]
STRENGTHS = [
    "Patience",
    "Courage",
    "Honesty",
    "Humour",
    "Caring for others",
    "Asking for help",
    "Keeping a routine",
    "Not giving up",
    "Staying calm",
    "Cooking",
]
GOALS = [
    ("less", None, "Only use at weekends", "So I have money left for rent.", ["Tell Sam about it", "Plan Fridays"]),
    ("safer", None, "Never use alone", "I want to be around for my kids.", ["Save the number of a friend"]),
    (
        "life",
        "housing",
        "A flat of my own",
        "A door I can lock.",
        ["Call the housing office", "Fill in the form", "Visit the flat"],
    ),
    ("life", "structure", "Breakfast every day", "Mornings are easier after eating.", ["Buy oats"]),
]


@demo_cli.command("seed")
@click.option("--handle", default="demo", show_default=True)
@click.option("--password", default=None, help="Default: a new random one, printed once.")
@click.option("--days", default=365, show_default=True, type=click.IntRange(1, 3650))
@click.option("--seed", default=7, show_default=True, help="The same seed gives the same data.")
def seed(handle: str, password: str | None, days: int, seed: int) -> None:
    """Create a client with DAYS of realistic diary entries, check-ins and goals."""
    session = db.session
    if accounts_service.find_by_handle(session, handle) is not None:
        raise click.ClickException(f"{handle} exists already; choose another --handle.")
    password = password or "try " + secrets.token_urlsafe(12)
    try:
        user, _codes = accounts_service.sign_up(session, handle, password)
    except RuleError as error:
        raise click.ClickException(f"cannot create {handle}: {error.code}") from None
    counts = fill(session, user, days, random.Random(seed))
    click.echo(f"Demo client {handle} (password: {password}): " + ", ".join(f"{n} {k}" for k, n in counts.items()))


def fill(session, user, days: int, rng: random.Random) -> dict[str, int]:
    """Write the demo rows straight into the tables (the same tables the services write)."""
    zone = zone_of(user)
    today = local_today(user)
    start = today - timedelta(days=days - 1)
    goals = []
    for index, (kind, area, title, why, steps) in enumerate(GOALS):
        goal = Goal(
            user_id=user.id,
            kind=kind,
            area=area,
            title=title,
            why=why,
            created_at=_moment(start, 9, zone),
            status="active" if index < 3 else "paused",
        )
        session.add(goal)
        session.flush()
        for position, text in enumerate(steps):
            done = _moment(start + timedelta(days=20 * (position + 1)), 12, zone) if position < len(steps) - 1 else None
            session.add(GoalStep(goal_id=goal.id, user_id=user.id, text=text, position=position, done_at=done))
        goals.append(goal)
    mood, counts = 3.0, {"entries": 0, "check-ins": 0, "goal check-ins": 0}
    for offset in range(days):
        day = start + timedelta(days=offset)
        mood = min(5.0, max(1.0, mood + rng.uniform(-0.8, 0.85)))
        if rng.random() < 0.8:
            session.add(
                DailyCheckIn(
                    user_id=user.id,
                    day=day,
                    mood=round(mood),
                    craving=max(0, min(10, round(9 - mood * 1.6 + rng.uniform(-2, 2)))),
                    sleep=rng.choice(["poor", "ok", "ok", "good"]),
                    use=rng.choice([None, "none", "less", "usual", "more"]),
                    good_thing=rng.choice(["", "", "Sun on the balcony", "Good coffee", "A call from Sam"]),
                    created_at=_moment(day, 20, zone),
                    updated_at=_moment(day, 20, zone),
                )
            )
            counts["check-ins"] += 1
        if rng.random() < 0.5:
            written = _moment(day, rng.randint(8, 22), zone)
            entry = DiaryEntry(
                user_id=user.id,
                written_at=written,
                updated_at=written,
                day=day,
                mood=round(mood) if rng.random() < 0.8 else None,
                text=rng.choice(TEXTS),
            )
            session.add(entry)
            session.flush()
            for prompt in rng.sample(list(ANSWERS), 2):
                if rng.random() < 0.7:
                    session.add(
                        EntryAnswer(entry_id=entry.id, user_id=user.id, prompt=prompt, text=rng.choice(ANSWERS[prompt]))
                    )
            for name in rng.sample(STRENGTHS, rng.randint(0, 3)):
                session.add(EntryStrength(entry_id=entry.id, user_id=user.id, name=name, name_key=strength_key(name)))
            counts["entries"] += 1
        for goal in goals[:3]:
            if rng.random() < 0.6:
                outcome = rng.choices(["planned", "partly", "not_this_time"], weights=[6, 3, 1 + (mood < 2.5) * 3])[0]
                session.add(
                    GoalCheckIn(
                        goal_id=goal.id, user_id=user.id, day=day, outcome=outcome, created_at=_moment(day, 21, zone)
                    )
                )
                counts["goal check-ins"] += 1
    session.commit()
    return counts


def _moment(day, hour: int, zone) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=zone).astimezone(timezone.utc)
