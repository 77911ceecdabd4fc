"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from TEST_DATABASE_URL (a server where we may create databases). Each
test session makes its own throw-away database there and drops it at the end. Without a
server the PostgreSQL half is skipped, unless REQUIRE_POSTGRES=1, when it fails.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extensions import make_engine, upgrade_schema  # noqa: E402

PASSWORD = "green kettle morning walk"
FAST_ARGON2 = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1}
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _require_postgres() -> bool:
    return os.environ.get("REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)
    if base.startswith("postgresql://"):
        base = "postgresql+psycopg://" + base[len("postgresql://") :]
    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = f"nara_test_{secrets.token_hex(4)}"
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no server here
        if _require_postgres():
            pytest.fail(f"PostgreSQL is required (REQUIRE_POSTGRES=1) but not reachable: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "test.sqlite3"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return request.getfixturevalue(name)


def _empty_all_tables(engine) -> None:
    from sqlmodel import SQLModel

    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


class EnglishClient(FlaskClient):
    """A test browser that prefers English unless a test says otherwise, so assertions can
    quote the source strings; the other languages are tested on purpose."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def app(database_url, tmp_path_factory):
    from app import create_app
    from extensions import db

    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "RATELIMIT_ENABLED": False,
            # A /live stream ends at once (after its retry hint), so a test that reads every
            # page's body is not held for 15 minutes; tests of the stream set their own.
            "LIVE_STREAM_SECONDS": 0,
            **FAST_ARGON2,
        },
        instance_path=str(instance),
    )
    application.test_client_class = EnglishClient
    _empty_all_tables(db.engine)
    yield application
    db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    from extensions import db

    with app.app_context():
        yield db.session


_CSRF_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(client) -> str:
    page = client.get("/help")
    match = _CSRF_RE.search(page.get_data(as_text=True))
    assert match, "every page carries the CSRF token in a meta tag"
    return match.group(1)


def post(client, url: str, data: dict | None = None, **kwargs):
    """Post a form the way the browser does: with the page's CSRF token."""
    form = {"csrf_token": csrf_token(client)}
    form.update(data or {})
    return client.post(url, data=form, **kwargs)


def make_user(app, handle: str, role: str = "client", approved: bool = False, password: str = PASSWORD):
    from accounts import service
    from extensions import db, utcnow

    with app.app_context():
        user, codes = service.sign_up(db.session, handle, password, role="client" if role == "coordinator" else role)
        if role == "coordinator":
            user.role = "coordinator"
        if approved:
            user.peer_approved_at = utcnow()
        db.session.add(user)
        db.session.commit()
        return user.id, codes


def login(client, handle: str, password: str = PASSWORD):
    response = post(client, "/login", {"handle": handle, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def make_diary(app, user_id: int) -> dict:
    """An entry, a goal with a step and a check-in, owned by the user: for access tests."""
    from accounts.models import User
    from diary import entries, goals

    with app.app_context():
        user = db_session().get(User, user_id)
        entry = entries.save_entry(
            db_session(), user, mood=4, text="a quiet good day", answers={}, strengths=["Patience"]
        )
        goal = goals.create_goal(
            db_session(), user, kind="less", area=None, title="Only on weekends", steps=["Tell a friend"]
        )
        step = goals.steps_of(db_session(), goal)[0]
        goals.check_in(db_session(), user, goal, "planned")
        return {"entry": entry.id, "goal": goal.id, "step": step.id}


def db_session():
    from extensions import db

    return db.session


def make_peer_profile(app, user_id: int, **fields) -> None:
    from accounts.models import User
    from peer import profiles

    values = {
        "display_name": "Helle",
        "about": "I have been there.",
        "topics": ["women", "opioids"],
        "gender": "woman",
        "languages": ["da", "sv"],
        "hours": "weekdays",
        "taking_new": True,
    }
    values.update(fields)
    with app.app_context():
        profiles.save_profile(db_session(), db_session().get(User, user_id), **values)


def make_contact(app, client_id: int, peer_id: int, accept: bool = True) -> int:
    from accounts.models import User
    from peer import contacts

    with app.app_context():
        session = db_session()
        contact = contacts.request_peer(session, session.get(User, client_id), peer_id, "hello")
        if accept:
            contacts.accept(session, session.get(User, peer_id), contact)
        return contact.id


def main_of(response) -> str:
    """A page's <main> only (the header, bar and footer name things every page names)."""
    body = response.get_data(as_text=True)
    match = re.search(r"<main.*?</main>", body, re.S)
    return match.group(0) if match else body
