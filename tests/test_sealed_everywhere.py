"""A marker typed into every form of every role is nowhere in the raw database: not in
SQLite's file or its write-ahead log, not in a pg_dump of PostgreSQL (nor any part of it
longer than 8 characters). What stays readable by design is written by the forms skipped
here, each with its reason (docs/privacy.md has the list)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess

import pytest

from tests.conftest import csrf_token, login
from tests.formwalk import Walk, walk
from tests.test_access import HANDLES, build_people
from tests.test_words_stay_out import START

# Public by design: a peer supporter's profile and away note are shown to every client who
# looks for support, and the help directory is the organisation's public list of services.
PUBLIC_FORMS = ("/profile", "/inbox/availability", "/coordinator/help")


def _walk_everything(app) -> str:
    people = build_people(app)
    marker = "Qz" + secrets.token_hex(8)
    done = Walk()
    for role in ("client", "peer", "relative", "coordinator", "other_client", "peer_waiting"):
        client = app.test_client()
        login(client, HANDLES[role])
        token = csrf_token(client)
        extra = [
            f"/contacts/{people['contact']}",
            f"/goals/{people['goal']}",
            f"/diary/{people['entry']}/edit",
            f"/contacts/{people['contact']}/report",
            f"/diary/{people['entry']}/share",
        ]
        for _round in range(2):  # the second round sees the pages that now hold the marker
            walk(client, START + extra, marker, token, max_pages=90, walk_result=done, skip=PUBLIC_FORMS)
    assert not done.server_errors, done.server_errors
    accepted = {action.split("?")[0] for action, status in done.sent if status in (200, 201, 302)}
    assert len(accepted) >= 25, sorted(accepted)
    owner = app.test_client()
    login(owner, HANDLES["client"])
    assert marker in owner.get("/diary").get_data(as_text=True), "the marker went in and reads back"
    return marker


def _found(marker: str, raw: bytes) -> list[bytes]:
    parts = {marker[i:j] for i in range(len(marker)) for j in range(i + 9, len(marker) + 1)}
    return [p for p in {*(x.encode() for x in parts), *(x.encode("utf-16-le") for x in parts)} if p in raw]


def test_the_sqlite_file_and_its_log_hold_no_marker(app):
    from extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("the files on disk are SQLite's")
    marker = _walk_everything(app)
    path = db.engine.url.database
    files = {name: open(name, "rb").read() for name in (path, path + "-wal") if os.path.exists(name)}
    assert path in files
    assert not {name: _found(marker, raw) for name, raw in files.items() if _found(marker, raw)}


def test_a_pg_dump_holds_no_marker(app):
    from extensions import db

    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_dump is PostgreSQL's")
    dump = shutil.which("pg_dump")
    assert dump, "pg_dump is needed (Debian's postgresql-client)"
    marker = _walk_everything(app)
    url = db.engine.url
    out = subprocess.run(
        [
            dump,
            "-h",
            url.host or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
            url.database,
        ],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    assert b"s1.u" in out
    assert not _found(marker, out)
