"""A database of the release before sealing, with a year of a person's diary, check-ins,
goals, next steps and reminders, is upgraded: nothing is readable in it that was not
before, the person logs in, every row is sealed (`flask privacy status` says so) and
reads back the same. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import MetaData, text
from sqlmodel import select

from accounts import passwords
from extensions import make_engine, upgrade_schema
from tests.conftest import FAST_ARGON2, PASSWORD, post
from tests.test_migration_deletion import _insert, _user, empty_url  # noqa: F401  (a fixture)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
DAYS = 365


def _previous_release(engine) -> dict:
    """What 0011 held: plain text and numbers, made with plain SQL as that release wrote it."""
    upgrade_schema(engine, "0011")
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    rng = random.Random(7)
    words = {}
    with engine.begin() as conn:
        user = {**_user("mira"), "password_hash": passwords.hash_password(PASSWORD)}
        mira = _insert(conn, t, "user", **user)
        _insert(conn, t, "recovery_code", user_id=mira, code_hash="0" * 64, created_at=NOW)
        goal = _insert(
            conn, t, "goal", user_id=mira, kind="less", area=None, title="Fewer days ✨", why="För Ella", status="active",
            created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        _insert(conn, t, "goal_step", goal_id=goal, user_id=mira, text="Ring Jonas", position=0)
        for n in range(DAYS):
            day = date(2025, 11, 21) + timedelta(days=n)
            at = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=20)
            entry_text = f"Dag {n}: ute och gick, هادئ 🌿 {rng.random():.6f}"
            entry = _insert(
                conn, t, "diary_entry", user_id=mira, written_at=at, day=day, mood=rng.randint(1, 5) if n % 9 else None,
                text=entry_text, updated_at=at,
            )  # fmt: skip
            words[entry] = entry_text
            _insert(conn, t, "entry_answer", entry_id=entry, user_id=mira, prompt="proud", text=f"Stolt {n}")
            conn.execute(
                t["entry_strength"].insert().values(entry_id=entry, user_id=mira, name="Tålamod", name_key="tålamod")
            )
            _insert(
                conn, t, "daily_check_in", user_id=mira, day=day, mood=rng.randint(1, 5), craving=rng.randint(0, 10),
                sleep="ok", use=None if n % 4 else "less", good_thing=f"Kaffe {n}", created_at=at, updated_at=at,
            )  # fmt: skip
            if n % 7 == 0:
                _insert(
                    conn, t, "goal_check_in", goal_id=goal, user_id=mira, day=day, outcome="planned", note=f"Vecka {n}",
                    created_at=at,
                )  # fmt: skip
        _insert(
            conn, t, "next_step", user_id=mira, kind="appointment", title="Läkartid", when_local="2027-01-10T09:30",
            who="Dr. Berg", phone="08-123 45", note="Ta med papper", created_at=NOW,
        )  # fmt: skip
        _insert(
            conn, t, "reminder", user_id=mira, kind="medicine", title="Medicin", times="08:00", weekdays="",
            time_zone="UTC", active=True, created_at=NOW,
        )  # fmt: skip
    return {"user": mira, "entries": words}


def _raw(engine, table: str, column: str) -> list:
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(text(f'SELECT "{column}" FROM "{table}" ORDER BY id'))]


def test_a_year_from_the_release_before_is_sealed_at_the_next_login(empty_url, tmp_path):  # noqa: F811
    passwords.configure(1, 1024, 1)
    engine = make_engine(empty_url)
    try:
        before = _previous_release(engine)
        upgrade_schema(engine)
        # Upgraded, but not yet sealed: every value is marked as from before, and counted.
        assert all(value.startswith("p1.") for value in _raw(engine, "diary_entry", "text"))
    finally:
        engine.dispose()

    from app import create_app
    from extensions import db

    app = create_app(
        {"TESTING": True, "DATABASE_URL": empty_url, "RATELIMIT_ENABLED": False, **FAST_ARGON2},
        instance_path=str(tmp_path / "instance"),
    )
    runner = app.test_cli_runner()
    waiting = runner.invoke(args=["privacy", "status"])
    assert waiting.exit_code == 0, waiting.output
    lines = {line.split()[0]: line for line in waiting.output.splitlines() if line.strip()}
    assert f"{DAYS} row(s) not sealed yet" in lines["diary_entry"], waiting.output
    assert "1 without keys yet" in lines["accounts"]
    assert "Waiting for logins." in waiting.output

    client = app.test_client()
    answer = post(client, "/login", {"handle": "mira", "password": PASSWORD})
    # Old recovery codes cannot open the new keys: new ones are shown once, at this login.
    assert answer.status_code == 200
    assert len(re.findall(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\b", answer.get_data(as_text=True))) == 8

    done = runner.invoke(args=["privacy", "status"])
    assert "All sealed." in done.output, done.output
    engine = make_engine(empty_url)
    try:
        for table, column in (
            ("diary_entry", "text"),
            ("diary_entry", "mood"),
            ("entry_answer", "text"),
            ("entry_strength", "name"),
            ("daily_check_in", "use"),
            ("goal", "title"),
            ("next_step", "who"),
            ("reminder", "title"),
        ):
            values = _raw(engine, table, column)
            assert values and all(value.startswith(f"s1.u{before['user']}.") for value in values), (table, column)
    finally:
        engine.dispose()

    # It reads back the same, opened by the person's own session.
    with app.test_request_context():
        from accounts.sealing import current_keyring
        from diary.models import DailyCheckIn, DiaryEntry

        assert current_keyring().data_key(before["user"]) is None  # this context holds no key ...
    listing = client.get("/diary").get_data(as_text=True)
    newest = max(before["entries"])
    assert before["entries"][newest].split(",")[0] in listing
    with app.app_context():
        from accounts import service

        service.log_in(db.session, "mira", PASSWORD)  # ... a command that opens them does
        texts = {row.id: row.text for row in db.session.exec(select(DiaryEntry))}
        assert texts == before["entries"]
        uses = [row.use for row in db.session.exec(select(DailyCheckIn).order_by(DailyCheckIn.day))]
        assert uses == [None if n % 4 else "less" for n in range(DAYS)]
    db.engine.dispose()
