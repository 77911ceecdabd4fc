"""The SQLite files on disk: readable by their owner only, and holding no words of a deleted
account (neither in the database file nor in its write-ahead log)."""

import os
import stat
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from extensions import make_engine
from tests.conftest import PASSWORD, make_contact, make_peer_profile, make_user


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _sidecars(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm")]


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_database_file_and_its_wal_and_shm_are_the_owners_only(tmp_path, loose_umask):
    path = tmp_path / "new.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x TEXT)"))
            conn.execute(text("INSERT INTO t VALUES ('a')"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT x FROM t")).scalar() == "a"
            for file in _sidecars(path):
                assert file.exists(), file
                assert _mode(file) == 0o600, f"{file.name} is {oct(_mode(file))}"
    finally:
        engine.dispose()


def test_existing_database_files_are_made_the_owners_only_at_start(tmp_path, loose_umask):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x TEXT)"))
    engine.dispose()
    for file in _sidecars(path):
        file.touch()
        file.chmod(0o644)
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert [_mode(file) for file in _sidecars(path)] == [0o600] * 3
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0
    finally:
        engine.dispose()


def test_an_in_memory_database_still_works(loose_umask):
    engine = make_engine("sqlite://")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_every_connection_overwrites_what_it_deletes():
    """Some SQLite builds leave secure_delete off; the app turns it on whatever the build."""
    import sqlite3

    from extensions import _sqlite_pragmas

    connection = sqlite3.connect(":memory:")
    connection.execute("PRAGMA secure_delete=OFF")
    _sqlite_pragmas(connection, None)
    assert connection.execute("PRAGMA secure_delete").fetchone() == (1,)
    connection.close()


def test_a_deleted_accounts_words_are_nowhere_in_the_sqlite_files(app):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("the files on disk are SQLite's")
    from accounts import service
    from accounts.models import User
    from diary import entries
    from extensions import db
    from peer import messages
    from peer.models import Contact

    marker = f"erase-me-{uuid.uuid4().hex}"
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle)
    contact_id = make_contact(app, mira, helle)
    with app.app_context():
        session = db.session
        user = session.get(User, mira)
        entries.save_entry(session, user, mood=3, text=f"diary {marker}", answers={}, strengths=[])
        messages.send(session, user, session.get(Contact, contact_id), f"message {marker}")
        assert session.connection().exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        # Sealed, the words are not in the files even now; what is, is their sealed form.
        sealed = [
            session.connection().exec_driver_sql(sql).scalar().encode()
            for sql in ("SELECT text FROM diary_entry", "SELECT body FROM message")
        ]
    path = Path(make_url(app.config["DATABASE_URL"]).database)
    stored = b"".join(file.read_bytes() for file in _sidecars(path) if file.exists())
    assert all(value in stored for value in sealed), "the test wrote where it looks"
    assert marker.encode() not in stored
    with app.app_context():
        service.delete_account(db.session, db.session.get(User, mira), PASSWORD)
    for file in _sidecars(path):
        if file.exists():
            raw = file.read_bytes()
            assert marker.encode() not in raw, f"{file.name} holds the deleted words"
            assert not [value for value in sealed if value in raw], f"{file.name} still holds the deleted sealed words"
