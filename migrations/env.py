"""Alembic environment: the engine comes from the app (or the caller), the tables from
every package's models."""

from alembic import context
from sqlmodel import SQLModel

import accounts.models  # noqa: F401  (each package's tables register on import)
import diary.models  # noqa: F401
import help.models  # noqa: F401
import peer.models  # noqa: F401
import push.models  # noqa: F401
import supply.models  # noqa: F401

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from app import create_app  # only when alembic is run by hand
        from extensions import db

        create_app()
        engine = db.engine
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by dropping it; with foreign keys on, SQLite would
            # first delete, through ON DELETE CASCADE, every row pointing at it (a contact's
            # messages). Off while migrating (SQLite honours it only outside a transaction,
            # so before anything else), then checked and on again.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            context.configure(
                connection=connection, target_metadata=target_metadata, render_as_batch=sqlite, compare_type=True
            )
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
        if sqlite and broken:
            raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")


run_migrations_online()
