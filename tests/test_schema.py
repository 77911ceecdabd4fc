"""The database: made by migrations only, matching the models, and with every table that
belongs to a person covered by export and by deletion."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import accounts.models  # noqa: F401
import diary.models  # noqa: F401
from accounts.exporting import covered_tables
from extensions import db


def test_migrations_build_exactly_the_models(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations differ; write a migration: {diff}"


def _user_owned_tables():
    for table in SQLModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "user":
                yield table, fk


def test_every_user_owned_table_is_exported(app):
    owned = {table.name for table, _ in _user_owned_tables()} | {"user"}
    missing = owned - covered_tables()
    assert not missing, f"no exporter covers {missing}: register one with accounts.exporting"


def test_every_user_owned_table_is_deleted_with_the_user(app):
    with app.app_context():
        inspector = inspect(db.engine)
        for table, fk in _user_owned_tables():
            found = [f for f in inspector.get_foreign_keys(table.name) if f["referred_table"] == "user"]
            assert found, table.name
            assert all((f.get("options") or {}).get("ondelete", "").upper() == "CASCADE" for f in found), table.name


def test_sqlite_runs_with_wal_foreign_keys_and_full_sync(app):
    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            return
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_a_row_in_every_user_owned_table_shows_up_in_the_export(app):
    """Not only named by an exporter: each table's rows really are in the file."""
    from accounts.exporting import export_user
    from accounts.models import User
    from tests.conftest import make_diary, make_user

    user_id, _ = make_user(app, "mira")
    make_diary(app, user_id)
    with app.app_context():
        from diary import checkins, entries

        user = db.session.get(User, user_id)
        entries.save_entry(db.session, user, mood=None, text="", answers={"handled": "yes"}, strengths=[])
        checkins.save_today(db.session, user, mood=3, craving=2, sleep="ok", use=None, good_thing="")
        exported = list(_dicts(export_user(db.session, user)))
        secret = {"password_hash", "session_token", "handle_key", "code_hash"}
        for table in [t for t, _fk in _user_owned_tables()] + [SQLModel.metadata.tables["user"]]:
            key = "id" if table.name == "user" else "user_id"
            rows = db.session.execute(table.select().where(table.c[key] == user_id)).mappings().all()
            assert rows, f"the test made no row in {table.name}; add one above"
            for row in rows:
                plain = {k: v for k, v in row.items() if k not in secret and isinstance(v, (int, str))}
                assert any(plain.items() <= d.items() for d in exported), f"{table.name} row {row['id']} is not exported"


def _dicts(value):
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _dicts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _dicts(inner)
