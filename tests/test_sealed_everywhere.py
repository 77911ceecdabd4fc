"""A marker typed into every form of every role is nowhere in the raw database: not in
SQLite's file or its write-ahead log, not in a pg_dump of PostgreSQL (nor any part of it
longer than 8 characters). What stays readable by design is written by the forms skipped
here, each with its reason (docs/privacy.md has the list)."""

from __future__ import annotations

import secrets

import pytest

from tests.at_rest import marker_pieces_in, pg_dump, sqlite_files
from tests.conftest import login
from tests.test_access import HANDLES
from tests.test_words_stay_out import walk_every_role

# Public by design: a peer supporter's profile and away note are shown to every client who
# looks for support, the help directory is the organisation's public list of services, and a
# drug-supply warning is public information for everyone.
PUBLIC_FORMS = ("/profile", "/inbox/availability", "/coordinator/help", "/coordinator/warnings")


def _walk_everything(app) -> str:
    marker = "Qz" + secrets.token_hex(8)
    done = walk_every_role(app, marker, skip=PUBLIC_FORMS)
    assert not done.server_errors, done.server_errors
    accepted = {action.split("?")[0] for action, status in done.sent if status in (200, 201, 302)}
    assert len(accepted) >= 25, sorted(accepted)
    owner = app.test_client()
    login(owner, HANDLES["client"])
    assert marker in owner.get("/diary").get_data(as_text=True), "the marker went in and reads back"
    # The peer supporter's private note (sealed by their own key) is among what was written.
    notes = sorted({action for action in accepted if action.endswith("/note")})
    assert notes, sorted(accepted)
    peer = app.test_client()
    login(peer, HANDLES["peer"])
    assert marker in peer.get(notes[0].removesuffix("/note")).get_data(as_text=True), "the note reads back"
    return marker


def test_the_sqlite_file_and_its_log_hold_no_marker(app):
    from extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("the files on disk are SQLite's")
    marker = _walk_everything(app)
    files = sqlite_files(db.engine)
    assert db.engine.url.database in files
    assert not {name: marker_pieces_in(marker, raw) for name, raw in files.items() if marker_pieces_in(marker, raw)}


def test_a_pg_dump_holds_no_marker(app):
    from extensions import db

    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_dump is PostgreSQL's")
    marker = _walk_everything(app)
    out = pg_dump(db.engine)
    assert b"s1.u" in out
    assert not marker_pieces_in(marker, out)
