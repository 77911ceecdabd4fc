"""Sign-up, login and recovery are limited per address and per handle."""

import pytest

from tests.conftest import FAST_ARGON2, make_user, post


@pytest.fixture
def limited_app(database_url, tmp_path_factory):
    from app import create_app
    from extensions import db
    from tests.conftest import _empty_all_tables

    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "AUTH_LIMIT_PER_IP": "6 per minute",
            "AUTH_LIMIT_PER_HANDLE": "3 per minute",
            **FAST_ARGON2,
        },
        instance_path=str(tmp_path_factory.mktemp("instance")),
    )
    from tests.conftest import EnglishClient

    application.test_client_class = EnglishClient
    _empty_all_tables(db.engine)
    from extensions import limiter

    limiter.reset()
    yield application
    limiter.reset()
    db.engine.dispose()


def test_too_many_tries_for_one_handle_get_a_kind_429(limited_app):
    make_user(limited_app, "mira")
    client = limited_app.test_client()
    for _ in range(3):
        assert post(client, "/login", {"handle": "mira", "password": "wrong wrong wrong"}).status_code == 200
    blocked = post(
        client, "/login", {"handle": "MIRA", "password": "wrong wrong wrong"}, headers={"Accept-Language": "en"}
    )
    assert blocked.status_code == 429
    assert "try again in a minute" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) >= 1
    # Another handle from the same address may still try.
    assert post(client, "/login", {"handle": "noor", "password": "wrong wrong wrong"}).status_code == 200


def test_too_many_tries_from_one_address_are_limited(limited_app):
    client = limited_app.test_client()
    statuses = [
        post(client, "/recover", {"handle": f"person{i}", "code": "x", "new_password": "y"}).status_code
        for i in range(7)
    ]
    assert statuses[:6] == [200] * 6
    assert statuses[6] == 429


def test_reading_the_pages_is_not_limited(limited_app):
    client = limited_app.test_client()
    assert all(client.get("/login").status_code == 200 for _ in range(20))


def test_invisible_characters_do_not_open_a_new_count_for_a_handle(limited_app):
    make_user(limited_app, "mira")
    client = limited_app.test_client()
    for _ in range(3):
        post(client, "/login", {"handle": "mira", "password": "wrong wrong wrong"})
    for disguise in ("mi\x01ra", "mira\x7f", "\x02MIRA"):
        assert post(client, "/login", {"handle": disguise, "password": "green kettle morning walk"}).status_code == 429


# --- The per-handle limit must not be a way to lock the owner out (issue 12) ---------


def _from(app, address: str):
    """A browser at its own address (REMOTE_ADDR), with no cookies yet."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _hammer_login(app, handle: str, tries: int = 6):
    """Wrong passwords for a handle, each from another address: the per-handle limit fills."""
    statuses = [
        post(_from(app, f"10.9.0.{i}"), "/login", {"handle": handle, "password": "wrong wrong wrong"}).status_code
        for i in range(tries)
    ]
    assert 429 in statuses, "the per-handle limit still holds for unknown devices"


def _owner_device(app, handle: str = "mira"):
    """The owner's phone: it logged in once (and out again), so it is a known device."""
    from tests.conftest import login

    owner = _from(app, "10.1.1.1")
    login(owner, handle)
    assert post(owner, "/logout").status_code == 302
    return owner


def test_many_addresses_cannot_lock_the_owner_out_of_a_device_that_logged_in_before(limited_app):
    make_user(limited_app, "mira")
    owner = _owner_device(limited_app)
    _hammer_login(limited_app, "mira")
    assert post(owner, "/login", {"handle": "mira", "password": "green kettle morning walk"}).status_code == 302


def test_unknown_devices_still_meet_the_per_handle_limit(limited_app):
    make_user(limited_app, "mira")
    _owner_device(limited_app)
    _hammer_login(limited_app, "mira")
    stranger = _from(limited_app, "10.2.2.2")
    assert post(stranger, "/login", {"handle": "mira", "password": "green kettle morning walk"}).status_code == 429


def test_a_known_device_has_its_own_count_for_wrong_passwords(limited_app):
    make_user(limited_app, "mira")
    owner = _owner_device(limited_app)
    statuses = [
        post(owner, "/login", {"handle": "mira", "password": "wrong wrong wrong"}).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    # ... and using it up does not shut out anyone else's count.
    assert (
        post(_from(limited_app, "10.3.3.3"), "/login", {"handle": "mira", "password": "wrong wrong wrong"}).status_code
        == 200
    )


def test_a_device_known_to_another_account_or_a_forged_cookie_does_not_help(limited_app):
    from accounts.devices import COOKIE

    make_user(limited_app, "mira")
    make_user(limited_app, "noor")
    attacker = _owner_device(limited_app, "noor")  # the attacker's own account, on their device
    _hammer_login(limited_app, "mira")
    assert post(attacker, "/login", {"handle": "mira", "password": "green kettle morning walk"}).status_code == 429
    forger = _from(limited_app, "10.4.4.4")
    forger.set_cookie(COOKIE, "eyJkIjoiYWJjIiwiYSI6WyJ4Il19.Zm9v.YmFy")
    assert post(forger, "/login", {"handle": "mira", "password": "green kettle morning walk"}).status_code == 429


def test_the_known_device_cookie_is_httponly_signed_and_does_not_name_the_handle(limited_app):
    import base64

    from accounts.devices import COOKIE
    from tests.conftest import login

    make_user(limited_app, "mira")
    client = _from(limited_app, "10.1.1.1")
    response = login(client, "mira")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
    attributes = header.lower()
    assert "httponly" in attributes and "secure" in attributes and "samesite=strict" in attributes
    assert "max-age=" in attributes or "expires=" in attributes
    value = header.split(";")[0].split("=", 1)[1]
    payload = value.split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode(errors="replace")
    assert "mira" not in value.lower() and "mira" not in decoded.lower()


def test_recovery_cannot_be_used_to_lock_the_owner_out(limited_app):
    _user_id, codes = make_user(limited_app, "mira")
    for i in range(6):
        post(
            _from(limited_app, f"10.8.0.{i}"),
            "/recover",
            {"handle": "mira", "code": "AAAA-BBBB-CCCC-DDDD", "new_password": "another long secret phrase"},
        )
    # The owner lost their phone: a new device, a recovery code from the paper.
    owner = _from(limited_app, "10.1.1.1")
    response = post(
        owner, "/recover", {"handle": "mira", "code": codes[0], "new_password": "another long secret phrase"}
    )
    assert response.status_code == 302


# --- Entering an invitation code is limited per address, not for everyone at once ---


def test_entering_invitation_codes_is_counted_per_address(limited_app):
    first, second = _from(limited_app, "10.5.5.1"), _from(limited_app, "10.5.5.2")
    statuses = [post(first, "/invite", {"code": "ABCDE-FGHJK"}).status_code for _ in range(7)]
    assert statuses[:6] == [302] * 6 and statuses[6] == 429
    assert post(second, "/invite", {"code": "ABCDE-FGHJK"}).status_code == 302


def test_guessing_invitation_codes_is_limited_per_address_and_a_right_code_does_not_count(limited_app):
    from accounts.models import User
    from extensions import db
    from peer import relatives

    user_id, _codes = make_user(limited_app, "kim")
    with limited_app.app_context():
        _invitation, code = relatives.create_invitation(
            db.session,
            db.session.get(User, user_id),
            label="Mum",
            share_checkin=True,
            goal_ids=[],
            alerts=False,
            messaging=True,
        )
    relative = _from(limited_app, "10.6.6.1")
    assert all(relative.get(f"/invite/{code}").status_code == 200 for _ in range(8))
    guesser = _from(limited_app, "10.6.6.2")
    statuses = [guesser.get(f"/invite/AAAAA-BBBB{i}").status_code for i in range(7)]
    assert statuses[:6] == [404] * 6 and statuses[6] == 429
    assert relative.get(f"/invite/{code}").status_code == 200


def test_a_signed_in_person_cannot_guess_codes_by_accepting_them(limited_app):
    from tests.conftest import login

    make_user(limited_app, "kim")
    guesser = _from(limited_app, "10.6.6.3")
    login(guesser, "kim")
    statuses = [post(guesser, f"/invite/AAAAA-BBBB{i}/accept").status_code for i in range(7)]
    assert statuses[:6] == [302] * 6 and statuses[6] == 429
