"""Delivery end to end against the loopback push service: encrypted, signed, neutral,
retried when it may work later, dropped when the device is gone."""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlmodel import Session, select

from accounts.models import User
from extensions import db, utcnow
from push import outbox, service
from push import sender as worker
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
    ((name, payload, headers),) = push_service.received
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
        service.save_settings(session, helle, quiet_start="00:00", quiet_end="23:59", show_more=False)
        alerts.raise_alert(session, session.get(User, mira_id), "now")
        worker.run_once(session, sender)
    ((name, payload, headers),) = push_service.received
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
    assert all(later > earlier for earlier, later in zip(delays, delays[1:], strict=False))  # it backs off


def test_a_hanging_push_service_does_not_hold_back_the_others(mira, push_service, sender):
    session, user = mira
    _device(session, user, push_service, "slow", "hang")
    for index in range(5):
        _device(session, user, push_service, f"fast{index}")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    totals = worker.run_once(session, sender)
    assert totals["sent"] == 5 and totals["retry"] == 1  # the slow one timed out and waits
    assert _wait_for(lambda: "hang-done:slow" in push_service.events)
    received = [index for index, e in enumerate(push_service.events) if e.startswith("received:")]
    assert len(received) == 5
    assert max(received) < push_service.events.index("hang-done:slow")  # the others did not wait for it


def test_quiet_hours_hold_back_and_then_release(mira, push_service, sender):
    session, user = mira
    user.time_zone = "Europe/Stockholm"
    _device(session, user, push_service, "phone")
    service.save_settings(session, user, quiet_start="22:00", quiet_end="07:00", show_more=False)
    late = utcnow().replace(month=1, day=15, hour=22, minute=30, second=0, microsecond=0)  # 23:30 in Stockholm
    outbox.enqueue(session, user.id, "message", "/contacts", due_at=late)
    session.commit()
    row = session.exec(select(Notification)).one()
    assert row.due_at == late.replace(day=16, hour=6, minute=0)  # 07:00 in Stockholm
    assert worker.run_once(session, sender, now=late + timedelta(hours=1))["sent"] == 0
    assert worker.run_once(session, sender, now=row.due_at)["sent"] == 1


def test_neutral_texts_and_opting_in_to_more(mira, push_service, sender):
    """The server sends only its own neutral words; a person's own lock-screen words stay
    on their phone (the service worker shows them), so none are ever in a payload."""
    session, user = mira
    user.locale = "en"
    _device(session, user, push_service, "phone")
    service.save_settings(session, user, quiet_start="", quiet_end="", show_more=True)
    outbox.enqueue(session, user.id, "message", "/contacts")
    outbox.enqueue(session, user.id, "reminder", "/today", reminder_id=7)
    service.save_settings(session, user, quiet_start="", quiet_end="", show_more=False)
    outbox.enqueue(session, user.id, "message", "/contacts")
    outbox.enqueue(session, user.id, "alert", "/contacts")
    session.commit()
    worker.run_once(session, sender)
    bodies = sorted((p["title"], p["body"]) for _n, p, _h in push_service.received)
    assert bodies == [
        ("Nära", "A new message"),
        ("Nära", "A reminder"),
        ("Nära", "Something new for you"),
        ("Nära", "Something new for you"),
    ]


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


# -- only public push services, never a redirect, never their words -------------------


def _insert_device(session, user, push_service, name, endpoint=None, *modes):
    """A device row as it may already be in the database (from before the checks, or a
    name whose DNS answer has changed since): written directly, without subscribe()."""
    device = push_service.device(name, *modes)
    row = PushSubscription(
        user_id=user.id,
        endpoint=endpoint or push_service.endpoint(name),
        p256dh=device.p256dh,
        auth=device.auth_b64,
        device=name,
    )
    session.add(row)
    session.commit()
    return row


def test_the_worker_refuses_inside_addresses_at_send_time(app, mira, push_service):
    session, user = mira
    _insert_device(session, user, push_service, "inside")  # http://127.0.0.1:<port>/push/inside
    _insert_device(
        session, user, push_service, "decimal", push_service.endpoint("decimal").replace("127.0.0.1", "2130706433")
    )
    _insert_device(session, user, push_service, "https", "https://127.0.0.1/push/https")
    _insert_device(session, user, push_service, "metadata", "https://169.254.169.254/latest/meta-data/")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    production = worker.Sender(app.config["VAPID_PRIVATE_KEY_FILE"], "mailto:test@nara.invalid", timeout=1)
    totals = worker.run_once(session, production)
    assert totals["given_up"] == 4 and push_service.events == []  # not even a connection
    errors = sorted(row.last_error for row in session.exec(select(Notification)))
    assert errors == ["address not allowed"] * 2 + ["address not public"] * 2


def test_a_name_that_now_resolves_inside_is_refused_and_the_checked_address_is_used(app, mira, push_service, dns):
    """DNS rebinding: the name was public when the device was added; at send time it points
    inside. And when it is allowed, the worker connects to the address it checked, not to
    whatever a second DNS lookup would say."""
    session, user = mira
    app.config["PUSH_ALLOW_LOOPBACK"] = False
    dns["push.example.com"] = ["93.184.215.14"]
    device = push_service.device("phone")
    row = service.subscribe(session, user, "https://push.example.com/push/phone", device.p256dh, device.auth_b64)
    dns["push.example.com"] = ["93.184.215.14", "127.0.0.1"]  # rebound, in part
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    production = worker.Sender(app.config["VAPID_PRIVATE_KEY_FILE"], "mailto:test@nara.invalid", timeout=1)
    assert worker.run_once(session, production)["given_up"] == 1 and push_service.events == []
    assert session.exec(select(Notification)).one().last_error == "address not public"

    # With loopback allowed (tests only), a name reaches the service through the address
    # that was checked: this machine's own DNS does not know the name at all.
    app.config["PUSH_ALLOW_LOOPBACK"] = True
    port = push_service.server.server_port
    dns["pinned.example.com"] = ["127.0.0.1"]
    push_service.other_origins.add(f"http://pinned.example.com:{port}")
    device = push_service.device("laptop")
    service.subscribe(session, user, f"http://pinned.example.com:{port}/push/laptop", device.p256dh, device.auth_b64)
    session.delete(row)
    session.commit()
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    assert worker.run_once(session, sender_for(app))["sent"] == 1
    ((name, _payload, headers),) = push_service.received
    assert (name, headers["host"]) == ("laptop", f"pinned.example.com:{port}")


def sender_for(app):
    return worker.Sender(
        app.config["VAPID_PRIVATE_KEY_FILE"], "mailto:test@nara.invalid", timeout=1, allow_loopback=True
    )


def test_a_redirect_is_never_followed(mira, push_service, sender):
    session, user = mira
    _device(session, user, push_service, "outside", "redirect:inside")
    inside = push_service.device("inside")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    assert worker.run_once(session, sender) == {"sent": 0, "retry": 0, "given_up": 1, "gone": 0}
    assert push_service.events == ["arrived:outside"] and inside.name not in str(push_service.received)
    row = session.exec(select(Notification)).one()
    assert (row.status, row.last_error) == ("given_up", "redirect refused")


def test_a_push_services_reply_is_never_stored(mira, push_service, sender):
    session, user = mira
    _device(session, user, push_service, "failing", "error-body")
    _device(session, user, push_service, "refusing", "refuse-body")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    worker.run_once(session, sender)
    rows = {row.subscription_id: row for row in session.exec(select(Notification))}
    errors = sorted((row.status, row.last_error) for row in rows.values())
    assert errors == [("given_up", "HTTP 400"), ("pending", "HTTP 500")]


# -- each send recorded on its own; a deleted device ends only its own sends ------------


def test_removing_a_device_while_its_send_is_in_flight_ends_only_that_send(app, mira, push_service):
    session, user = mira
    held = _device(session, user, push_service, "held", "hold")
    for index in range(3):
        _device(session, user, push_service, f"other{index}")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    slow_sender = worker.Sender(
        app.config["VAPID_PRIVATE_KEY_FILE"], "mailto:test@nara.invalid", timeout=30, allow_loopback=True
    )
    result = {}
    round_ = threading.Thread(target=lambda: result.update(worker.run_once(session, slow_sender)))
    round_.start()
    assert _wait_for(lambda: "arrived:held" in push_service.events and len(push_service.received) == 3)
    with Session(db.engine) as other:  # the person removes the phone meanwhile
        assert service.remove_subscription(other, other.get(User, user.id), held.id)
    push_service.release.set()
    round_.join(60)
    assert result == {"sent": 4, "retry": 0, "given_up": 0, "gone": 0}  # the round was not broken off
    later = utcnow() + worker.LEASE + timedelta(seconds=1)
    assert worker.run_once(session, sender_for(app), now=later) == {"sent": 0, "retry": 0, "given_up": 0, "gone": 0}
    names = Counter(name for name, _payload, _headers in push_service.received)
    assert names == {"other0": 1, "other1": 1, "other2": 1, "held": 1}


def test_each_payload_carries_its_notification_id(mira, push_service, sender):
    session, user = mira
    _device(session, user, push_service, "phone")
    _device(session, user, push_service, "laptop")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    worker.run_once(session, sender)
    ids = {name: payload["id"] for name, payload, _headers in push_service.received}
    rows = {row.subscription_id: row.id for row in session.exec(select(Notification))}
    assert sorted(ids.values()) == sorted(rows.values()) and len(set(ids.values())) == 2


# -- a slow device delays nobody; support alerts first ---------------------------------


def test_support_alerts_are_claimed_first(app, mira, push_service):
    session, user = mira
    _device(session, user, push_service, "phone")
    early = utcnow() - timedelta(minutes=10)
    for _ in range(20):
        outbox.enqueue(session, user.id, "message", "/contacts", due_at=early)
    outbox.enqueue(session, user.id, "alert", "/inbox", urgency="high", ignore_quiet=True)
    session.commit()
    (job,) = worker.claim(session, 1)
    assert session.get(Notification, job.notification_id).kind == "alert"


def test_a_hanging_device_does_not_delay_another_persons_notification(app, mira, push_service):
    """Mira's phone does not answer. While it hangs, Noor gets an alert, raised after the
    round began: it is claimed and delivered while Mira's send is still open."""
    session, user = mira
    noor_id, _ = make_user(app, "noor")
    _device(session, user, push_service, "mira-phone", "hold")
    _device(session, session.get(User, noor_id), push_service, "noor-phone")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    patient = worker.Sender(
        app.config["VAPID_PRIVATE_KEY_FILE"], "mailto:test@nara.invalid", timeout=30, allow_loopback=True
    )
    round_ = threading.Thread(target=worker.run_once, args=(Session(db.engine, expire_on_commit=False), patient))
    round_.start()
    assert _wait_for(lambda: "arrived:mira-phone" in push_service.events)
    with Session(db.engine) as other:
        outbox.enqueue(other, noor_id, "alert", "/inbox", urgency="high", ignore_quiet=True)
        other.commit()
    delivered = _wait_for(lambda: "received:noor-phone" in push_service.events)
    push_service.release.set()
    round_.join(60)
    assert delivered, "Noor's alert waited for Mira's hanging phone"
    events = push_service.events
    assert events.index("received:noor-phone") < events.index("received:mira-phone")


def _wait_for(condition, limit: float = 10.0) -> bool:
    """Poll until the condition holds; the limit only keeps a broken test from hanging."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()
