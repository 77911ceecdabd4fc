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
