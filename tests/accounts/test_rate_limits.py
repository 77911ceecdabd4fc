"""Sign-up, login and recovery are limited per address and per handle."""

import pytest

from tests.conftest import FAST_ARGON2, make_user, post


@pytest.fixture
def limited_app(database_url, tmp_path_factory):
    from app import create_app
    from extensions import db
    from tests.conftest import _empty_all_tables

    application = create_app({
        "TESTING": True, "DATABASE_URL": database_url, "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://", "AUTH_LIMIT_PER_IP": "6 per minute",
        "AUTH_LIMIT_PER_HANDLE": "3 per minute", **FAST_ARGON2,
    }, instance_path=str(tmp_path_factory.mktemp("instance")))
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
    blocked = post(client, "/login", {"handle": "MIRA", "password": "wrong wrong wrong"}, headers={"Accept-Language": "en"})
    assert blocked.status_code == 429
    assert "try again in a minute" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) >= 1
    # Another handle from the same address may still try.
    assert post(client, "/login", {"handle": "noor", "password": "wrong wrong wrong"}).status_code == 200


def test_too_many_tries_from_one_address_are_limited(limited_app):
    client = limited_app.test_client()
    statuses = [post(client, "/recover", {"handle": f"person{i}", "code": "x", "new_password": "y"}).status_code
                for i in range(7)]
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
