"""Reading the database as a thief would: SQLite's files as bytes, PostgreSQL as a pg_dump;
and looking for a marker, or any part of it longer than 8 characters, in them."""

from __future__ import annotations

import os
import shutil
import subprocess


def marker_pieces_in(marker: str, raw: bytes) -> list[bytes]:
    parts = {marker[i:j] for i in range(len(marker)) for j in range(i + 9, len(marker) + 1)}
    encoded = {*(part.encode() for part in parts), *(part.encode("utf-16-le") for part in parts)}
    return sorted(piece for piece in encoded if piece in raw)


def sqlite_files(engine) -> dict[str, bytes]:
    """The database file and its write-ahead log, as bytes."""
    path = engine.url.database
    return {name: open(name, "rb").read() for name in (path, path + "-wal") if os.path.exists(name)}


def pg_dump(engine) -> bytes:
    dump = shutil.which("pg_dump")
    assert dump, "pg_dump is needed (Debian's postgresql-client)"
    url = engine.url
    command = [dump, "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    return subprocess.run([*command, url.database], capture_output=True, check=True, timeout=120).stdout
