"""The databases a benchmark runs on: a new SQLite file, and a throw-away PostgreSQL database
when a server URL is given (made, migrated, and dropped afterwards)."""

from __future__ import annotations

import secrets
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from extensions import make_engine, upgrade_schema  # noqa: E402


def each_database(postgres_url: str = "") -> Iterator[tuple[str, object]]:
    """(label, engine) for SQLite, then PostgreSQL if a URL is given; each at the newest schema."""
    targets = [("SQLite", f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}", None)]
    if postgres_url:
        admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
        name = f"nara_bench_{secrets.token_hex(4)}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        targets.append(("PostgreSQL", make_url(postgres_url).set(database=name).render_as_string(False), (admin, name)))
    for label, url, drop in targets:
        engine = make_engine(url)
        try:
            upgrade_schema(engine)
            yield label, engine
        finally:
            engine.dispose()
            if drop:
                admin, name = drop
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
