"""Leaving a phone (logging out, "Forget this phone": the browser is told to forget this
site) and "Keep my diary for", over HTTP as a browser without JavaScript uses them."""

import json

import pytest

from tests.conftest import login, make_user, post


def test_logging_out_has_the_browser_forget_the_kept_pages_and_storage(client, app):
    make_user(app, "mira")
    login(client, "mira")
    response = post(client, "/logout")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/today").status_code == 302


def test_forget_this_phone_logs_out_and_clears_cookies_too(client, app):
    make_user(app, "mira")
    login(client, "mira")
    phone = client.get("/settings/phone").get_data(as_text=True)
    assert 'action="/settings/forget-phone"' in phone and "Forget this phone" in phone
    post(client, "/settings/phone", {"look": "plain", "exit": "recipe", "after_exit": "logout"})
    for name in ("nara_session", "nara_look", "nara_device"):
        assert client.get_cookie(name) is not None, name

    response = post(client, "/settings/forget-phone")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/?phone=forgotten")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage", "cookies"'
    for name in ("nara_session", "nara_look", "nara_exit", "nara_after_exit", "nara_device"):
        assert client.get_cookie(name) is None, name  # deleted one by one too, for older browsers
    landing = client.get("/?phone=forgotten").get_data(as_text=True)
    assert "This phone has forgotten you" in landing
    assert "data-forgotten" in landing
    assert "This phone has forgotten you" not in client.get("/").get_data(as_text=True)
    assert client.get("/settings").status_code == 302


def test_forget_this_phone_needs_the_forms_token(client, app):
    make_user(app, "mira")
    login(client, "mira")
    refused = client.post("/settings/forget-phone")
    assert refused.status_code == 400 and "Clear-Site-Data" not in refused.headers
    assert client.get("/settings").status_code == 200


def test_the_forms_that_leave_carry_the_hidden_warning_about_waiting_entries(client, app):
    make_user(app, "mira")
    login(client, "mira")
    page = client.get("/settings/phone").get_data(as_text=True)
    assert page.count("data-leaving-warning hidden") == 2  # the footer's "Log out" and "Forget this phone"
    assert "Log out anyway" in page and "Forget this phone anyway" in page and "Stay and send it" in page


def test_keep_my_diary_for_is_saved_confirmed_and_in_the_export(client, app):
    make_user(app, "mira")
    login(client, "mira")
    settings = client.get("/settings").get_data(as_text=True)
    assert "Keep my diary for" in settings
    assert "Older entries and check-ins are deleted for good." in settings
    assert '<input checked id="keep_for-0" name="keep_for" type="radio" value="always">' in settings
    saved = post(client, "/settings/keep-diary", {"keep_for": "90"}, follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert "older than three months will be deleted for good" in page
    assert '<input checked id="keep_for-2" name="keep_for" type="radio" value="90">' in page
    data = json.loads(client.get("/settings/export").get_data(as_text=True))
    assert data["accounts"]["account"]["keep_diary_days"] == 90
    post(client, "/settings/keep-diary", {"keep_for": "365"})
    data = json.loads(client.get("/settings/export").get_data(as_text=True))
    assert data["accounts"]["account"]["keep_diary_days"] == 365
    always = post(client, "/settings/keep-diary", {"keep_for": "always"}, follow_redirects=True)
    assert "Your diary keeps everything" in always.get_data(as_text=True)
    data = json.loads(client.get("/settings/export").get_data(as_text=True))
    assert data["accounts"]["account"]["keep_diary_days"] is None


@pytest.mark.parametrize("value", ["30", "", "forever", "365.0", "-1"])
def test_keep_my_diary_for_takes_only_the_offered_choices(client, app, value):
    make_user(app, "mira")
    login(client, "mira")
    post(client, "/settings/keep-diary", {"keep_for": "90"})
    answer = post(client, "/settings/keep-diary", {"keep_for": value})
    assert answer.status_code == 200
    assert "Choose one of the options." in answer.get_data(as_text=True)
    data = json.loads(client.get("/settings/export").get_data(as_text=True))
    assert data["accounts"]["account"]["keep_diary_days"] == 90


@pytest.mark.parametrize("role", ["peer", "relative", "coordinator"])
def test_only_those_who_keep_a_diary_are_asked(client, app, role):
    make_user(app, "someone", role=role, approved=True)
    login(client, "someone")
    assert "Keep my diary for" not in client.get("/settings").get_data(as_text=True)
    assert post(client, "/settings/keep-diary", {"keep_for": "90"}).status_code == 404
