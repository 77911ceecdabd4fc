"""The PIN lock for a shared phone: set it, be asked for it after the idle time, open with it,
and after too many wrong tries only the full login works."""

import time

from sqlmodel import select

from tests.conftest import PASSWORD, csrf_token, login, make_user, post


def _with_pin(app, client, handle="mira", pin="2580", idle="5"):
    make_user(app, handle)
    login(client, handle)
    response = post(client, "/settings/lock", {"pin": pin, "repeat": pin, "idle_minutes": idle, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _go_idle(client, minutes=9):
    """As if the person did nothing for that long (the server allows half as long again)."""
    with client.session_transaction() as session:
        session["seen"] = int(time.time() - minutes * 60)


def test_setting_a_pin_needs_the_password_and_a_real_pin(app, client):
    make_user(app, "mira")
    login(client, "mira")
    cases = [
        (
            {"pin": "2580", "repeat": "2580", "idle_minutes": "5", "password": "not it at all"},
            "That is not your current password.",
        ),
        ({"pin": "25a0", "repeat": "25a0", "idle_minutes": "5", "password": PASSWORD}, "The PIN is 4 to 6 digits"),
        ({"pin": "1234", "repeat": "1234", "idle_minutes": "5", "password": PASSWORD}, "easy to guess"),
        ({"pin": "7777", "repeat": "7777", "idle_minutes": "5", "password": PASSWORD}, "easy to guess"),
        ({"pin": "2580", "repeat": "2581", "idle_minutes": "5", "password": PASSWORD}, "not the same"),
        ({"pin": "2580", "repeat": "2580", "idle_minutes": "3", "password": PASSWORD}, "Choose one of the times"),
    ]
    for data, message in cases:
        response = post(client, "/settings/lock", data)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert "Turn the PIN lock on" in client.get("/settings/lock").get_data(as_text=True)


def test_the_pin_is_stored_hashed(app, client):
    _with_pin(app, client)
    from accounts import service
    from extensions import db

    with app.app_context():
        user = service.find_by_handle(db.session, "mira")
        assert user.pin_hash and "2580" not in user.pin_hash and user.pin_idle_minutes == 5


def test_pages_ask_for_the_pin_after_the_idle_time_and_not_before(app, client):
    _with_pin(app, client)
    assert client.get("/today").status_code == 200
    _go_idle(client, minutes=4)
    assert client.get("/today").status_code == 200  # four minutes is less than five
    _go_idle(client, minutes=9)
    response = client.get("/diary?q=walk")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/lock?next=")
    # Help and the quick exit stay open while locked; private pages do not.
    assert client.get("/help").status_code == 200
    assert client.get("/away").status_code == 200
    assert client.get("/today").status_code == 302


def test_the_right_pin_opens_and_returns_to_the_page(app, client):
    _with_pin(app, client)
    _go_idle(client)
    assert client.get("/diary").status_code == 302
    page = client.get("/lock?next=/diary").get_data(as_text=True)
    assert "Type your PIN" in page and "mira" not in page  # the locked page tells nothing
    response = post(client, "/lock?next=/diary", {"pin": "2580"})
    assert response.status_code == 302 and response.headers["Location"] == "/diary"
    assert client.get("/today").status_code == 200


def test_wrong_pins_count_down_and_then_only_the_password_works(app, client):
    _with_pin(app, client)
    client.get("/lock")  # "Lock now"
    for left in (4, 3, 2, 1):
        page = post(client, "/lock", {"pin": "0000"}).get_data(as_text=True)
        assert f"You have {left} more tr" in page
    with app.app_context():
        from accounts import keys
        from accounts.models import User
        from extensions import db

        mira = db.session.exec(select(User).where(User.handle == "mira")).one().id
        assert keys.session_count(db.session, mira) == 1
    response = post(client, "/lock", {"pin": "9999"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    with app.app_context():  # the session's copy of the key went with it
        assert keys.session_count(db.session, mira) == 0
    assert client.get("/today").status_code == 302
    assert client.get("/today").headers["Location"].startswith("/login")
    # A full login opens it again and starts the count afresh.
    login(client, "mira")
    assert client.get("/today").status_code == 200
    client.get("/lock")
    assert "4 more tries" in post(client, "/lock", {"pin": "1111"}).get_data(as_text=True)


def test_a_new_session_does_not_reset_the_tries(app, client):
    _with_pin(app, client)
    client.get("/lock")
    for _ in range(3):
        post(client, "/lock", {"pin": "0000"})
    other = app.test_client()
    login(other, "mira")  # a full login with the password
    client.get("/lock")
    assert "4 more tries" in post(client, "/lock", {"pin": "0000"}).get_data(as_text=True)


def test_background_polls_do_not_hold_off_the_lock_but_typing_does(app, client):
    _with_pin(app, client)
    _go_idle(client, minutes=4)
    assert client.get("/unread", headers={"X-Nara-Background": "1"}).status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["seen"] > 200  # the poll changed nothing
    assert post(client, "/lock/still-here").status_code == 204
    with client.session_transaction() as session:
        assert time.time() - session["seen"] < 5
    _go_idle(client)
    assert client.get("/unread", headers={"X-Nara-Background": "1"}).status_code == 401


def test_an_htmx_request_on_a_locked_session_is_told_where_the_lock_is(app, client):
    """The page's script keeps what was being written, then goes to the lock page."""
    _with_pin(app, client)
    _go_idle(client)
    response = post(client, "/diary/new", {"text": "half a thought"}, headers={"HX-Request": "true"})
    assert response.status_code == 401 and response.headers["X-Nara-Locked"].startswith("/lock")


def test_the_server_waits_a_little_longer_than_the_page(app, client):
    """The page locks itself at the idle time; a form sent just before that is not refused."""
    _with_pin(app, client, idle="1")
    token = csrf_token(client)
    _go_idle(client, minutes=1.2)
    assert client.post("/diary/new", data={"csrf_token": token, "text": "at the last moment"}).status_code == 302
    _go_idle(client, minutes=2)
    assert client.post("/diary/new", data={"csrf_token": token, "text": "too late"}).status_code == 302
    assert client.get("/today").headers["Location"].startswith("/lock")


def test_help_while_locked_shows_no_contacts_and_no_name(app, client):
    from tests.conftest import make_contact, make_peer_profile

    _with_pin(app, client)
    peer, _ = make_user(app, "helper", role="peer", approved=True)
    make_peer_profile(app, peer, display_name="Helle")
    from accounts import service
    from extensions import db

    with app.app_context():
        mira = service.find_by_handle(db.session, "mira").id
    make_contact(app, mira, peer)
    assert "Helle (peer supporter)" in client.get("/help").get_data(as_text=True)
    _go_idle(client)
    page = client.get("/help").get_data(as_text=True)
    assert (
        "Helle" not in page
        and "helper" not in page
        and "mira" not in page
        and "data-owner" not in page
        and "data-locked" in page
    )


def test_turning_the_lock_off_needs_the_password(app, client):
    _with_pin(app, client)
    assert "That is not your current password." in post(client, "/settings/lock/off", {"off-password": "no"}).get_data(
        as_text=True
    )
    assert post(client, "/settings/lock/off", {"off-password": PASSWORD}).status_code == 302
    _go_idle(client, minutes=120)
    assert client.get("/today").status_code == 200
    assert "Turn the PIN lock on" in client.get("/settings/lock").get_data(as_text=True)


def test_the_lock_page_in_swedish(app, client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"  # the account keeps the language it logs in with
    _with_pin(app, client)
    client.get("/lock")
    page = post(client, "/lock", {"pin": "0000"}, headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "Pinkoden stämmer inte. Du har 4 försök kvar." in page and "You have" not in page
