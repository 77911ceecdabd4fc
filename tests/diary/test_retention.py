""" "Keep my diary for": the worker deletes a person's entries and check-ins older than they
chose, by date and owner alone, and nobody else's; what belongs to an entry goes with it."""

import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, func
from sqlmodel import select

from accounts import service as accounts_service
from accounts.models import User
from core import jobs
from diary import checkins, entries, retention
from diary.models import DailyCheckIn, DiaryEntry, EntryAnswer, EntryStrength
from tests.conftest import make_contact, make_peer_profile, make_user

NOW = datetime(2027, 6, 15, 12, 0, tzinfo=timezone.utc)
TODAY = NOW.date()


@pytest.fixture
def people(app):
    ids = {name: make_user(app, name)[0] for name in ("mira", "noor", "sam")}
    with app.app_context():
        from extensions import db

        yield db.session, {name: db.session.get(User, user_id) for name, user_id in ids.items()}


def _entry(session, user, days_ago: int, **fields) -> int:
    values = {"mood": 3, "text": f"{days_ago} days ago", "answers": {}, "strengths": []}
    values.update(fields)
    entry = entries.save_entry(session, user, **values)
    entry.day = TODAY - timedelta(days=days_ago)
    entry.written_at = NOW - timedelta(days=days_ago)
    session.add(entry)
    session.commit()
    return entry.id


def _check_in(session, user, days_ago: int) -> None:
    checkins.save_today(
        session, user, mood=3, craving=2, sleep="ok", use=None, good_thing="", day=TODAY - timedelta(days=days_ago)
    )


def _days(session, model, user) -> list[int]:
    rows = session.exec(select(model.day).where(model.user_id == user.id)).all()
    return sorted((TODAY - day).days for day in rows)


def _fill(session, user, ages=(0, 30, 89, 90, 91, 200, 364, 365, 366, 800)) -> None:
    for age in ages:
        _entry(session, user, age)
        _check_in(session, user, age)


def test_only_the_older_rows_of_the_person_who_chose_go(people):
    session, p = people
    accounts_service.set_keep_diary(session, p["mira"], 90)
    accounts_service.set_keep_diary(session, p["noor"], 365)  # sam keeps everything
    for user in p.values():
        _fill(session, user)

    deleted = retention.delete_older_than(session, NOW)

    assert _days(session, DiaryEntry, p["mira"]) == [0, 30, 89, 90]
    assert _days(session, DailyCheckIn, p["mira"]) == [0, 30, 89, 90]
    assert _days(session, DiaryEntry, p["noor"]) == [0, 30, 89, 90, 91, 200, 364, 365]
    assert _days(session, DailyCheckIn, p["noor"]) == [0, 30, 89, 90, 91, 200, 364, 365]
    assert _days(session, DiaryEntry, p["sam"]) == [0, 30, 89, 90, 91, 200, 364, 365, 366, 800]
    assert _days(session, DailyCheckIn, p["sam"]) == [0, 30, 89, 90, 91, 200, 364, 365, 366, 800]
    assert deleted == 2 * 6 + 2 * 2
    assert retention.delete_older_than(session, NOW) == 0  # nothing more: safe to run again


def test_nothing_goes_while_everyone_keeps_everything(people):
    session, p = people
    _fill(session, p["mira"])
    accounts_service.set_keep_diary(session, p["mira"], 90)
    accounts_service.set_keep_diary(session, p["mira"], None)
    assert retention.delete_older_than(session, NOW) == 0
    assert len(_days(session, DiaryEntry, p["mira"])) == 10


def test_what_belongs_to_an_entry_goes_with_it(app, people):
    session, p = people
    peer_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, peer_id)
    contact_id = make_contact(app, p["mira"].id, peer_id)
    from peer import sharing
    from peer.models import EntryShare

    old = _entry(session, p["mira"], 120, answers={"handled": "I went for a walk"}, strengths=["Patience"])
    new = _entry(session, p["mira"], 10, answers={"handled": "I called a friend"}, strengths=["Courage"])
    for entry_id in (old, new):
        sharing.set_entry_shares(session, p["mira"], session.get(DiaryEntry, entry_id), {contact_id})
    accounts_service.set_keep_diary(session, p["mira"], 90)
    session.expunge_all()

    assert retention.delete_older_than(session, NOW) == 1

    for model in (EntryAnswer, EntryStrength, EntryShare):
        left = session.exec(select(model.entry_id)).all()
        assert left == [new], model.__tablename__


def test_rows_are_deleted_in_batches_without_being_loaded(people):
    session, p = people
    accounts_service.set_keep_diary(session, p["mira"], 90)
    _fill(session, p["mira"], ages=(100, 101, 102, 103, 104, 5))
    session.expunge_all()
    loaded = []

    def on_load(target, _context):
        loaded.append(target)

    event.listen(DiaryEntry, "load", on_load)
    event.listen(DailyCheckIn, "load", on_load)
    try:
        assert retention.delete_older_than(session, NOW, batch=2) == 10
    finally:
        event.remove(DiaryEntry, "load", on_load)
        event.remove(DailyCheckIn, "load", on_load)
    assert loaded == []
    assert _days(session, DiaryEntry, p["mira"]) == [5]


def test_the_runner_runs_each_job_once_a_period_and_a_broken_job_stops_no_other(app, people, caplog):
    session, _p = people
    ran = []

    def broken(_session, _now):
        raise RuntimeError("broken on purpose")

    before = dict(jobs._JOBS)
    jobs.register_job("test-broken", broken, timedelta(minutes=1))
    jobs.register_job("test-count", lambda _s, now: ran.append(now) or 7, timedelta(minutes=10))
    try:
        runner = jobs.Runner()
        first = runner.run_due(session, NOW)
        assert first["test-count"] == 7 and "test-broken" not in first
        assert "periodic job test-broken broke off" in caplog.text
        assert "test-count" not in runner.run_due(session, NOW + timedelta(minutes=9))
        assert "test-count" in runner.run_due(session, NOW + timedelta(minutes=10))
        assert ran == [NOW, NOW + timedelta(minutes=10)]
        assert "diary-retention" in first  # diary registers its job when the app starts
    finally:
        jobs._JOBS.clear()
        jobs._JOBS.update(before)


def test_the_push_worker_deletes_what_a_person_chose_not_to_keep(app, people):
    from push.sender import work_forever

    session, p = people
    accounts_service.set_keep_diary(session, p["mira"], 90)
    _entry(session, p["mira"], 400)
    _entry(session, p["mira"], 3)
    _entry(session, p["noor"], 400)
    stop = threading.Event()
    worker = threading.Thread(target=work_forever, args=(app, stop, 0.1), daemon=True)
    worker.start()
    try:
        deadline = time.monotonic() + 20
        count = lambda user: session.exec(  # noqa: E731
            select(func.count()).select_from(DiaryEntry).where(DiaryEntry.user_id == user.id)
        ).one()
        while count(p["mira"]) != 1 and time.monotonic() < deadline:
            session.rollback()  # a fresh snapshot
            time.sleep(0.1)
    finally:
        stop.set()
        worker.join(10)
    assert count(p["mira"]) == 1
    assert count(p["noor"]) == 1
