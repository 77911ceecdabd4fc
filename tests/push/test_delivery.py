"""Delivery end to end against the loopback push service: encrypted, signed, neutral,
retried when it may work later, dropped when the device is gone."""

from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlmodel import select

from accounts.models import User
from extensions import db, utcnow
from push import outbox, sender as worker, service
from push.models import Notification, PushSubscription
from tests.conftest import make_contact, make_peer_profile, make_user


@pytest.fixture
def mira(app):
    user_id, _ = make_user(app, "mira")
    with app.app_context():
        yield db.session, db.session.get(User, user_id)


def _device(session, user, push_service, name, *modes):
    device = push_service.device(name, *modes)
    return service.subscribe(session, user, push_service.endpoint(name), device.p256dh, device.auth_b64, name)


def test_a_message_notification_arrives_encrypted_and_neutral(app, push_service, sender):
    mira_id, _ = make_user(app, "mira")
    helle_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle_id)
    contact_id = make_contact(app, mira_id, helle_id)
    with app.app_context():
        from peer import messages
        from peer.models import Contact

        session = db.session
        mira, helle = session.get(User, mira_id), session.get(User, helle_id)
        _device(session, mira, push_service, "phone")
        messages.send(session, helle, session.get(Contact, contact_id), "Secret words about my week")
        totals = worker.run_once(session, sender)
    assert totals["sent"] == 1 and not push_service.problems
    (name, payload, headers), = push_service.received
    with app.app_context(), force_locale("sv"):
        expected = gettext("Something new for you")  # the person's language, Swedish by default
    assert payload["title"] == "Nära" and payload["body"] == expected
    assert payload["url"] == f"/contacts/{contact_id}"
    assert "Secret" not in str(payload) and "helle" not in str(payload).lower()
    assert headers["urgency"] == "normal" and int(headers["ttl"]) > 0


def test_an_alert_is_urgent_and_ignores_quiet_hours(app, push_service, sender):
    mira_id, _ = make_user(app, "mira")
    helle_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle_id)
    make_contact(app, mira_id, helle_id)
    with app.app_context():
        from peer import alerts

        session = db.session
        helle = session.get(User, helle_id)
        helle.locale = "en"
        _device(session, helle, push_service, "helle-phone")
        service.save_settings(session, helle, quiet_start="00:00", quiet_end="23:59", show_more=False,
                              own_title="", own_body="")
        alerts.raise_alert(session, session.get(User, mira_id), "now")
        worker.run_once(session, sender)
    (name, payload, headers), = push_service.received
    assert headers["urgency"] == "high" and payload["body"] == "Something new for you"


def test_gone_devices_are_forgotten(mira, push_service, sender):
    session, user = mira
    _device(session, user, push_service, "gone", "gone")
    _device(session, user, push_service, "missing", "missing")
    kept = _device(session, user, push_service, "kept")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    totals = worker.run_once(session, sender)
    assert totals == {"sent": 1, "retry": 0, "given_up": 0, "gone": 2}
    assert [s.id for s in session.exec(select(PushSubscription))] == [kept.id]


def test_429_waits_as_long_as_the_push_service_asks(mira, push_service, sender):
    session, user = mira
    _device(session, user, push_service, "busy", "busy", "ok")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    now = utcnow()
    assert worker.run_once(session, sender, now=now)["retry"] == 1
    row = session.exec(select(Notification)).one()
    assert row.status == "pending" and row.attempts == 1
    assert timedelta(seconds=119) <= row.due_at - now <= timedelta(seconds=121)
    assert worker.run_once(session, sender, now=now + timedelta(seconds=60))["sent"] == 0
    assert worker.run_once(session, sender, now=now + timedelta(seconds=121))["sent"] == 1
    assert len(push_service.received) == 1


def test_server_errors_are_retried_with_backoff_and_then_given_up(mira, push_service, sender):
    session, user = mira
    _device(session, user, push_service, "broken", "error")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    now, delays = utcnow(), []
    for _ in range(worker.MAX_ATTEMPTS):
        worker.run_once(session, sender, now=now)
        row = session.exec(select(Notification)).one()
        session.refresh(row)
        if row.status == "pending":
            delays.append((row.due_at - now).total_seconds())
            now = row.due_at
    assert row.status == "given_up" and row.attempts == worker.MAX_ATTEMPTS
    assert all(later > earlier for earlier, later in zip(delays, delays[1:]))  # it backs off


def test_a_hanging_push_service_does_not_hold_back_the_others(mira, push_service, sender):
    session, user = mira
    _device(session, user, push_service, "slow", "hang")
    for index in range(5):
        _device(session, user, push_service, f"fast{index}")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    totals = worker.run_once(session, sender)
    assert totals["sent"] == 5 and totals["retry"] == 1  # the slow one timed out and waits
    received = [e for e in push_service.events if e.startswith("received:")]
    assert len(received) == 5
    assert "hang-done:slow" not in push_service.events[:5]  # the others did not wait for it


def test_quiet_hours_hold_back_and_then_release(mira, push_service, sender):
    session, user = mira
    user.time_zone = "Europe/Stockholm"
    _device(session, user, push_service, "phone")
    service.save_settings(session, user, quiet_start="22:00", quiet_end="07:00", show_more=False,
                          own_title="", own_body="")
    late = utcnow().replace(month=1, day=15, hour=22, minute=30, second=0, microsecond=0)  # 23:30 in Stockholm
    outbox.enqueue(session, user.id, "message", "/contacts", due_at=late)
    session.commit()
    row = session.exec(select(Notification)).one()
    assert row.due_at == late.replace(day=16, hour=6, minute=0)  # 07:00 in Stockholm
    assert worker.run_once(session, sender, now=late + timedelta(hours=1))["sent"] == 0
    assert worker.run_once(session, sender, now=row.due_at)["sent"] == 1


def test_own_neutral_texts_and_opting_in_to_more(mira, push_service, sender):
    session, user = mira
    user.locale = "en"
    _device(session, user, push_service, "phone")
    service.save_settings(session, user, quiet_start="", quiet_end="", show_more=True, own_title="", own_body="")
    outbox.enqueue(session, user.id, "message", "/contacts")
    service.save_settings(session, user, quiet_start="", quiet_end="", show_more=False, own_title="Weather",
                          own_body="Sunny later")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    worker.run_once(session, sender)
    bodies = sorted((p["title"], p["body"]) for _n, p, _h in push_service.received)
    assert bodies == [("Nära", "A new message"), ("Weather", "Sunny later")]


def test_requests_only_write_the_outbox(app, client, push_service):
    """Sending a message must not wait on any push service: it only adds rows."""
    from tests.conftest import login, post

    mira_id, _ = make_user(app, "mira")
    helle_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle_id)
    contact_id = make_contact(app, mira_id, helle_id)
    with app.app_context():
        _device(db.session, db.session.get(User, mira_id), push_service, "phone", "hang")
    login(client, "helle")
    post(client, f"/contacts/{contact_id}/messages", {"body": "hi"})
    with app.app_context():
        assert len(db.session.exec(select(Notification)).all()) == 1
    assert push_service.events == [] and push_service.received == []
