"""A meeting with the authorities: the preparation sealed and every field optional, a peer
supporter asked to come along who answers once, the reminders of both, the appeal
deadline after it, and a peer supporter who never sees a preparation that is not shared."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlmodel import select

from extensions import db
from tests.conftest import login, main_of, make_contact, make_peer_profile, make_user, post

WHEN = datetime(2031, 3, 3, 10, 0)  # Monday 3 March 2031, 10:00 in Stockholm (UTC+1)


@pytest.fixture
def people(app):
    client_id, _ = make_user(app, "mira")
    peer_id, _ = make_user(app, "helle", role="peer", approved=True)
    other_peer_id, _ = make_user(app, "ola", role="peer", approved=True)
    make_peer_profile(app, peer_id)
    make_peer_profile(app, other_peer_id, display_name="Ola")
    contact_id = make_contact(app, client_id, peer_id)
    other_contact = make_contact(app, client_id, other_peer_id)
    with app.app_context():
        from accounts.models import User
        from diary import next_steps as steps
        from push import service as push

        mira = db.session.get(User, client_id)
        step = steps.save_step(
            db.session, mira, kind="appointment", title="Social services", when=WHEN, who="", phone="", note=""
        )
        undated = steps.save_step(
            db.session, mira, kind="appointment", title="Some day", when=None, who="", phone="", note=""
        )
        for user_id, endpoint in ((peer_id, "p"), (client_id, "c")):
            push.subscribe(
                db.session, db.session.get(User, user_id), f"https://93.184.215.14/{endpoint}", "B" * 87, "A" * 22
            )
        db.session.commit()
        return {
            "client": client_id,
            "peer": peer_id,
            "other_peer": other_peer_id,
            "contact": contact_id,
            "other_contact": other_contact,
            "step": step.id,
            "undated": undated.id,
        }


def _users(people):
    from accounts.models import User
    from diary.models import NextStep

    return (
        db.session.get(User, people["client"]),
        db.session.get(User, people["peer"]),
        db.session.get(NextStep, people["step"]),
    )


def _prepare(people, **texts):
    from meetings import service

    mira, _helle, step = _users(people)
    values = {"kind": "social", "remind": True, "say": "I need a flat", "ask": "When?", "want": "", "bring": ""}
    values.update(texts)
    return service.save_preparation(db.session, mira, step, **values)


def _ask(people, meeting, **values):
    from meetings import along

    mira, _helle, step = _users(people)
    args = {"contact_id": people["contact"], "place": "Town hall, room 3", "roles": ["notes"], "note": ""}
    args.update({"share_prep": False, **values})
    return along.ask(db.session, mira, meeting, step, **args)


def _reminders(user_id):
    from meetings.models import MeetingReminder

    rows = db.session.exec(
        select(MeetingReminder).where(MeetingReminder.user_id == user_id).order_by(MeetingReminder.fire_at)
    ).all()
    return [row.fire_at.replace(tzinfo=timezone.utc) if row.fire_at.tzinfo is None else row.fire_at for row in rows]


def test_the_preparation_is_sealed_optional_and_one_per_step(app, people):
    from meetings import service

    with app.app_context():
        meeting = _prepare(people)
        for column in ("kind", "say", "ask"):
            raw = db.session.execute(text(f"SELECT {column} FROM meeting")).scalar_one()
            assert str(raw).startswith("s1.u") and "flat" not in str(raw) and "social" not in str(raw)
        empty = _prepare(people, kind="", say="", ask="")
        assert empty.id == meeting.id and service.prepared(empty) == {}
        with pytest.raises(service.MeetingError):
            _prepare(people, kind="court-martial")
        db.session.rollback()
        with pytest.raises(service.MeetingError):
            _prepare(people, say="x" * 2001)
        db.session.rollback()
        again = _prepare(people, say="Emoji 🙂 and RTL שלום\nand a line")
        assert service.prepared(again)["say"] == "Emoji 🙂 and RTL שלום\nand a line"
        assert len(db.session.exec(select(service.Meeting)).all()) == 1


def test_the_client_gets_reminders_the_day_before_and_two_hours_before(app, people):
    with app.app_context():
        _prepare(people)
        assert _reminders(people["client"]) == [
            datetime(2031, 3, 2, 9, 0, tzinfo=timezone.utc),
            datetime(2031, 3, 3, 7, 0, tzinfo=timezone.utc),
        ]
        _prepare(people, remind=False)
        assert _reminders(people["client"]) == []


def test_asking_takes_only_an_active_peer_supporter_and_a_retry_asks_once(app, people):
    from meetings import service
    from meetings.models import Along
    from peer.models import Contact

    with app.app_context():
        meeting = _prepare(people)
        for wrong in (999999, -1):
            with pytest.raises(service.MeetingError):
                _ask(people, meeting, contact_id=wrong)
            db.session.rollback()
        with pytest.raises(service.MeetingError):
            _ask(people, meeting, roles=["dance"])
        db.session.rollback()
        first, new = _ask(people, meeting, client_key="k" * 12)
        assert new
        again, new_again = _ask(people, meeting, client_key="k" * 12)
        assert again.id == first.id and not new_again
        with pytest.raises(service.MeetingError):  # someone else while the first waits
            _ask(people, meeting, contact_id=people["other_contact"])
        db.session.rollback()
        assert len(db.session.exec(select(Along)).all()) == 1
        raw = db.session.execute(text("SELECT place FROM meeting_along")).scalar_one()
        assert str(raw).startswith(f"s1.c{people['contact']}.") and "Town" not in str(raw)
        contact = db.session.get(Contact, people["contact"])
        contact.status = "ended"
        db.session.commit()
        assert people["contact"] not in service_peers(people)


def service_peers(people):
    from meetings import along

    mira, _helle, _step = _users(people)
    return along.peer_choices(db.session, mira)


def test_an_appointment_without_a_time_cannot_have_company_yet(app, people):
    from diary.models import NextStep
    from meetings import along, service

    with app.app_context():
        mira, _helle, _step = _users(people)
        step = db.session.get(NextStep, people["undated"])
        meeting = service.save_preparation(db.session, mira, step, kind="", remind=True)
        with pytest.raises(service.MeetingError) as refused:
            along.ask(
                db.session,
                mira,
                meeting,
                step,
                contact_id=people["contact"],
                place="",
                roles=["notes"],
                note="",
                share_prep=False,
            )
        assert refused.value.code == "along_when"


def test_the_peer_answers_once_and_both_get_reminders(app, people):
    from meetings import along, service

    with app.app_context():
        meeting = _prepare(people)
        asked, _new = _ask(people, meeting)
        _mira, helle, _step = _users(people)
        now = datetime(2031, 2, 1, tzinfo=timezone.utc)
        assert along.answer(db.session, helle, asked, True, now=now)
        assert not along.answer(db.session, helle, asked, True, now=now)  # a double tap answers once
        assert _reminders(people["peer"]) == [
            datetime(2031, 3, 2, 9, 0, tzinfo=timezone.utc),
            datetime(2031, 3, 3, 7, 0, tzinfo=timezone.utc),
        ]
        waiting, coming = along.for_peer(db.session, helle, now)
        assert waiting == [] and [row.client_name for row in coming] == ["mira"]
        assert along.answer(db.session, helle, asked, False, now=now)  # "I can't come after all"
        assert _reminders(people["peer"]) == []
        assert len(_reminders(people["client"])) == 2
        # Someone else can be asked now.
        other, new = _ask(people, service.meeting_of(db.session, _step), contact_id=people["other_contact"])
        assert new and other.contact_id == people["other_contact"]


def test_a_meeting_that_has_started_cannot_be_answered(app, people):
    from meetings import along, service

    with app.app_context():
        asked, _new = _ask(people, _prepare(people))
        _mira, helle, _step = _users(people)
        with pytest.raises(service.MeetingError):
            along.answer(db.session, helle, asked, True, now=datetime(2031, 3, 3, 9, 30, tzinfo=timezone.utc))


def test_the_reminders_go_out_once_with_neutral_words_and_open_the_right_page(app, people):
    from meetings import along, reminders
    from push.models import Notification

    with app.app_context():
        asked, _new = _ask(people, _prepare(people))
        _mira, helle, _step = _users(people)
        along.answer(db.session, helle, asked, True, now=datetime(2031, 2, 1, tzinfo=timezone.utc))
        db.session.execute(text("DELETE FROM notification"))
        db.session.commit()
        assert reminders.send_due(db.session, datetime(2031, 3, 2, 8, 59, tzinfo=timezone.utc)) == 0
        assert reminders.send_due(db.session, datetime(2031, 3, 2, 9, 0, tzinfo=timezone.utc)) == 2
        assert reminders.send_due(db.session, datetime(2031, 3, 2, 9, 5, tzinfo=timezone.utc)) == 0
        rows = db.session.exec(select(Notification).order_by(Notification.user_id)).all()
        urls = {row.user_id: row.payload["url"] for row in rows}
        assert urls == {people["client"]: f"/next-steps/{people['step']}/meeting", people["peer"]: f"/along/{asked.id}"}
        for row in rows:
            assert row.payload["body"] == "A reminder" or "Social" not in row.payload["body"]
            assert "mira" not in row.payload["body"] and "Social" not in row.payload["title"]


def test_a_new_time_moves_both_peoples_reminders(app, people):
    from diary import next_steps as steps
    from meetings import along

    with app.app_context():
        asked, _new = _ask(people, _prepare(people))
        mira, helle, step = _users(people)
        along.answer(db.session, helle, asked, True, now=datetime(2031, 2, 1, tzinfo=timezone.utc))
        steps.save_step(
            db.session,
            mira,
            kind="appointment",
            title=step.title,
            when=WHEN + timedelta(days=7),
            who="",
            phone="",
            note="",
            step=step,
        )
        expected = [datetime(2031, 3, 9, 9, 0, tzinfo=timezone.utc), datetime(2031, 3, 10, 7, 0, tzinfo=timezone.utc)]
        assert _reminders(people["peer"]) == expected and _reminders(people["client"]) == expected
        db.session.refresh(asked)
        assert asked.when_local == "2031-03-10T10:00"


def test_a_deleted_step_takes_the_meeting_and_tells_the_peer_supporter(app, people):
    from diary import next_steps as steps
    from meetings.models import Along, Meeting, MeetingReminder
    from push.models import Notification

    with app.app_context():
        _ask(people, _prepare(people))
        db.session.execute(text("DELETE FROM notification"))
        db.session.commit()
        _mira, _helle, step = _users(people)
        steps.delete_step(db.session, step)
        for model in (Meeting, Along, MeetingReminder):
            assert db.session.exec(select(model)).all() == []
        told = db.session.exec(select(Notification).where(Notification.user_id == people["peer"])).all()
        assert [row.payload["url"] for row in told] == ["/along"]


def test_after_the_meeting_the_appeal_deadline_and_its_reminders(app, people):
    from meetings import service

    with app.app_context():
        mira, _helle, step = _users(people)
        today = date(2031, 3, 10)
        with pytest.raises(service.MeetingError):
            service.save_after(
                db.session,
                mira,
                step,
                decided="",
                next_who="",
                received_on=date(2031, 3, 11),
                country="SE",
                remind_deadline=True,
                today=today,
            )
        db.session.rollback()
        meeting = service.save_after(
            db.session,
            mira,
            step,
            decided="No flat yet",
            next_who="I call on Friday",
            received_on=date(2031, 3, 7),
            country="SE",
            remind_deadline=True,
            today=today,
        )
        deadline = service.deadline_of(meeting)
        assert deadline.last_day == date(2031, 3, 28) and deadline.weeks == 3
        deadline_times = [moment for moment in _reminders(people["client"]) if moment.date() > date(2031, 3, 3)]
        assert [moment.date() for moment in deadline_times] == [date(2031, 3, 21), date(2031, 3, 26)]
        raw = db.session.execute(text("SELECT received_on, decided FROM meeting")).one()
        assert all("2031" not in str(value) and "flat" not in str(value) for value in raw)
        dk = service.save_after(
            db.session,
            mira,
            step,
            decided="",
            next_who="",
            received_on=date(2031, 3, 7),
            country="DK",
            remind_deadline=False,
            today=today,
        )
        assert service.deadline_of(dk).last_day == date(2031, 4, 4)
        assert all(moment.date() <= date(2031, 3, 3) for moment in _reminders(people["client"]))


def test_the_peer_never_sees_a_preparation_that_is_not_shared(app, people):
    from meetings import along, service
    from peer.models import AccessEvent

    with app.app_context():
        meeting = _prepare(people, say="My secret worry")
        asked, _new = _ask(people, meeting)
        assert asked.prep == ""
        along_id = asked.id
    peer = app.test_client()
    login(peer, "helle")
    page = main_of(peer.get(f"/along/{along_id}"))
    assert "Town hall" in page and "My secret worry" not in page and "When?" not in page
    client = app.test_client()
    login(client, "mira")
    shared = post(client, f"/next-steps/{people['step']}/meeting/along/share", {"share": "on"})
    assert shared.status_code == 302
    page = main_of(peer.get(f"/along/{along_id}"))
    assert "My secret worry" in page
    with app.app_context():
        looks = db.session.exec(select(AccessEvent).where(AccessEvent.what == "meeting")).all()
        assert {event.action for event in looks} >= {"shared", "viewed"}
    post(client, f"/next-steps/{people['step']}/meeting/along/share", {})
    assert "My secret worry" not in main_of(peer.get(f"/along/{along_id}"))
    with app.app_context():
        assert db.session.get(service.Meeting, meeting.id) is not None
        assert (
            along.along_for_peer(db.session, db.session.get(type(_users(people)[0]), people["other_peer"]), along_id)
            is None
        )
    other = app.test_client()
    login(other, "ola")
    assert other.get(f"/along/{along_id}").status_code == 404
    assert post(other, f"/along/{along_id}/answer", {"answer": "yes"}).status_code == 404


def test_the_whole_way_over_http(app, people):
    client = app.test_client()
    login(client, "mira")
    url = f"/next-steps/{people['step']}/meeting"
    page = client.get(url)
    assert page.status_code == 200 and "My rights at this meeting" in page.get_data(as_text=True)
    saved = post(client, url, {"kind": "social", "say": "Hello", "ask": "", "want": "", "bring": "", "remind": "y"})
    assert saved.status_code == 302
    as_json = client.post(url, json={"kind": "social"})
    assert as_json.status_code in (400, 415)
    sent = post(
        client,
        url + "/along",
        {
            "peer": str(people["contact"]),
            "place": "Room 3",
            "roles": ["notes", "speak"],
            "note": "",
            "client_key": "abcdefgh1234",
        },
    )
    assert sent.status_code == 302
    again = post(
        client,
        url + "/along",
        {
            "peer": str(people["contact"]),
            "place": "Room 3",
            "roles": ["notes"],
            "note": "",
            "client_key": "abcdefgh1234",
        },
    )
    assert again.status_code == 302
    nobody = post(client, url + "/along", {"peer": "", "place": "", "roles": [], "client_key": "zzzzzzzz0000"})
    assert nobody.status_code == 200 and "Choose one of your peer supporters" in nobody.get_data(as_text=True)
    too_far = {"peer": str(people["contact"]), "place": "x" * 301, "roles": ["notes"], "client_key": "yyyyyyyy0000"}
    long_place = post(client, url + "/along", too_far)
    assert long_place.status_code == 200 and "at most 300 characters" in long_place.get_data(as_text=True)
    printed = main_of(client.get(url + "/print"))
    assert "Hello" in printed and "What I want to ask" not in printed and "What I want to say" in printed
    after = post(client, url + "/after", {"decided": "", "next_who": "", "received_on": "0001-01-01", "country": "SE"})
    assert after.status_code == 200 and "1900" in after.get_data(as_text=True)
    steps_page = main_of(client.get("/next-steps"))
    assert "Helle" in steps_page and "not answered yet" in steps_page
    peer = app.test_client()
    login(peer, "helle")
    inbox = main_of(peer.get("/inbox"))
    assert "asks you to come along" in inbox or "ask you to come along" in inbox
    with app.app_context():
        from meetings.models import Along

        along_id = db.session.exec(select(Along)).one().id
    answered = post(peer, f"/along/{along_id}/answer", {"answer": "yes"})
    assert answered.status_code == 302
    assert "With mira" in main_of(peer.get("/along"))
    final = main_of(client.get("/next-steps"))
    assert "Helle is coming along" in final, final[:3000]


def test_when_the_contact_ends_the_question_ends_with_it(app, people):
    from meetings import along
    from peer.models import Contact

    with app.app_context():
        meeting = _prepare(people)
        asked, _new = _ask(people, meeting)
        contact = db.session.get(Contact, people["contact"])
        contact.status = "ended"
        db.session.commit()
        mira, helle, _step = _users(people)
        assert along.along_for_peer(db.session, helle, asked.id) is None
        assert along.by_step(db.session, mira) == {}
        other, new = _ask(people, meeting, contact_id=people["other_contact"])
        assert new and other.contact_id == people["other_contact"]
    client = app.test_client()
    login(client, "mira")
    assert "Ola is coming along" not in main_of(client.get("/next-steps"))


def test_a_no_or_a_question_taken_back_ends_the_sharing_for_good(app, people):
    from meetings import along

    with app.app_context():
        meeting = _prepare(people, say="First words")
        asked, _new = _ask(people, meeting, share_prep=True)
        assert "First words" in asked.prep
        _mira, helle, _step = _users(people)
        along.answer(db.session, helle, asked, False, now=datetime(2031, 2, 1, tzinfo=timezone.utc))
        _prepare(people, say="Later words")  # the client goes on writing
        db.session.refresh(asked)
        assert asked.prep == "" and not asked.share_prep
        assert along.shared_prep(db.session, asked, helle) == {}
        exported = along.export_along(db.session, helle)
        assert all("prep" not in row for row in exported)


def test_asking_the_same_person_again_changes_the_question(app, people):
    with app.app_context():
        meeting = _prepare(people)
        first, _new = _ask(people, meeting, place="Room 1")
        again, new = _ask(people, meeting, place="Room 2", roles=["speak"])
        assert again.id == first.id and not new and again.place == "Room 2" and again.role == "speak"


def test_no_reminder_of_a_meeting_marked_done_nor_to_a_contact_that_ended(app, people):
    from diary import next_steps as steps
    from meetings import along, reminders
    from peer.models import Contact
    from push.models import Notification

    with app.app_context():
        asked, _new = _ask(people, _prepare(people))
        mira, helle, step = _users(people)
        along.answer(db.session, helle, asked, True, now=datetime(2031, 2, 1, tzinfo=timezone.utc))
        contact = db.session.get(Contact, people["contact"])
        contact.status = "ended"
        db.session.commit()
        db.session.execute(text("DELETE FROM notification"))
        db.session.commit()
        assert reminders.send_due(db.session, datetime(2031, 3, 2, 9, 0, tzinfo=timezone.utc)) == 1  # the client's only
        assert db.session.exec(select(Notification).where(Notification.user_id == people["peer"])).all() == []
        steps.toggle_done(db.session, step)
        assert _reminders(people["client"]) == [datetime(2031, 3, 2, 9, 0, tzinfo=timezone.utc)]  # only the one sent


def test_a_new_time_is_told_to_the_peer_supporter(app, people):
    from diary import next_steps as steps
    from push.models import Notification

    with app.app_context():
        asked, _new = _ask(people, _prepare(people))
        mira, _helle, step = _users(people)
        db.session.execute(text("DELETE FROM notification"))
        db.session.commit()
        steps.save_step(
            db.session,
            mira,
            kind="appointment",
            title=step.title,
            when=WHEN + timedelta(hours=1),
            who="",
            phone="",
            note="",
            step=step,
        )
        told = db.session.exec(select(Notification).where(Notification.user_id == people["peer"])).all()
        assert [row.payload["url"] for row in told] == [f"/along/{asked.id}"]
