"""Reminders fire once, at the person's local time, across daylight-saving changes; quiet
hours hold them back; a one-off appointment fires once. Time is frozen by passing `now`."""

from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from accounts.models import User
from extensions import db
from push import sender as worker
from push import service
from push.models import Notification, Reminder
from push.schedule import after_quiet_hours, next_fire, parse_hhmm
from tests.conftest import make_user

UTC = timezone.utc


@pytest.fixture
def person(app):
    user_id, _ = make_user(app, "mira")
    with app.app_context():
        user = db.session.get(User, user_id)
        service.subscribe(db.session, user, "http://127.0.0.1:9/x", "B" * 87, "A" * 22)  # nothing listens there
        yield db.session, user


def _run_worker(session, start: datetime, hours: int, step_minutes: int = 15) -> None:
    """The worker's scheduler, every 15 minutes, for the given span of frozen time."""
    now = start
    while now <= start + timedelta(hours=hours):
        worker.schedule_due_reminders(session, now)
        now += timedelta(minutes=step_minutes)


def _local_fires(session, zone: ZoneInfo) -> Counter:
    rows = session.exec(select(Notification).where(Notification.kind == "reminder")).all()
    return Counter(row.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") for row in rows)


@pytest.mark.parametrize("zone_name", ["Europe/Stockholm", "Europe/Copenhagen"])
@pytest.mark.parametrize("change_day", ["2026-03-29", "2026-10-25"])
def test_a_daily_reminder_keeps_its_local_time_across_dst(person, zone_name, change_day):
    session, user = person
    user.time_zone = zone_name
    zone = ZoneInfo(zone_name)
    day = datetime.fromisoformat(change_day)
    start = datetime.combine(day.date() - timedelta(days=2), datetime.min.time(), tzinfo=zone).astimezone(UTC)
    with_frozen_now(session, user, start, times="08:00, 21:30")
    _run_worker(session, start, hours=24 * 5)
    fires = _local_fires(session, zone)
    days = [(day.date() + timedelta(days=offset)).isoformat() for offset in range(-2, 3)]
    assert fires == Counter({f"{d} {t}": 1 for d in days for t in ("08:00", "21:30")})


def with_frozen_now(session, user, now, **fields):
    import push.service as push_service

    real = push_service.utcnow
    push_service.utcnow = lambda: now
    try:
        return service.save_reminder(
            session,
            user,
            kind=fields.pop("kind", "medicine"),
            title="Medicine",
            times=fields.pop("times", ""),
            weekdays=fields.pop("weekdays", []),
            once_at=fields.pop("once_at", None),
        )
    finally:
        push_service.utcnow = real


@pytest.mark.parametrize("zone_name", ["Europe/Stockholm", "Europe/Copenhagen"])
def test_a_time_in_the_skipped_and_the_doubled_hour_fires_once(person, zone_name):
    session, user = person
    user.time_zone = zone_name
    zone = ZoneInfo(zone_name)
    for change in ("2026-03-29", "2026-10-25"):
        session.exec(Notification.__table__.delete())
        session.exec(Reminder.__table__.delete())
        session.commit()
        day = datetime.fromisoformat(change).date()
        start = datetime.combine(day - timedelta(days=1), datetime.min.time(), tzinfo=zone).astimezone(UTC)
        with_frozen_now(session, user, start, times="02:30")
        _run_worker(session, start, hours=72)
        fires = _local_fires(session, zone)
        assert sum(fires.values()) == 3, fires  # one a day, never two, never none
        on_change_day = [k for k in fires if k.startswith(change)]
        assert len(on_change_day) == 1 and fires[on_change_day[0]] == 1


def test_weekdays_only(person):
    session, user = person
    zone = ZoneInfo(user.time_zone)
    start = datetime(2026, 11, 23, 0, 0, tzinfo=zone).astimezone(UTC)  # a Monday
    with_frozen_now(session, user, start, times="09:00", weekdays=["0", "3"])
    _run_worker(session, start, hours=24 * 7)
    assert sorted(_local_fires(session, zone)) == ["2026-11-23 09:00", "2026-11-26 09:00"]


def test_a_one_off_appointment_fires_once(person):
    session, user = person
    zone = ZoneInfo(user.time_zone)
    start = datetime(2026, 11, 23, 8, 0, tzinfo=zone).astimezone(UTC)
    reminder = with_frozen_now(session, user, start, kind="appointment", once_at=datetime(2026, 11, 24, 14, 30))
    _run_worker(session, start, hours=72)
    assert _local_fires(session, zone) == Counter({"2026-11-24 14:30": 1})
    session.refresh(reminder)
    assert reminder.active is False and reminder.next_fire_at is None


def test_an_appointment_in_the_past_is_explained(person):
    session, user = person
    from push.service import PushError

    with pytest.raises(PushError) as error:
        service.save_reminder(
            session,
            user,
            kind="appointment",
            title="Dentist",
            times="",
            weekdays=[],
            once_at=datetime(2020, 1, 1, 9, 0),
        )
    assert error.value.code == "reminder_past"


def test_quiet_hours_hold_a_reminder_back_and_release_it(person):
    session, user = person
    zone = ZoneInfo(user.time_zone)
    service.save_settings(session, user, quiet_start="22:00", quiet_end="07:30", show_more=False)
    start = datetime(2026, 11, 23, 12, 0, tzinfo=zone).astimezone(UTC)
    with_frozen_now(session, user, start, times="23:00")
    _run_worker(session, start, hours=20)
    assert _local_fires(session, zone) == Counter({"2026-11-24 07:30": 1})


def test_quiet_hours_rule():
    zone = ZoneInfo("Europe/Stockholm")
    at = lambda h, m=0: datetime(2026, 11, 23, h, m, tzinfo=zone).astimezone(UTC)  # noqa: E731
    start, end = parse_hhmm("22:00"), parse_hhmm("07:00")
    assert after_quiet_hours(at(12), start, end, zone) == at(12)
    assert after_quiet_hours(at(23), start, end, zone) == datetime(2026, 11, 24, 7, 0, tzinfo=zone).astimezone(UTC)
    assert after_quiet_hours(at(3), start, end, zone) == at(7)
    assert after_quiet_hours(at(13), parse_hhmm("13:00"), parse_hhmm("14:00"), zone) == at(14)
    assert after_quiet_hours(at(3), None, None, zone) == at(3)


def test_next_fire_never_returns_the_same_moment():
    zone = ZoneInfo("Europe/Stockholm")
    moment = datetime(2026, 11, 23, 8, 0, tzinfo=zone).astimezone(UTC)
    assert next_fire([parse_hhmm("08:00")], set(), zone, moment) == moment + timedelta(days=1)
