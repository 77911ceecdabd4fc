"""Stay with me, with the clock run by hand: every state (running, asked, alerted, on it,
escalated, ended), exactly one alert however often and by however many the tick runs, who
is offered and told, and who can read the note."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, text, update
from sqlmodel import Session, select

from tests.conftest import make_contact, make_peer_profile, make_user

T0 = datetime(2026, 11, 30, 20, 0, tzinfo=timezone.utc)


def _subscribe(session, user):
    from push import service as push

    push.subscribe(session, user, f"https://93.184.215.14/{user.id}", "B" * 87, "A" * 22)


def _people(app):
    """mira (client) with helle (peer, chosen), oskar (peer, her contact, not chosen), mum
    (relative without alert consent), and dina (a peer supporter on duty, not her contact)."""
    from accounts.models import User
    from extensions import db
    from peer import relatives
    from stay import service

    ids = {}
    ids["mira"], _ = make_user(app, "mira")
    for name in ("helle", "oskar", "dina"):
        ids[name], _ = make_user(app, name, role="peer", approved=True)
        make_peer_profile(app, ids[name], display_name=name.capitalize())
    ids["mum"], _ = make_user(app, "mum", role="relative")
    ids["c_helle"] = make_contact(app, ids["mira"], ids["helle"])
    ids["c_oskar"] = make_contact(app, ids["mira"], ids["oskar"])
    with app.app_context():
        session = db.session
        mira = session.get(User, ids["mira"])
        _invitation, code = relatives.create_invitation(
            session, mira, label="Mum", share_checkin=False, goal_ids=[], alerts=False, messaging=True
        )
        ids["c_mum"] = relatives.accept_invitation(session, session.get(User, ids["mum"]), code).id
        service.set_on_duty(session, session.get(User, ids["dina"]), True)
        for name in ("mira", "helle", "oskar", "dina", "mum"):
            _subscribe(session, session.get(User, ids[name]))
        session.commit()
    return ids


def _names(names: list[str]) -> list[str]:
    """The names without the role word (these service calls run outside a request: Swedish)."""
    return [name.split(" (")[0] for name in names]


def _outbox(session, user_id=None, kind=None) -> int:
    from push.models import Notification

    query = select(func.count()).select_from(Notification)
    if user_id is not None:
        query = query.where(Notification.user_id == user_id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return session.exec(query).one()


def _start(session, ids, minutes=20, to_duty=True, note="Flat 3, the key is under the mat"):
    from accounts.models import User
    from stay import service

    mira = session.get(User, ids["mira"])
    return service.start(
        session, mira, minutes=minutes, contact_ids={ids["c_helle"]}, note=note, to_duty=to_duty, now=T0
    )


def test_every_state_in_turn(app):
    from accounts.models import User
    from extensions import db
    from stay import service, shown

    ids = _people(app)
    with app.app_context():
        session = db.session
        timer = _start(session, ids)
        assert timer.state == "running" and timer.ends_at == T0 + timedelta(minutes=20)
        assert timer.due_at == T0 + timedelta(minutes=17)  # asked 3 minutes before the end
        assert service.tick(session, T0 + timedelta(minutes=16)) == 0
        assert service.tick(session, T0 + timedelta(minutes=17)) == 1
        session.refresh(timer)
        assert timer.state == "asked"
        assert _outbox(session, ids["mira"], "stay_ask") == 1
        assert _outbox(session, ids["helle"]) == 0
        # The grace period runs from the end of the time.
        assert service.tick(session, T0 + timedelta(minutes=21, seconds=59)) == 0
        assert service.tick(session, T0 + timedelta(minutes=22)) == 1
        session.refresh(timer)
        assert timer.state == "alerted"
        assert _outbox(session, ids["helle"], "alert") == 1
        assert _outbox(session, ids["oskar"]) == _outbox(session, ids["mum"]) == _outbox(session, ids["dina"]) == 0
        # Nobody on it within 5 minutes: again to the chosen, and to the peer supporters on duty.
        assert service.tick(session, T0 + timedelta(minutes=26, seconds=59)) == 0
        assert service.tick(session, T0 + timedelta(minutes=27)) == 1
        session.refresh(timer)
        assert timer.state == "escalated"
        assert _outbox(session, ids["helle"], "alert") == 2
        assert _outbox(session, ids["dina"], "alert") == 1
        assert _outbox(session, ids["oskar"]) == _outbox(session, ids["mum"]) == 0
        assert service.tick(session, T0 + timedelta(hours=3)) == 0  # nothing more to do
        # Dina (on duty) says "I'm on it"; Helle sees who, by the name a peer supporter chose.
        dina, helle = session.get(User, ids["dina"]), session.get(User, ids["helle"])
        [told_dina] = shown.alerts_for(session, dina, T0 + timedelta(minutes=28))
        assert told_dina.note == "" and told_dina.client_name == "mira"
        service.on_it(session, dina, told_dina.person, now=T0 + timedelta(minutes=28))
        session.refresh(timer)
        assert timer.state == "on_it"
        [told_helle] = shown.alerts_for(session, helle, T0 + timedelta(minutes=28))
        assert _names(told_helle.on_it) == ["Dina"]
        assert told_helle.note == "Flat 3, the key is under the mat"
        mira = session.get(User, ids["mira"])
        assert _names(shown.on_it_for_client(session, mira, timer)) == ["Dina"]
        # Mira is OK: everyone told hears it, once.
        assert service.end(session, mira, timer, now=T0 + timedelta(minutes=30)) is True
        assert timer.state == "ended"
        assert _outbox(session, ids["helle"], "stay_ok") == 1 and _outbox(session, ids["dina"], "stay_ok") == 1
        assert _outbox(session, ids["oskar"], "stay_ok") == 0
        [after] = shown.alerts_for(session, helle, T0 + timedelta(minutes=31))
        assert after.ended
        assert service.end(session, mira, timer, now=T0 + timedelta(minutes=31)) is False
        assert _outbox(session, ids["helle"], "stay_ok") == 1


def test_on_it_before_the_escalation_stops_it(app):
    from accounts.models import User
    from extensions import db
    from stay import service, shown

    ids = _people(app)
    with app.app_context():
        session = db.session
        timer = _start(session, ids)
        service.tick(session, T0 + timedelta(minutes=17))
        service.tick(session, T0 + timedelta(minutes=22))
        helle = session.get(User, ids["helle"])
        [told] = shown.alerts_for(session, helle, T0 + timedelta(minutes=23))
        service.on_it(session, helle, told.person, now=T0 + timedelta(minutes=23))
        assert timer.state == "on_it"
        assert service.tick(session, T0 + timedelta(minutes=40)) == 0
        assert _outbox(session, ids["dina"]) == 0
        assert _names(shown.on_it_for_client(session, session.get(User, ids["mira"]), timer)) == ["Helle"]


def test_no_duty_peers_without_the_clients_yes(app):
    from extensions import db
    from stay import service

    ids = _people(app)
    with app.app_context():
        session = db.session
        _start(session, ids, to_duty=False)
        for minutes in (17, 22, 27):
            service.tick(session, T0 + timedelta(minutes=minutes))
        assert _outbox(session, ids["helle"], "alert") == 2 and _outbox(session, ids["dina"]) == 0


def test_ok_and_more_time_before_anyone_is_told(app):
    from accounts.models import User
    from extensions import db
    from stay import service
    from stay.service import StayError

    ids = _people(app)
    with app.app_context():
        session = db.session
        mira = session.get(User, ids["mira"])
        timer = _start(session, ids)
        service.tick(session, T0 + timedelta(minutes=17))
        service.more_time(session, mira, timer, now=T0 + timedelta(minutes=18))
        assert timer.state == "running" and timer.ends_at == T0 + timedelta(minutes=30)
        assert service.tick(session, T0 + timedelta(minutes=24)) == 0
        assert service.tick(session, T0 + timedelta(minutes=27)) == 1
        assert service.end(session, mira, timer, now=T0 + timedelta(minutes=28)) is False
        assert service.tick(session, T0 + timedelta(hours=2)) == 0
        assert _outbox(session, ids["helle"]) == 0 and _outbox(session, ids["mira"], "stay_ask") == 2
        # After the people were told, "10 more minutes" is no longer the answer; "I'm OK" is.
        timer = service.start(session, mira, minutes=5, contact_ids={ids["c_helle"]}, now=T0 + timedelta(hours=3))
        assert timer.due_at == timer.ends_at  # a short timer asks at the end
        service.tick(session, T0 + timedelta(hours=3, minutes=5))
        service.tick(session, T0 + timedelta(hours=3, minutes=7))
        with pytest.raises(StayError):
            service.more_time(session, mira, timer, now=T0 + timedelta(hours=3, minutes=8))


def test_the_rules_say_no_clearly(app):
    from accounts.models import User
    from extensions import db
    from stay import service
    from stay.service import StayError

    ids = _people(app)
    with app.app_context():
        session = db.session
        mira = session.get(User, ids["mira"])
        for minutes, people, code in (
            (4, {ids["c_helle"]}, "stay_minutes"),
            (241, {ids["c_helle"]}, "stay_minutes"),
            (None, {ids["c_helle"]}, "stay_minutes"),
            (20, set(), "stay_nobody"),
            (20, {ids["c_mum"]}, "stay_nobody"),  # a relative without alert consent
            (20, {999999}, "stay_nobody"),
        ):
            with pytest.raises(StayError) as error:
                service.start(session, mira, minutes=minutes, contact_ids=people, now=T0)
            assert error.value.code == code
            session.rollback()
        first = service.start(session, mira, minutes=20, contact_ids={ids["c_helle"]}, client_key="k" * 32, now=T0)
        again = service.start(session, mira, minutes=20, contact_ids={ids["c_helle"]}, client_key="k" * 32, now=T0)
        assert first.id == again.id
        with pytest.raises(StayError) as error:
            service.start(session, mira, minutes=20, contact_ids={ids["c_helle"]}, now=T0)
        assert error.value.code == "stay_running"


def test_a_relative_without_alert_consent_is_never_offered_or_told(app):
    from accounts.models import User
    from extensions import db
    from stay import service, shown

    ids = _people(app)
    with app.app_context():
        session = db.session
        mira = session.get(User, ids["mira"])
        offered = {row.contact.id for row in service.choosable(session, mira)}
        assert offered == {ids["c_helle"], ids["c_oskar"]}
        service.start(session, mira, minutes=20, contact_ids=set(offered) | {ids["c_mum"]}, now=T0)
        for minutes in (17, 22, 27):
            service.tick(session, T0 + timedelta(minutes=minutes))
        assert _outbox(session, ids["mum"]) == 0
        assert shown.alerts_for(session, session.get(User, ids["mum"]), T0 + timedelta(minutes=28)) == []


def test_only_the_chosen_people_read_the_note(app):
    from accounts.models import User
    from accounts.sealing import Keyring, KeyUnavailable, current_keyring, open_value
    from extensions import db
    from stay import service, shown
    from stay.models import StayPerson

    ids = _people(app)
    with app.app_context():
        session = db.session
        timer = _start(session, ids)
        for minutes in (17, 22, 27):
            service.tick(session, T0 + timedelta(minutes=minutes))
        raw = session.execute(text("SELECT note FROM stay_person ORDER BY id")).scalars().all()
        raw_timer = session.execute(text("SELECT note FROM stay_timer")).scalar()
        assert raw_timer.startswith(f"s1.u{ids['mira']}.") and "mat" not in raw_timer
        assert raw[0].startswith(f"s1.c{ids['c_helle']}.") and "mat" not in raw[0]
        assert raw[1] is None  # dina, on duty: no copy at all
        # The server alone (no one's keys) cannot open any copy.
        bare = Keyring()
        for value in (raw_timer, raw[0]):
            with pytest.raises(KeyUnavailable):
                str(open_value(value, bare))
        # Oskar (her other contact, not chosen) and Dina (on duty) hold no key that opens it.
        for name in ("oskar", "dina"):
            theirs = Keyring()
            theirs.add_person(ids[name], current_keyring().data_key(ids[name]))
            with pytest.raises(KeyUnavailable):
                str(open_value(raw[0], theirs))
        helle_ring = Keyring()
        helle_ring.add_person(ids["helle"], current_keyring().data_key(ids["helle"]))
        assert open_value(raw[0], helle_ring) == "Flat 3, the key is under the mat"
        # Nobody but the chosen is shown it: oskar is not told at all, dina without a note.
        assert shown.alerts_for(session, session.get(User, ids["oskar"]), T0) == []
        [dina_sees] = shown.alerts_for(session, session.get(User, ids["dina"]), T0 + timedelta(minutes=28))
        assert dina_sees.note == ""
        assert session.exec(select(StayPerson).where(StayPerson.timer_id == timer.id)).all()


def _two_sessions_tick(app, now) -> list[int]:
    from extensions import db
    from stay import service

    barrier, results = threading.Barrier(2), []

    def run():
        with app.app_context(), Session(db.engine, expire_on_commit=False) as own:
            barrier.wait()
            results.append(service.tick(own, now))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_tick_twice_and_two_at_once_alert_once(app):
    from extensions import db
    from stay import service

    ids = _people(app)
    with app.app_context():
        session = db.session
        _start(session, ids)
        service.tick(session, T0 + timedelta(minutes=17))
        assert service.tick(session, T0 + timedelta(minutes=17)) == 0  # the same moment again: nothing
    assert sorted(_two_sessions_tick(app, T0 + timedelta(minutes=22))) == [0, 1]
    with app.app_context():
        session = db.session
        assert _outbox(session, ids["helle"], "alert") == 1
        assert service.tick(session, T0 + timedelta(minutes=22)) == 0
    assert sorted(_two_sessions_tick(app, T0 + timedelta(minutes=27))) == [0, 1]
    with app.app_context():
        session = db.session
        assert _outbox(session, ids["helle"], "alert") == 2 and _outbox(session, ids["dina"], "alert") == 1


def test_a_tick_that_breaks_before_its_commit_leaves_the_timer_due(app, monkeypatch):
    from extensions import db
    from push import outbox
    from stay import service

    ids = _people(app)
    with app.app_context():
        session = db.session
        timer = _start(session, ids)
        service.tick(session, T0 + timedelta(minutes=17))
        calls = []

        def broken(*args, **kwargs):
            calls.append(1)
            raise RuntimeError("the worker died here")

        monkeypatch.setattr(outbox, "enqueue", broken)
        assert service.tick(session, T0 + timedelta(minutes=22)) == 0
        assert calls
        monkeypatch.undo()
        session.refresh(timer)
        assert timer.state == "asked" and _outbox(session, ids["helle"]) == 0
        assert service.tick(session, T0 + timedelta(minutes=22)) == 1
        assert _outbox(session, ids["helle"], "alert") == 1


def test_the_push_workers_round_and_the_command_run_the_tick(app):
    from core.jobs import Runner
    from extensions import db, utcnow
    from stay.models import StayTimer

    ids = _people(app)
    with app.app_context():
        session = db.session
        timer = _start(session, ids)
        done = Runner().run_due(session, T0 + timedelta(minutes=17))  # what the worker runs after each round
        assert done["stay-tick"] == 1
        session.refresh(timer)
        assert timer.state == "asked"
        session.execute(
            update(StayTimer).where(StayTimer.id == timer.id).values(due_at=utcnow() - timedelta(minutes=1))
        )
        session.commit()
    result = app.test_cli_runner().invoke(args=["stay", "tick"])
    assert result.exit_code == 0 and "1 timers moved on" in result.output
    with app.app_context():
        assert db.session.get(StayTimer, timer.id).state == "alerted"


def test_a_contact_whose_alerts_were_turned_off_meanwhile_is_not_told(app):
    from accounts.models import User
    from extensions import db
    from peer import contacts
    from peer.models import Contact
    from stay import service

    ids = _people(app)
    with app.app_context():
        session = db.session
        mira = session.get(User, ids["mira"])
        service.start(session, mira, minutes=20, contact_ids={ids["c_helle"], ids["c_oskar"]}, to_duty=False, now=T0)
        contacts.set_alerts(session, mira, session.get(Contact, ids["c_oskar"]), False)
        for minutes in (17, 22):
            service.tick(session, T0 + timedelta(minutes=minutes))
        assert _outbox(session, ids["helle"], "alert") == 1 and _outbox(session, ids["oskar"]) == 0
