"""The database: made by migrations only, matching the models, and with every table that
belongs to a person covered by export and by deletion."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import accounts.models  # noqa: F401
import diary.models  # noqa: F401
import help.models  # noqa: F401
import peer.models  # noqa: F401
import push.models  # noqa: F401
import stay.models  # noqa: F401
from accounts.exporting import covered_tables
from extensions import db


def test_migrations_build_exactly_the_models(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations differ; write a migration: {diff}"


# The deliberate exceptions to "a row pointing at a person is deleted with them": rows that
# belong to someone else and only name a person, who becomes "a deleted account" (NULL).
SET_NULL = {
    ("contact", "other_id"): "the client's side of a conversation stays when the peer supporter or relative "
    "deletes their account; the contact ends (contact.client_id still cascades)",
    ("message", "sender_id"): "the messages of that conversation stay in the client's history",
    ("report", "reported_id"): "a report stays with the coordinator; the reported person is a deleted account "
    "(their quoted messages go, through report_item.sender_id)",
    ("access_event", "actor_id"): "the client's log keeps that someone looked, not who, once they are gone",
    ("handover", "from_id"): "a handover belongs to the client's contact; the peer supporter who stepped back "
    "becomes a deleted account",
    ("handover", "to_id"): "the same, for the colleague suggested",
    ("handover", "proposed_by"): "the same, for who suggested it (the peer supporter or a coordinator)",
}
# Columns that name a person without the row being theirs to export: the rows go to the
# export of the person they belong to (the reporter, the owner of the log).
NOT_THEIRS = {
    ("report", "reported_id"): "telling the reported person about the report would expose the reporter",
    ("report_item", "sender_id"): "the same; the quoted message is in their own export as a message",
    ("access_event", "actor_id"): "the log belongs to the person whose things were looked at",
    ("handover", "to_id"): "the colleague is never told of a suggestion the client said no to",
    ("handover", "proposed_by"): "a coordinator sees handovers as counts only, never whose contact they were",
}
# Columns of a row in someone's export that stay out of it: they are another person's words.
OTHERS_WORDS = {
    ("contact", "other_id"): {"label"},  # the client's own name for a relative, sealed by the client's key
}
# Columns sealed by a key made from an invitation's code, which is kept nowhere: the export
# cannot open them (only the link the client sent does), so they stay out of it.
ONLY_THE_LINK_OPENS = {
    ("invitation", "user_id"): {"note", "from_name"},
}


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
            found = [
                f
                for f in inspector.get_foreign_keys(table.name)
                if f["referred_table"] == "user" and f["constrained_columns"] == [fk.parent.name]
            ]
            assert len(found) == 1, (table.name, fk.parent.name)
            ondelete = (found[0].get("options") or {}).get("ondelete", "").upper()
            if (table.name, fk.parent.name) in SET_NULL:
                assert ondelete == "SET NULL" and fk.parent.nullable, (table.name, fk.parent.name)
            else:
                assert ondelete == "CASCADE", (table.name, fk.parent.name)


def test_the_set_null_exceptions_are_exactly_the_listed_ones(app):
    found = {(table.name, fk.parent.name) for table, fk in _user_owned_tables() if fk.ondelete == "SET NULL"}
    assert found == set(SET_NULL)
    assert all(fk.ondelete in ("CASCADE", "SET NULL") for _table, fk in _user_owned_tables())


def test_sqlite_runs_with_wal_foreign_keys_and_full_sync(app):
    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            return
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_a_row_in_every_user_owned_table_shows_up_in_the_export(app):
    """Not only named by an exporter: each table's rows really are in the person's file."""
    from accounts.exporting import export_user
    from accounts.models import User
    from tests.conftest import make_contact, make_diary, make_peer_profile, make_user

    mira_id, _ = make_user(app, "mira")
    helle_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle_id)
    ids = make_diary(app, mira_id)
    contact_id = make_contact(app, mira_id, helle_id)
    with app.app_context():
        from diary import checkins, entries
        from peer import alerts, messages, reports, sharing
        from peer.models import Contact

        mira, helle = db.session.get(User, mira_id), db.session.get(User, helle_id)
        contact = db.session.get(Contact, contact_id)
        entries.save_entry(db.session, mira, mood=None, text="", answers={"handled": "yes"}, strengths=[])
        checkins.save_today(db.session, mira, mood=3, craving=2, sleep="ok", use=None, good_thing="")
        message = messages.send(db.session, helle, contact, "hello")
        sharing.set_entry_shares(db.session, mira, entries.get_entry(db.session, mira, ids["entry"]), {contact.id})
        sharing.view_shared_entry(db.session, contact, helle, ids["entry"])
        alerts.raise_alert(db.session, mira, "now")
        reports.report(db.session, mira, contact, helle, {message.id}, "why")
        from peer import handover

        ola_id, _ = make_user(app, "ola", role="peer", approved=True)
        make_peer_profile(app, ola_id, display_name="Ola")
        handover.propose(db.session, helle, contact, ola_id, "Goodbye")
        from peer import relatives

        _invitation, code = relatives.create_invitation(
            db.session, mira, label="Mum", share_checkin=True, goal_ids=[ids["goal"]], alerts=False, messaging=True
        )
        mum = db.session.get(User, make_user(app, "mum", role="relative")[0])
        relatives.accept_invitation(db.session, mum, code)
        relatives.add_note(db.session, mum, "mine")
        from push import outbox
        from push import service as push

        push.subscribe(db.session, mira, "https://93.184.215.14/1", "B" * 87, "A" * 22)
        push.save_settings(db.session, mira, quiet_start="22:00", quiet_end="07:00", show_more=False)
        push.save_reminder(db.session, mira, kind="diary", title="Write", times="20:00", weekdays=[], once_at=None)
        outbox.enqueue(db.session, mira.id, "message", "/contacts")
        db.session.commit()
        from diary import next_steps as steps

        steps.save_step(db.session, mira, kind="other", title="Call", when=None, who="", phone="", note="")
        from supply import service as supply

        supply.save_choice(db.session, mira, ["SE-M"], notify=True)
        from datetime import timedelta

        from extensions import utcnow
        from stay import service as stay

        started = utcnow() - timedelta(hours=1)
        stay.start(db.session, mira, minutes=10, contact_ids={contact.id}, note="Door code", now=started)
        stay.tick(db.session, started + timedelta(minutes=10))
        stay.tick(db.session, started + timedelta(minutes=13))
        from datetime import datetime

        from peer import release

        out = steps.save_step(
            db.session, mira, kind="after_prison", title="Out", when=datetime(2027, 3, 1), who="", phone="", note=""
        )
        release.save_plan(db.session, mira, out, checklist=["naloxone"], contact_id=contact.id, days=["1", "7"])
        from peer import notes_private

        notes_private.save(db.session, helle, contact, "Likes to talk in the evening")
        from peer import debrief

        debrief.ask(db.session, helle, "week", "phone")
        from meetings import along as meeting_along
        from meetings import service as meetings

        meeting_step = steps.save_step(
            db.session, mira, kind="appointment", title="Soc", when=datetime(2031, 3, 3, 10), who="", phone="", note=""
        )
        meeting = meetings.save_preparation(db.session, mira, meeting_step, kind="social", remind=True, say="Housing")
        meeting_along.ask(
            db.session,
            mira,
            meeting,
            meeting_step,
            contact_id=contact.id,
            place="Town hall",
            roles=["notes"],
            note="",
            share_prep=True,
        )

        from accounts import keys
        from accounts.sealing import current_keyring

        keys.start_session_key(db.session, mira.id, current_keyring().data_key(mira.id))
        db.session.commit()
        # Key material is never exported: the export names the keys, and says how they are kept.
        secret = {"password_hash", "session_token", "handle_key", "code_hash"}
        secret |= {"wrapped_key", "kdf", "by_password", "private_sealed", "sealed_key"}
        secret |= {"sealed"}  # a conversation's or a report's key (contact_key, report_key), sealed to the person
        filled = set()
        for user in (mira, helle, mum):
            exported = list(_dicts(export_user(db.session, user)))
            tables = [
                (t, fk.parent.name) for t, fk in _user_owned_tables() if (t.name, fk.parent.name) not in NOT_THEIRS
            ]
            tables += [(SQLModel.metadata.tables["user"], "id")]
            for table, column in tables:
                for row in db.session.execute(table.select().where(table.c[column] == user.id)).mappings():
                    filled.add(table.name)
                    left_out = secret | OTHERS_WORDS.get((table.name, column), set())
                    left_out |= ONLY_THE_LINK_OPENS.get((table.name, column), set())
                    plain = {k: v for k, v in row.items() if k not in left_out and isinstance(v, (int, str))}
                    assert any(plain.items() <= d.items() for d in exported), (
                        f"{table.name} row {dict(row)} is not in {user.handle}'s export"
                    )
        owned = {t.name for t, _fk in _user_owned_tables()}
        assert owned <= filled, f"the test made no row in {owned - filled}; add one above"


def _dicts(value):
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _dicts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _dicts(inner)
