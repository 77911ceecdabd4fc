"""Entries written offline: the page sends them later with the key its form was given, so
sending the same entry twice (or at the same time) saves it once."""

import re
import threading
import time

from tests.conftest import login, make_user, post


def _count(app, handle="mira"):
    from sqlmodel import select

    from accounts import service
    from diary.models import DiaryEntry
    from extensions import db

    with app.app_context():
        user = service.find_by_handle(db.session, handle)
        return db.session.exec(select(DiaryEntry).where(DiaryEntry.user_id == user.id)).all()


def test_the_write_form_carries_a_fresh_key_each_time(app, client):
    make_user(app, "mira")
    login(client, "mira")
    keys = [
        re.search(
            r'name="client_key" type="hidden" value="([0-9a-f]{32})"', client.get("/diary/new").get_data(as_text=True)
        )
        for _ in range(2)
    ]
    assert all(keys) and keys[0].group(1) != keys[1].group(1)


def test_the_same_entry_sent_twice_is_saved_once(app, client):
    make_user(app, "mira")
    login(client, "mira")
    data = {"text": "Walked to the lake", "client_key": "a" * 32, "written_at": str(int(time.time() * 1000) - 3600_000)}
    first = post(client, "/diary/sync", data)
    again = post(client, "/diary/sync", data)
    assert first.status_code == again.status_code == 201
    assert first.get_json()["url"] == again.get_json()["url"]
    rows = _count(app)
    assert len(rows) == 1 and rows[0].text == "Walked to the lake"
    # It keeps the time it was written on the phone, an hour ago.
    from extensions import utcnow

    age = utcnow() - rows[0].written_at.replace(tzinfo=utcnow().tzinfo)
    assert 3500 < age.total_seconds() < 3700


def test_the_write_form_and_a_later_retry_make_one_entry(app, client):
    """The form reached the server but the phone never heard back; it sends it again."""
    make_user(app, "mira")
    login(client, "mira")
    data = {"text": "Called my sister", "client_key": "b" * 32}
    assert post(client, "/diary/new", data, headers={"HX-Request": "true"}).status_code == 200
    assert post(client, "/diary/sync", data).status_code == 201
    assert len(_count(app)) == 1


def test_a_time_in_the_future_or_long_ago_is_not_believed(app, client):
    make_user(app, "mira")
    login(client, "mira")
    future = str(int(time.time() * 1000) + 86400_000 * 3)
    post(client, "/diary/sync", {"text": "x", "client_key": "c" * 32, "written_at": future})
    post(client, "/diary/sync", {"text": "y", "client_key": "d" * 32, "written_at": "not a time"})
    post(client, "/diary/sync", {"text": "z", "client_key": "e" * 32, "written_at": "99999999999999999999"})
    from extensions import utcnow

    for row in _count(app):
        assert abs((utcnow() - row.written_at.replace(tzinfo=utcnow().tzinfo)).total_seconds()) < 60


def test_an_entry_the_rules_refuse_gets_the_reason_in_the_persons_language(app, client):
    make_user(app, "mira")
    login(client, "mira")
    response = post(client, "/diary/sync", {"text": "", "client_key": "f" * 32})
    assert response.status_code == 422
    assert "any one of them is enough" in response.get_json()["message"]
    english = post(client, "/diary/sync", {"text": "x" * 10001, "client_key": "f" * 32}).get_json()["message"]
    other = app.test_client()
    make_user(app, "sune")
    login(other, "sune")
    post(other, "/settings/preferences", {"locale": "sv", "time_zone": "Europe/Stockholm", "country": ""})
    response = post(other, "/diary/sync", {"text": "x" * 10001, "client_key": "f" * 32})
    assert response.status_code == 422 and response.get_json()["status"] == "invalid"
    assert response.get_json()["message"] and response.get_json()["message"] != english
    assert post(client, "/diary/sync", {"text": "no key"}).status_code == 422
    assert _count(app) == []


def test_two_people_may_use_the_same_key(app):
    make_user(app, "mira")
    make_user(app, "sam")
    for handle in ("mira", "sam"):
        client = app.test_client()
        login(client, handle)
        assert post(client, "/diary/sync", {"text": "same key", "client_key": "9" * 32}).status_code == 201
    assert len(_count(app, "mira")) == len(_count(app, "sam")) == 1


def test_the_same_key_at_the_same_moment_is_still_one_entry(app):
    make_user(app, "mira")
    clients = []
    for _ in range(4):
        client = app.test_client()
        login(client, "mira")
        clients.append(client)
    statuses = []

    def send(client):
        statuses.append(post(client, "/diary/sync", {"text": "at once", "client_key": "7" * 32}).status_code)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 4
    assert len(_count(app)) == 1


def test_the_page_is_told_which_entry_is_safely_saved(app, client):
    """So a copy the phone kept (put back in the form after the lock) can be let go."""
    make_user(app, "mira")
    login(client, "mira")
    saved = post(client, "/diary/new", {"text": "x", "client_key": "k" * 32}, headers={"HX-Request": "true"})
    assert saved.headers["X-Nara-Saved"] == "k" * 32
    refused = post(client, "/diary/new", {"text": "", "client_key": "j" * 32}, headers={"HX-Request": "true"})
    assert "X-Nara-Saved" not in refused.headers
