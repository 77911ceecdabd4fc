"""Migration 0009 on a database with rows in it: handles become ids (or nothing, when the
account is gone), quotes of a gone account leave reports, and rebuilding tables on SQLite
loses no row of the tables that point at them. Runs on SQLite and PostgreSQL."""

import json
import secrets
from datetime import datetime, timezone

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, inspect, text
from sqlalchemy.engine import make_url

from extensions import alembic_config, make_engine, upgrade_schema
from tests.conftest import DEFAULT_PG, _require_postgres

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
LATER = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
        return
    import os

    base = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)
    if base.startswith("postgresql://"):
        base = "postgresql+psycopg://" + base[len("postgresql://") :]
    name = f"nara_migrate_{secrets.token_hex(4)}"
    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no server here
        if _require_postgres():
            pytest.fail(f"PostgreSQL is required (REQUIRE_POSTGRES=1) but not reachable: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _before(engine) -> str:
    return ScriptDirectory.from_config(alembic_config(engine)).get_revision("0009").down_revision


def _user(handle: str, role: str = "client") -> dict:
    return {
        "handle": handle,
        "handle_key": handle,
        "password_hash": "x",
        "role": role,
        "time_zone": "UTC",
        "session_token": secrets.token_hex(8),
        "created_at": NOW,
        "password_changed_at": NOW,
        "pin_idle_minutes": 5,
        "pin_tries": 0,
    }


def _insert(conn, tables, name: str, **values) -> int:
    return conn.execute(tables[name].insert().values(**values)).inserted_primary_key[0]


def _fill(engine) -> dict:
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    with engine.begin() as conn:
        ids = {
            "mira": _insert(conn, t, "user", **_user("mira")),
            "helle": _insert(conn, t, "user", **_user("helle", "peer")),
        }
        # Someone who took a handle after its first owner's account was deleted is not that owner.
        _insert(conn, t, "user", **{**_user("ghost"), "created_at": LATER})
        contact = dict(
            kind="peer",
            status="active",
            request_note="",
            alerts=True,
            label="",
            share_checkin=False,
            share_plan=False,
            messaging=True,
            created_at=NOW,
        )
        ids["contact"] = _insert(conn, t, "contact", client_id=ids["mira"], other_id=ids["helle"], **contact)
        for sender, body in (("mira", "hello"), ("helle", "hi back")):
            _insert(conn, t, "message", contact_id=ids["contact"], sender_id=ids[sender], body=body, sent_at=NOW)
        alert = _insert(conn, t, "support_alert", client_id=ids["mira"], note="", raised_at=NOW)
        _insert(conn, t, "alert_delivery", alert_id=alert, contact_id=ids["contact"], user_id=ids["helle"])
        ids["report"] = _insert(
            conn, t, "report", user_id=ids["mira"], reported_handle="helle", reason="why", created_at=NOW
        )
        ids["ghost_report"] = _insert(
            conn, t, "report", user_id=ids["mira"], reported_handle="ghost", reason="", created_at=NOW
        )
        for report, sender, body in (
            ("report", "helle", "unkind"),
            ("report", "mira", "mine"),
            ("ghost_report", "ghost", "words of a gone account"),
        ):
            _insert(
                conn,
                t,
                "report_item",
                report_id=ids[report],
                user_id=ids["mira"],
                sender=sender,
                body=body,
                sent_at=NOW,
            )
        for actor in ("helle", "ghost", "mira"):
            _insert(
                conn,
                t,
                "access_event",
                user_id=ids["mira"],
                actor=actor,
                action="viewed",
                what="entry",
                object_id=1,
                at=NOW,
            )
    return ids


def _marked(value: str) -> str:
    """A value from before sealing, as migrations 0012 and 0016 leave it until it is sealed."""
    return "p1." + json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _rows(conn, sql: str) -> list[tuple]:
    return [tuple(row) for row in conn.execute(text(sql))]


def test_existing_rows_are_converted_and_nothing_else_is_lost(empty_url):
    engine = make_engine(empty_url)
    try:
        before = _before(engine)
        upgrade_schema(engine, before)
        ids = _fill(engine)
        upgrade_schema(engine)
        mira, helle = ids["mira"], ids["helle"]
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1, "turned on again after migrating"
            assert _rows(conn, "SELECT id, reported_id FROM report ORDER BY id") == [
                (ids["report"], helle),
                (ids["ghost_report"], None),
            ]
            # Later migrations (0016) mark what was written before sealing; its owners' logins seal it.
            assert _rows(conn, "SELECT report_id, sender_id, body FROM report_item ORDER BY id") == [
                (ids["report"], helle, _marked("unkind")),
                (ids["report"], mira, _marked("mine")),
            ]
            assert _rows(conn, "SELECT actor_id FROM access_event ORDER BY id") == [(helle,), (None,), (mira,)]
            assert _rows(conn, "SELECT sender_id, body FROM message ORDER BY id") == [
                (mira, _marked("hello")),
                (helle, _marked("hi back")),
            ]
            assert _rows(conn, "SELECT count(*) FROM alert_delivery") == [(1,)]
        columns = {c["name"]: c for c in inspect(engine).get_columns("contact")}
        assert columns["other_id"]["nullable"]
        with engine.begin() as conn:
            conn.execute(text('DELETE FROM "user" WHERE id = :id'), {"id": helle})
        with engine.connect() as conn:
            assert _rows(conn, "SELECT other_id FROM contact") == [(None,)]
            assert _rows(conn, "SELECT sender_id, body FROM message ORDER BY id") == [
                (mira, _marked("hello")),
                (None, _marked("hi back")),
            ]
            assert _rows(conn, "SELECT reported_id FROM report ORDER BY id") == [(None,), (None,)]
            assert _rows(conn, "SELECT body FROM report_item") == [(_marked("mine"),)]
            assert _rows(conn, "SELECT actor_id FROM access_event ORDER BY id") == [(None,), (None,), (mira,)]
        upgrade_schema_down(engine, before)
        with engine.connect() as conn:
            assert _rows(conn, "SELECT count(*) FROM contact") == [(0,)]
            assert _rows(conn, "SELECT sender FROM report_item") == [("mira",)]
            assert _rows(conn, "SELECT actor FROM access_event ORDER BY id") == [("",), ("",), ("mira",)]
        upgrade_schema(engine)
    finally:
        engine.dispose()


def upgrade_schema_down(engine, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)
