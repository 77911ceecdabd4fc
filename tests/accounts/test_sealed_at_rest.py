"""What a person writes is sealed at rest, by their own key:
- the raw database (SQLite's file and its write-ahead log; a pg_dump of PostgreSQL) holds
  a marker typed through the diary's forms nowhere, not even a part of it;
- a changed byte in a sealed value gives a clear page, never a 500 and never empty text;
- a session's key ends with the session; a second device has its own.
"""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import text
from sqlmodel import select

from tests.at_rest import marker_pieces_in, pg_dump, sqlite_files
from tests.conftest import csrf_token, login, make_user, post
from tests.formwalk import Walk, walk

DIARY_FORMS = ["/today", "/diary/new", "/goals/new", "/next-steps/new", "/push/reminders/new", "/diary"]
# What is sealed so far: the diary, check-ins, goals, next steps and reminders. Messages,
# contacts, alerts and the person's own lock-screen texts are listed in docs/privacy.md as
# not sealed yet; when they are, their pages join this walk.
SEALED_PAGES = ("/today", "/diary", "/goals", "/next-steps", "/push/reminders", "/checkin")


def _write_everywhere(app, marker: str) -> None:
    user_id, _ = make_user(app, "mira")
    client = app.test_client()
    login(client, "mira")
    done = Walk()
    token = csrf_token(client)
    for _round in range(2):  # the second round reaches the pages the first one made (a goal, an entry)
        walk(client, DIARY_FORMS, marker, token, max_pages=60, walk_result=done, only=SEALED_PAGES)
    assert not done.server_errors, done.server_errors
    page = client.get("/diary").get_data(as_text=True)
    assert marker in page, "the marker went in, and the person reads it back"
    assert len({a.split("?")[0] for a, status in done.sent if status in (200, 201, 302)}) >= 5


def test_a_marker_written_through_the_diary_is_nowhere_in_the_sqlite_files(app):
    from extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("the files on disk are SQLite's")
    marker = "Qz" + secrets.token_hex(8)
    _write_everywhere(app, marker)
    files = sqlite_files(db.engine)
    assert db.engine.url.database in files
    assert not {name: marker_pieces_in(marker, raw) for name, raw in files.items() if marker_pieces_in(marker, raw)}


def test_a_marker_written_through_the_diary_is_nowhere_in_a_pg_dump(app):
    from extensions import db

    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_dump is PostgreSQL's")
    marker = "Qz" + secrets.token_hex(8)
    _write_everywhere(app, marker)
    out = pg_dump(db.engine)
    assert b"diary_entry" in out and b"s1.u" in out
    assert not marker_pieces_in(marker, out)


def _entry(app, client) -> int:
    answer = post(client, "/diary/new", {"text": "A walk by the water", "mood": "4"})
    assert answer.status_code == 302
    from extensions import db

    with app.app_context():
        return db.session.execute(text("SELECT max(id) FROM diary_entry")).scalar()


@pytest.mark.parametrize("where", ["middle", "prefix", "key"])
def test_a_changed_byte_gives_a_clear_page_never_empty_text(app, where):
    from extensions import db

    make_user(app, "mira")
    client = app.test_client()
    login(client, "mira")
    entry_id = _entry(app, client)
    with app.app_context():
        stored = db.session.execute(text("SELECT text FROM diary_entry WHERE id = :id"), {"id": entry_id}).scalar()
        at = {"middle": len(stored) - 10, "prefix": 0, "key": 4}[where]
        changed = stored[:at] + ("A" if stored[at] != "A" else "B") + stored[at + 1 :]
        db.session.execute(text("UPDATE diary_entry SET text = :t WHERE id = :id"), {"t": changed, "id": entry_id})
        db.session.commit()
    for url in (f"/diary/{entry_id}", "/diary"):
        page = client.get(url)
        body = page.get_data(as_text=True)
        assert page.status_code == 409, (url, page.status_code)
        assert "This could not be opened" in body
        assert "Traceback" not in body and "SealBroken" not in body


def test_each_device_has_its_own_key_and_logging_out_everywhere_ends_them(app):
    from sqlmodel import select

    from accounts.models import SessionKey
    from extensions import db

    make_user(app, "mira")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "mira")
    login(laptop, "mira")
    entry_id = _entry(app, phone)
    assert "A walk by the water" in laptop.get(f"/diary/{entry_id}").get_data(as_text=True)
    with app.app_context():
        assert len(db.session.exec(select(SessionKey)).all()) == 2
    post(phone, "/logout")  # logging out ends every session and its key
    with app.app_context():
        assert db.session.exec(select(SessionKey)).all() == []
    answer = laptop.get(f"/diary/{entry_id}")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_password_change_and_reset_rewrap_the_same_key_and_a_spent_code_opens_nothing(session):
    from accounts import keys, service
    from accounts.models import RecoveryCode
    from accounts.sealing import SealBroken
    from tests.conftest import PASSWORD

    user, codes = service.sign_up(session, "mira", PASSWORD)
    data_key = keys.open_with_password(session, user.id, PASSWORD)
    service.change_password(session, user, PASSWORD, "a second long phrase here")
    assert keys.open_with_password(session, user.id, "a second long phrase here") == data_key
    with pytest.raises(SealBroken):  # the old password's wrapping is gone
        keys.open_with_password(session, user.id, PASSWORD)
    service.reset_with_code(session, "mira", codes[0], "a third long phrase, fine")
    assert keys.open_with_password(session, user.id, "a third long phrase, fine") == data_key
    with pytest.raises(SealBroken):
        keys.open_with_password(session, user.id, "a second long phrase here")
    spent = [row for row in session.exec(select(RecoveryCode)).all() if row.used_at is not None]
    assert len(spent) == 1 and spent[0].wrapped_key is None and keys.open_with_code(spent[0], codes[0]) is None
    unused = [row for row in session.exec(select(RecoveryCode)).all() if row.used_at is None]
    assert {keys.open_with_code(row, code) for row, code in zip(unused, codes[1:], strict=True)} == {data_key}
    with pytest.raises(service.AccountError):
        service.reset_with_code(session, "mira", codes[0], "a fourth long phrase, fine")
