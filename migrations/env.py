"""Alembic environment: the engine comes from the app (or the caller), the tables from
every package's models."""

from alembic import context
from sqlmodel import SQLModel

import accounts.models  # noqa: F401  (each package's tables register on import)
import diary.models  # noqa: F401
import peer.models  # noqa: F401
import push.models  # noqa: F401
import help.models  # noqa: F401

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
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
