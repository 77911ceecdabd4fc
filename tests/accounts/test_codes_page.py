"""Recovery codes and losing the keys: said plainly wherever a password is chosen or codes are
shown, shown once, saved with "I have saved them", and never put in a URL."""

import re

from tests.accounts.test_http import CODE_RE, sign_up
from tests.conftest import login, make_user, post

DIARY_WARNING = "Not even the organisation can open your diary. If you lose your password and every recovery code, it cannot be brought back."
GENERAL_WARNING = "Not even the organisation can open what you write here. If you lose your password and every recovery code, it cannot be brought back."


def _next_field(page: str) -> str:
    form = re.search(r'<form method="post" action="/codes/saved">(.*?)</form>', page, re.S)
    assert form, "the codes page has the 'I have saved them' form"
    assert "I have saved them" in form.group(1)
    return re.search(r'name="next" type="hidden" value="([^"]*)"', form.group(1)).group(1)


def test_sign_up_pages_say_plainly_what_losing_the_keys_means(client, app):
    assert DIARY_WARNING in client.get("/signup").get_data(as_text=True)
    peer_page = client.get("/signup/peer").get_data(as_text=True)
    assert GENERAL_WARNING in peer_page and DIARY_WARNING not in peer_page
    assert GENERAL_WARNING in client.get("/recover").get_data(as_text=True)


def test_a_relative_joining_by_invitation_is_told_too(client, app):
    from accounts.models import User
    from extensions import db
    from peer import relatives

    client_id, _ = make_user(app, "mira")
    with app.app_context():
        _invitation, code = relatives.create_invitation(
            db.session,
            db.session.get(User, client_id),
            label="Mum",
            share_checkin=False,
            goal_ids=[],
            alerts=False,
            messaging=True,
        )
    invite = f"/invite/{code.replace('-', '')}"
    assert GENERAL_WARNING in client.get(invite).get_data(as_text=True)
    joined = post(client, invite, {"handle": "mum", "password": "green kettle morning walk"})
    page = joined.get_data(as_text=True)
    assert len(CODE_RE.findall(page)) == 8
    assert GENERAL_WARNING in page
    assert _next_field(page) == "/home"


def test_codes_after_sign_up_warn_and_offer_download_print_and_i_have_saved_them(client):
    response = sign_up(client)
    page = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    codes = CODE_RE.findall(page)
    assert len(codes) == 8
    assert DIARY_WARNING in page
    # Made in the browser from the page: the buttons carry no codes and no address.
    for marker in ("data-download-codes", "data-print-page", "data-copy"):
        button = re.search(rf"<button[^>]*{marker}[^>]*>", page, re.S).group(0)
        assert " hidden" in button, "without JavaScript the codes are on the page to copy"
        assert not any(code in button for code in codes)
    assert _next_field(page) == "/home"
    saved = post(client, "/codes/saved", {"next": "/home"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/home")
    assert not any(code in saved.headers["Location"] for code in codes)
    assert client.get("/today").status_code == 200


def test_the_codes_page_forms_carry_a_token_of_the_new_session(client):
    """The codes page is rendered in the very request that starts the session: its forms
    ("I have saved them", "Log out") must carry a token the new session knows."""
    page = sign_up(client).get_data(as_text=True)
    form = re.search(r'<form method="post" action="/codes/saved">(.*?)</form>', page, re.S).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    saved = client.post("/codes/saved", data={"csrf_token": token, "next": "/home"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/home")


def test_i_have_saved_them_goes_only_to_a_place_in_this_app(client):
    sign_up(client)
    for target in ("//evil.example/x", "https://evil.example/", "", "\\\\evil"):
        answer = post(client, "/codes/saved", {"next": target})
        assert answer.headers["Location"].endswith("/home"), target
    assert client.post("/codes/saved", data={"next": "/settings"}).status_code == 400  # no CSRF token


def test_new_codes_from_settings_go_back_to_settings_and_are_never_kept(client, app):
    make_user(app, "mira")
    login(client, "mira")
    settings = client.get("/settings").get_data(as_text=True)
    assert DIARY_WARNING in settings
    response = post(client, "/settings/recovery-codes", {"codes-password": "green kettle morning walk"})
    page = response.get_data(as_text=True)
    codes = CODE_RE.findall(page)
    assert len(codes) == 8 and response.headers["Cache-Control"] == "no-store"
    assert "Your new recovery codes" in page and DIARY_WARNING in page
    assert _next_field(page) == "/settings#recovery"
    back = post(client, "/codes/saved", {"next": "/settings#recovery"})
    assert back.headers["Location"].endswith("/settings#recovery")
    assert not any(code in client.get("/settings").get_data(as_text=True) for code in codes)


def test_a_peer_supporters_codes_page_speaks_of_what_they_write(client):
    page = sign_up(client, handle="helper", url="/signup/peer").get_data(as_text=True)
    assert GENERAL_WARNING in page and DIARY_WARNING not in page
