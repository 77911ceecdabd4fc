"""Accounts over HTTP, as a browser without JavaScript would use them."""

import json
import re

import pytest
from sqlmodel import select

from tests.conftest import PASSWORD, csrf_token, login, make_user, post

NEW_PASSWORD = "quiet harbour after rain"
CODE_RE = re.compile(r"<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code>")


def sign_up(client, handle="mira", password=PASSWORD, url="/signup"):
    return post(client, url, {"handle": handle, "password": password})


def test_sign_up_shows_eight_codes_once_and_logs_in(client):
    response = sign_up(client)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    codes = CODE_RE.findall(response.get_data(as_text=True))
    assert len(codes) == 8
    today = client.get("/today")
    assert today.status_code == 200
    assert "mira" in today.get_data(as_text=True)
    assert not CODE_RE.search(client.get("/settings").get_data(as_text=True))


def test_sign_up_asks_nothing_but_a_name_and_a_password(client):
    page = client.get("/signup").get_data(as_text=True)
    fields = set(re.findall(r'<input[^>]* name="([^"]+)"', page))
    assert fields == {"csrf_token", "handle", "password", "next"}
    assert "mail" not in page.lower()


def test_sign_up_problems_are_explained_and_the_name_is_kept(client):
    response = sign_up(client, handle="mira", password="short")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "at least 10 characters" in page
    assert 'value="mira"' in page
    assert 'aria-invalid="true"' in page
    sign_up(client, handle="noor")
    other = client.application.test_client()
    taken = sign_up(other, handle="NOOR")
    assert "Someone already uses that name" in taken.get_data(as_text=True)


def test_peer_sign_up_waits_for_approval(client):
    response = sign_up(client, handle="helper", url="/signup/peer")
    assert response.status_code == 200
    page = client.get("/home", follow_redirects=True).get_data(as_text=True)
    assert "Waiting for approval" in page


def test_login_and_wrong_password(client, app):
    make_user(app, "mira")
    wrong = post(client, "/login", {"handle": "mira", "password": "not the password"})
    assert wrong.status_code == 200
    assert "do not match" in wrong.get_data(as_text=True)
    assert client.get("/today").status_code == 302
    login(client, "MIRA")
    assert client.get("/today").status_code == 200


def test_login_goes_back_to_the_page_asked_for_but_never_elsewhere(client, app):
    make_user(app, "mira")
    asked = client.get("/settings")
    assert asked.status_code == 302 and "/login" in asked.headers["Location"]
    token = csrf_token(client)
    ok = client.post("/login?next=/settings", data={"csrf_token": token, "handle": "mira", "password": PASSWORD})
    assert ok.headers["Location"].endswith("/settings")
    other = client.application.test_client()
    token = csrf_token(other)
    evil = other.post(
        "/login?next=//evil.example/x", data={"csrf_token": token, "handle": "mira", "password": PASSWORD}
    )
    assert evil.headers["Location"].endswith("/home")


def test_session_cookie_is_httponly_lax_and_secure(client, app):
    make_user(app, "mira")
    response = login(client, "mira")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("nara_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_login_renews_the_session(client, app):
    make_user(app, "mira")
    before_token = csrf_token(client)
    with client.session_transaction() as session:
        session["planted"] = "from before the login"
    login(client, "mira")
    with client.session_transaction() as session:
        assert "planted" not in session
    assert csrf_token(client) != before_token


def test_logout_ends_every_session(app):
    make_user(app, "mira")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "mira")
    login(laptop, "mira")
    post(phone, "/logout")
    assert phone.get("/today").status_code == 302
    assert laptop.get("/today").status_code == 302


def test_changing_password_keeps_me_in_and_ends_the_others(app):
    make_user(app, "mira")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "mira")
    login(laptop, "mira")
    wrong = post(phone, "/settings/password", {"current_password": "nope nope nope", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 200
    assert "not your current password" in wrong.get_data(as_text=True)
    done = post(phone, "/settings/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert done.status_code == 302
    assert phone.get("/settings").status_code == 200
    assert laptop.get("/settings").status_code == 302
    login(app.test_client(), "mira", NEW_PASSWORD)


def test_recovery_with_a_code(client, app):
    _, codes = make_user(app, "mira")
    bad = post(client, "/recover", {"handle": "mira", "code": "aaaa-bbbb-cccc-dddd", "new_password": NEW_PASSWORD})
    assert bad.status_code == 200
    assert "do not match" in bad.get_data(as_text=True)
    ok = post(client, "/recover", {"handle": "mira", "code": codes[0].upper(), "new_password": NEW_PASSWORD})
    assert ok.status_code == 302
    assert "7 recovery codes left" in client.get("/settings").get_data(as_text=True)
    again = post(
        app.test_client(), "/recover", {"handle": "mira", "code": codes[0], "new_password": "yet another long phrase"}
    )
    assert again.status_code == 200


def test_new_recovery_codes_need_the_password(client, app):
    _, old = make_user(app, "mira")
    login(client, "mira")
    refused = post(client, "/settings/recovery-codes", {"codes-password": "wrong wrong wrong"})
    assert refused.status_code == 200
    made = post(client, "/settings/recovery-codes", {"codes-password": PASSWORD})
    new = CODE_RE.findall(made.get_data(as_text=True))
    assert len(new) == 8 and not set(new) & set(old)


def test_preferences_are_saved_and_bad_values_explained(client, app):
    make_user(app, "mira")
    login(client, "mira")
    saved = post(client, "/settings/preferences", {"locale": "en", "time_zone": "Europe/Copenhagen"})
    assert saved.status_code == 302
    assert 'selected value="Europe/Copenhagen"' in client.get("/settings").get_data(as_text=True)
    bad = post(client, "/settings/preferences", {"locale": "en", "time_zone": "Europe/Nowhere"})
    assert bad.status_code == 200
    assert "Choose one of the time zones" in bad.get_data(as_text=True)


def test_export_is_a_json_download_of_everything(client, app):
    make_user(app, "mira")
    login(client, "mira")
    response = client.get("/settings/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["accounts"]["account"]["handle"] == "mira"
    assert "password_hash" not in json.dumps(data)


def test_delete_account_asks_for_the_password_then_deletes(client, app):
    make_user(app, "mira")
    login(client, "mira")
    assert client.get("/settings/delete").status_code == 200
    refused = post(client, "/settings/delete", {"password": "not it at all"})
    assert refused.status_code == 200
    assert client.get("/today").status_code == 200
    done = post(client, "/settings/delete", {"password": PASSWORD})
    assert done.status_code == 302
    assert client.get("/today").status_code == 302
    again = post(app.test_client(), "/login", {"handle": "mira", "password": PASSWORD})
    assert again.status_code == 200


def test_language_follows_the_browser_then_the_choice(client, app):
    assert '<html lang="da">' in client.get("/", headers={"Accept-Language": "da-DK,da;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert '<html lang="sv">' in client.get("/", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    post(client, "/language", {"locale": "da", "next": "/login"})
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="da">' in page and "Log ind" in page
    make_user(app, "mira")
    login(client, "mira")
    post(client, "/language", {"locale": "sv"})
    other = app.test_client()
    login(other, "mira")
    assert '<html lang="sv">' in other.get("/today", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_language_switch_never_sends_people_elsewhere(client):
    response = post(client, "/language", {"locale": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    ignored = post(client, "/language", {"locale": "xx"})
    assert ignored.status_code == 302


def test_pages_are_translated(client):
    sv = client.get("/signup", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    da = client.get("/signup", headers={"Accept-Language": "da"}).get_data(as_text=True)
    en = client.get("/signup", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Create an account" in en
    assert "Create an account" not in sv and "Create an account" not in da
    assert sv != da


def test_coordinator_approves_a_waiting_peer(client, app):
    make_user(app, "coord", role="coordinator")
    peer_id, _ = make_user(app, "helper", role="peer")
    login(client, "coord")
    page = client.get("/coordinator").get_data(as_text=True)
    assert "helper" in page
    response = post(client, f"/coordinator/peers/{peer_id}/approve")
    assert response.status_code == 302
    assert "Nobody is waiting" in client.get("/coordinator").get_data(as_text=True)
    peer = app.test_client()
    login(peer, "helper")
    assert "Waiting for approval" not in peer.get("/home").get_data(as_text=True)


def test_coordinator_cannot_approve_a_client(client, app):
    make_user(app, "coord", role="coordinator")
    client_id, _ = make_user(app, "mira")
    login(client, "coord")
    assert post(client, f"/coordinator/peers/{client_id}/approve").status_code == 404
    assert post(client, "/coordinator/peers/999999/approve").status_code == 404


@pytest.mark.parametrize("accept, expected", [("en", "en"), ("da-DK,da;q=0.9", "da"), ("sv", "sv")])
def test_the_language_signed_up_in_is_kept_and_notifications_speak_it(app, accept, expected):
    from flask_babel import force_locale

    from accounts.models import User
    from extensions import db
    from push import outbox
    from push.models import PushSubscription

    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = accept
    page = client.get("/signup")
    assert page.status_code == 200
    post(client, "/signup", {"handle": "newperson", "password": PASSWORD})
    with app.app_context():
        user = db.session.exec(select(User).where(User.handle == "newperson")).one()
        assert user.locale == expected
        db.session.add(
            PushSubscription(
                user_id=user.id, endpoint="https://push.example/x" + expected, p256dh="B" * 87, auth="A" * 22
            )
        )
        db.session.commit()
        outbox.enqueue(db.session, user.id, "message", "/contacts")
        db.session.commit()
        from push.models import Notification

        row = db.session.exec(select(Notification).where(Notification.user_id == user.id)).one()
        with force_locale(expected):
            from flask_babel import gettext

            assert row.payload["body"] == gettext("Something new for you")


def test_an_account_without_a_language_gets_the_one_it_logs_in_with(app):
    from accounts.models import User
    from extensions import db

    make_user(app, "olderone")  # made before languages were kept: none stored
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    login(client, "olderone")
    with app.app_context():
        assert db.session.exec(select(User).where(User.handle == "olderone")).one().locale == "da"
