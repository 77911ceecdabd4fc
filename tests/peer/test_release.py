"""The first weeks after a release or discharge: the plan beside a release step, its
checklist sealed, check-ins by the chosen peer supporter that reach them on day 1, 3, 7
and 14 (in their inbox, and one push each), each of which the client can turn off."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlmodel import select

from extensions import db
from tests.conftest import login, main_of, make_contact, make_peer_profile, make_user, post

OUT = datetime(2027, 3, 1, 10, 0)  # the day the term ends, in the client's wall time


def _at(day_after: int, hour: int = 10) -> datetime:
    """A moment (UTC) on the given day after OUT, in Stockholm's winter time (UTC+1)."""
    return datetime(2027, 3, 1 + day_after, hour - 1, 0, tzinfo=timezone.utc)


@pytest.fixture
def people(app):
    client_id, _ = make_user(app, "mira")
    peer_id, _ = make_user(app, "helle", role="peer", approved=True)
    other_peer_id, _ = make_user(app, "ola", role="peer", approved=True)
    make_peer_profile(app, peer_id)
    make_peer_profile(app, other_peer_id, display_name="Ola")
    contact_id = make_contact(app, client_id, peer_id)
    pending_id = make_contact(app, client_id, other_peer_id, accept=False)
    with app.app_context():
        from accounts.models import User
        from diary import next_steps as steps
        from push import service as push

        mira = db.session.get(User, client_id)
        step = steps.save_step(
            db.session, mira, kind="after_prison", title="Out of prison", when=OUT, who="", phone="", note=""
        )
        other = steps.save_step(
            db.session, mira, kind="appointment", title="Dentist", when=OUT, who="", phone="", note=""
        )
        push.subscribe(db.session, db.session.get(User, peer_id), "https://93.184.215.14/p", "B" * 87, "A" * 22)
        db.session.commit()
        return {
            "client": client_id,
            "peer": peer_id,
            "other_peer": other_peer_id,
            "contact": contact_id,
            "pending": pending_id,
            "step": step.id,
            "appointment": other.id,
        }


def _save(people, **values):
    from accounts.models import User
    from diary.models import NextStep
    from peer import release

    mira = db.session.get(User, people["client"])
    step = db.session.get(NextStep, people["step"])
    args = {"checklist": ["naloxone", "sleep"], "contact_id": people["contact"], "days": ["1", "3", "7", "14"]}
    args.update(values)
    return release.save_plan(db.session, mira, step, **args)


def test_the_plan_keeps_the_checklist_sealed_and_takes_only_an_active_peer_supporter(app, people):
    from peer import release

    with app.app_context():
        plan = _save(people, checklist=["naloxone", "sleep", "nonsense"], days=["1", "7", "99", "x"])
        assert release.ticked(plan) == {"naloxone", "sleep"} and release.days_on(plan) == {1, 7}
        raw = db.session.execute(text("SELECT checklist FROM release_plan")).scalar_one()
        assert "naloxone" not in str(raw) and "sleep" not in str(raw)
        for wrong in (people["pending"], 999999, -1):
            with pytest.raises(release.ReleaseError):
                _save(people, contact_id=wrong)
        db.session.rollback()
        again = _save(people, contact_id=None)
        assert again.id == plan.id and again.contact_id is None  # one plan per step
        assert len(db.session.exec(select(release.ReleasePlan)).all()) == 1


def test_only_a_release_step_of_the_client_has_a_plan(app, people):
    from accounts.models import User
    from peer import release

    with app.app_context():
        mira = db.session.get(User, people["client"])
        helle = db.session.get(User, people["peer"])
        assert release.release_step(db.session, mira, people["step"]) is not None
        assert release.release_step(db.session, mira, people["appointment"]) is None
        assert release.release_step(db.session, helle, people["step"]) is None


def test_the_peer_sees_each_check_in_on_its_day_and_not_one_turned_off(app, people):
    from accounts.models import User
    from peer import release

    with app.app_context():
        _save(people, days=["1", "7", "14"])  # day 3 turned off
        helle = db.session.get(User, people["peer"])
        ola = db.session.get(User, people["other_peer"])

        def due(day_after):
            return [(row.day, row.client_name) for row in release.due_for_peer(db.session, helle, _at(day_after))]

        assert due(0) == []
        assert due(1) == [(1, "mira")] and due(2) == [(1, "mira")]
        assert due(3) == [] and due(4) == []  # day 3 is off
        assert due(7) == [(7, "mira")] and due(14) == [(14, "mira")] and due(16) == []
        assert release.due_for_peer(db.session, ola, _at(1)) == []


def test_a_push_reaches_the_peer_once_on_each_day_and_never_after_the_contact_ends(app, people):
    from peer import release
    from peer.models import Contact
    from push.models import Notification

    def pushes():
        rows = db.session.exec(select(Notification).where(Notification.user_id == people["peer"])).all()
        return [(row.kind, row.payload["url"]) for row in rows]

    with app.app_context():
        _save(people, days=["1", "7", "14"])
        assert release.send_due(db.session, _at(1, hour=8)) == 0  # before 09:00 that day
        assert release.send_due(db.session, _at(1, hour=9)) == 1
        assert release.send_due(db.session, _at(1, hour=12)) == 0  # never twice
        assert pushes() == [("release_checkin", "/inbox")]
        body = db.session.exec(select(Notification)).first().payload["body"]
        assert "mira" not in body and "prison" not in body.lower()  # the lock screen stays neutral
        assert release.send_due(db.session, _at(3)) == 0  # turned off
        assert release.send_due(db.session, _at(7)) == 1
        contact = db.session.get(Contact, people["contact"])
        contact.status = "ended"
        db.session.commit()
        assert release.send_due(db.session, _at(14)) == 0
        assert len(pushes()) == 2


def test_a_missed_morning_is_still_sent_later_that_day_but_not_days_later(app, people):
    from peer import release

    with app.app_context():
        _save(people, days=["1", "3"])
        assert release.send_due(db.session, _at(4)) == 1  # day 3 still in its window, day 1 gone
        plan = db.session.exec(select(release.ReleasePlan)).one()
        assert plan.reminded == "2027-03-04"


def test_the_client_plans_their_first_weeks_from_the_step(app, client, people):
    login(client, "mira")
    steps_page = main_of(client.get("/next-steps"))
    assert steps_page.count("Plan your first weeks") == 1
    assert f'href="/next-steps/{people["step"]}/plan"' in steps_page
    page = main_of(client.get(f"/next-steps/{people['step']}/plan"))
    assert "Your tolerance drops fast" in page and "https://www.helsenorge.no/" in page
    assert "Helle (peer supporter)" in page and "Ola" not in page  # active peer supporters only
    assert "2 Mar 2027" in page and "15 Mar 2027" in page  # day 1 and day 14
    answer = post(
        client,
        f"/next-steps/{people['step']}/plan",
        {"checklist": ["naloxone", "who_to_call"], "peer": str(people["contact"]), "days": ["1", "14"]},
    )
    assert answer.status_code == 302
    page = main_of(client.get(answer.headers["Location"]))
    assert "Your plan is saved." in page
    assert page.count("checked") == 4  # two ticks, two check-ins
    assert client.get(f"/next-steps/{people['appointment']}/plan").status_code == 404


def test_bad_choices_get_words_not_an_error(app, client, people):
    login(client, "mira")
    for peer in (str(people["pending"]), "abc", "99999999999999999999"):
        answer = post(client, f"/next-steps/{people['step']}/plan", {"peer": peer, "days": ["1"]})
        assert answer.status_code == 200
        assert "Choose one of your peer supporters, or nobody." in main_of(answer)


def test_days_that_are_not_offered_are_left_out_never_an_error(app, client, people):
    """Found by the generated requests: 5,000 digits are more than int() reads."""
    login(client, "mira")
    days = ["4" * 5000, "-1", "٣", "3", "07", "14"]
    answer = post(client, f"/next-steps/{people['step']}/plan", {"peer": "", "days": days})
    assert answer.status_code in (200, 302)


def test_the_peer_finds_the_check_in_in_their_inbox_on_the_day(app, client, people, monkeypatch):
    from peer import release

    with app.app_context():
        _save(people)
    login(client, "helle")
    monkeypatch.setattr(release, "utcnow", lambda: _at(3))
    inbox = main_of(client.get("/inbox"))
    assert "Check-ins due" in inbox and "mira: day 3 after" in inbox
    assert f'href="/contacts/{people["contact"]}"' in inbox
    monkeypatch.setattr(release, "utcnow", lambda: _at(5))
    assert "Check-ins due" not in main_of(client.get("/inbox"))
    monkeypatch.setattr(release, "utcnow", lambda: _at(7) + timedelta(hours=1))
    assert "mira: day 7 after" in main_of(client.get("/inbox"))


def test_a_moved_date_sends_the_check_ins_of_the_new_dates(app, people):
    from diary.models import NextStep
    from peer import release

    with app.app_context():
        _save(people, days=["1"])
        assert release.send_due(db.session, _at(1)) == 1
        step = db.session.get(NextStep, people["step"])
        step.when_local = "2027-03-05T10:00"  # the day was put off by four days
        db.session.commit()
        assert release.send_due(db.session, _at(2)) == 0
        assert release.send_due(db.session, _at(5)) == 1 and release.send_due(db.session, _at(5, hour=15)) == 0


def test_the_plan_is_in_the_export_and_goes_with_the_step(app, people):
    from accounts.exporting import export_user
    from accounts.models import User
    from diary import next_steps as steps
    from diary.models import NextStep
    from peer import release

    with app.app_context():
        _save(people)
        mira = db.session.get(User, people["client"])
        exported = str(export_user(db.session, mira))
        assert "release_plans" in exported and "naloxone" in exported
        steps.delete_step(db.session, db.session.get(NextStep, people["step"]))
        assert db.session.exec(select(release.ReleasePlan)).all() == []


def test_the_worker_runs_the_check_in_job(app, people):
    from core.jobs import Runner, registered
    from push.models import Notification

    assert "release-checkins" in {job.name for job in registered()}
    with app.app_context():
        _save(people, days=["1"])
        done = Runner().run_due(db.session, _at(1))
        assert done["release-checkins"] == 1
        assert db.session.exec(select(Notification).where(Notification.user_id == people["peer"])).first()
