"""Notification settings, devices and reminders over HTTP; the action from a notification."""

import json
import re

from sqlalchemy import text
from sqlmodel import select

from extensions import db
from push.models import PushSubscription, Reminder
from tests.conftest import csrf_token, login, make_user, post

SUBSCRIPTION = {
    "endpoint": "https://push.example/send/abc",
    "keys": {"p256dh": "B" * 87, "auth": "A" * 22},
    "device": "Linux",
}


def _json_post(client, url, data):
    return client.post(
        url, data=json.dumps(data), content_type="application/json", headers={"X-CSRFToken": csrf_token(client)}
    )


def test_settings_explain_and_a_device_can_be_added_and_removed(app, client, dns):
    make_user(app, "mira")
    login(client, "mira")
    page = client.get("/push/settings").get_data(as_text=True)
    assert "never what someone wrote" in page and "data-key=" in page
    assert _json_post(client, "/push/subscriptions", SUBSCRIPTION).status_code == 201
    assert _json_post(client, "/push/subscriptions", {"endpoint": "javascript:alert(1)"}).status_code == 400
    assert client.post("/push/subscriptions", data="{}", content_type="application/json").status_code == 400
    page = client.get("/push/settings").get_data(as_text=True)
    assert "Linux" in page
    device = re.search(r"/push/subscriptions/(\d+)/delete", page).group(1)
    other = app.test_client()
    make_user(app, "noor")
    login(other, "noor")
    assert post(other, f"/push/subscriptions/{device}/delete").status_code == 404
    assert post(client, f"/push/subscriptions/{device}/delete").status_code == 302
    with app.app_context():
        assert db.session.exec(select(PushSubscription)).all() == []


def test_quiet_hours_are_checked(app, client):
    make_user(app, "mira")
    login(client, "mira")
    half = post(client, "/push/settings", {"quiet_start": "22:00"}).get_data(as_text=True)
    assert "both a start and an end" in half
    wrong = post(client, "/push/settings", {"quiet_start": "25:99", "quiet_end": "07:00"}).get_data(as_text=True)
    assert "hours go from 0 to 23" in wrong
    assert post(client, "/push/settings", {"quiet_start": "22", "quiet_end": "0730"}).status_code == 302
    with app.app_context():  # kept as before, however it was written
        assert db.session.execute(text("SELECT quiet_start, quiet_end FROM notify_settings")).one() == (
            "22:00",
            "07:30",
        )


def test_own_lock_screen_words_are_never_taken_by_the_server(app, client):
    """Own lock-screen words live only on the phone: the settings page offers them in a form
    that posts nowhere, and a POST carrying them stores and sends none of them."""
    make_user(app, "mira")
    login(client, "mira")
    page = client.get("/push/settings").get_data(as_text=True)
    own = re.search(r"<form[^>]*data-own-words[^>]*>", page).group(0)
    assert "action=" not in own and "method=" not in own and "hidden" in own
    assert 'name="own_title"' not in page and 'name="own_body"' not in page
    assert "never sent to the server" in page and "need JavaScript" in page
    sent = {"quiet_start": "", "quiet_end": "", "own_title": "Weather", "own_body": "Sunny later"}
    assert post(client, "/push/settings", sent).status_code == 302
    with app.app_context():
        rows = db.session.execute(text("SELECT * FROM notify_settings")).mappings().all()
        assert len(rows) == 1 and set(rows[0]) == {"id", "user_id", "quiet_start", "quiet_end", "show_more"}
        assert "Weather" not in str(dict(rows[0])) and "Sunny" not in str(dict(rows[0]))
    assert "Weather" not in client.get("/push/settings").get_data(as_text=True)


def test_reminders_can_be_made_changed_and_deleted(app, client):
    make_user(app, "mira")
    login(client, "mira")
    made = post(
        client,
        "/push/reminders/new",
        {"kind": "medicine", "title": "Evening pill", "times": "20:30, 08:00", "weekdays": ["0", "2"]},
    )
    assert made.status_code == 302
    listing = client.get("/push/reminders").get_data(as_text=True)
    assert "Evening pill" in listing and "08:00, 20:30" in listing and "Monday, Wednesday" in listing
    reminder = re.search(r"/push/reminders/(\d+)/edit", listing).group(1)
    assert "Evening pill" in client.get(f"/push/reminders/{reminder}/edit").get_data(as_text=True)
    appointment = post(
        client,
        "/push/reminders/new",
        {"kind": "appointment", "title": "Social services", "once_at": "2099-03-31T14:30"},
    )
    assert appointment.status_code == 302
    for bad, message in (
        ({"kind": "medicine", "title": "x"}, "at least one time"),
        ({"kind": "medicine", "title": "x", "times": "8h"}, "Write a time like"),
        ({"kind": "medicine", "title": "x", "times": ["08:00", "25"]}, "hours go from 0 to 23"),
        ({"kind": "party", "title": "x", "times": "08:00"}, "Choose what the reminder is for"),
        ({"kind": "task", "title": "x", "once_at": "tomorrow"}, "Write the date and time like"),
    ):
        assert message in post(client, "/push/reminders/new", bad).get_data(as_text=True)
    assert post(client, f"/push/reminders/{reminder}/delete").status_code == 302
    assert "Evening pill" not in client.get("/push/reminders").get_data(as_text=True)


def test_later_from_a_notification_snoozes_with_a_signed_token(app, client):
    user_id, _ = make_user(app, "mira")
    login(client, "mira")
    post(client, "/push/reminders/new", {"kind": "diary", "title": "Write", "times": "20:00"})
    with app.app_context():
        from extensions import utcnow
        from push.outbox import action_token

        reminder = db.session.exec(select(Reminder)).one()
        token = action_token(user_id, reminder.id)
    anonymous = app.test_client()  # the service worker sends no cookie it could rely on
    assert anonymous.post("/push/action", data={"action": "later", "token": token}).status_code == 204
    with app.app_context():
        reminder = db.session.exec(select(Reminder)).one()
        assert (reminder.next_fire_at - utcnow()).total_seconds() <= 3600
    assert anonymous.post("/push/action", data={"action": "later", "token": token + "x"}).status_code == 400
    assert anonymous.post("/push/action", data={"action": "later", "token": "forged"}).status_code == 400


def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "showNotification" in response.get_data(as_text=True)
    assert response.mimetype == "text/javascript"


def test_odd_weekdays_are_ignored_not_a_500(app, client):
    make_user(app, "mira")
    login(client, "mira")
    for day in ("²", "9" * 5000, "-1", "7"):
        answer = post(
            client, "/push/reminders/new", {"kind": "task", "title": "Call", "times": "09:00", "weekdays": [day, "2"]}
        )
        assert answer.status_code == 302, day
