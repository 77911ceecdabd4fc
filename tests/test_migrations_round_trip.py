"""Every migration goes down and up again, one step at a time, on a database with rows in it.

Going down may lose data (a downgrade drops what its upgrade added), but no step may fail,
each step lands on the revision before (or after) it, base leaves no table behind, every
revision has the same schema on the way down as on the way up, and head matches the models.
Runs on SQLite and PostgreSQL, each on a throw-away database (empty_url)."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from extensions import alembic_config, make_engine, upgrade_schema
from tests.conftest import FAST_ARGON2, make_contact, make_diary, make_peer_profile, make_user
from tests.test_migration_deletion import empty_url  # noqa: F401  (a fixture: a new, empty database)

FILLED = (
    "user",
    "diary_entry",
    "goal",
    "goal_step",
    "goal_check_in",
    "contact",
    "message",
    "entry_share",
    "access_event",
    "report",
    "report_item",
)


def _current(engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _schema(engine) -> dict:
    """What a revision made, comparable across a round trip (names, types, keys, indexes)."""
    inspector = inspect(engine)
    shape = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        shape[table] = {
            "columns": sorted((c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)),
            "primary key": sorted(inspector.get_pk_constraint(table)["constrained_columns"]),
            "foreign keys": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    (fk.get("options") or {}).get("ondelete"),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (ix["name"], tuple(ix["column_names"]), bool(ix["unique"])) for ix in inspector.get_indexes(table)
            ),
            "unique": sorted(tuple(uq["column_names"]) for uq in inspector.get_unique_constraints(table)),
        }
    return shape


def _fill(url: str, instance: str) -> None:
    """A person with a diary entry, a goal with a step and a check-in, and a contact with
    messages, a shared entry a peer looked at and a report: made by the services."""
    from app import create_app
    from extensions import db

    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "RATELIMIT_ENABLED": False, **FAST_ARGON2}, instance_path=instance
    )  # create_app hands FAST_ARGON2 to accounts.passwords.configure
    try:
        mira_id, _codes = make_user(app, "mira")
        helle_id, _codes = make_user(app, "helle", role="peer", approved=True)
        make_peer_profile(app, helle_id)
        ids = make_diary(app, mira_id)
        contact_id = make_contact(app, mira_id, helle_id)
        with app.app_context():
            from accounts.models import User
            from diary import entries
            from peer import messages, reports, sharing
            from peer.models import Contact

            mira, helle = db.session.get(User, mira_id), db.session.get(User, helle_id)
            contact = db.session.get(Contact, contact_id)
            messages.send(db.session, mira, contact, "hello")
            unkind = messages.send(db.session, helle, contact, "hi back")
            sharing.set_entry_shares(db.session, mira, entries.get_entry(db.session, mira, ids["entry"]), {contact.id})
            sharing.view_shared_entry(db.session, contact, helle, ids["entry"])
            reports.report(db.session, mira, contact, helle, {unkind.id}, "why")
            db.session.commit()
    finally:
        db.engine.dispose()  # nothing may hold a connection (or a lock) while the schema changes


def test_every_migration_goes_down_and_up_again_one_step_at_a_time(empty_url, tmp_path):  # noqa: F811
    engine = make_engine(empty_url)
    try:
        upgrade_schema(engine)
        _fill(empty_url, str(tmp_path / "instance"))
        with engine.connect() as conn:
            counts = {table: conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar() for table in FILLED}
        assert all(counts.values()), f"the services made no row in some table: {counts}"
        cfg = alembic_config(engine)
        script = ScriptDirectory.from_config(cfg)
        head = script.get_current_head()
        assert _current(engine) == head

        on_the_way_down = {}
        while (revision := _current(engine)) is not None:
            on_the_way_down[revision] = _schema(engine)
            try:
                command.downgrade(cfg, "-1")
            except Exception as error:
                raise AssertionError(f"the downgrade of migration {revision} fails: {error}") from error
            assert _current(engine) == script.get_revision(revision).down_revision
        assert _schema(engine) == {}, "at base no table of the project is left"
        assert set(on_the_way_down) == {r.revision for r in script.walk_revisions()}

        differs, above = [], {}
        while (revision := _current(engine)) != head:
            try:
                command.upgrade(cfg, "+1")
            except Exception as error:
                raise AssertionError(f"the upgrade after {revision} fails on the way back up: {error}") from error
            now = _current(engine)
            assert script.get_revision(now).down_revision == revision
            above[revision] = now
            schema = _schema(engine)
            if schema != on_the_way_down[now]:
                tables = sorted(
                    t
                    for t in schema.keys() | on_the_way_down[now].keys()
                    if schema.get(t) != on_the_way_down[now].get(t)
                )
                differs.append((now, tables))
        # A downgrade that does not undo its migration exactly leaves the schema of every
        # revision below it different too: the culprit is the one above the highest of them.
        if differs:
            lowest_good, tables = differs[-1]
            culprit = above.get(lowest_good, "(none: the difference reaches head)")
            raise AssertionError(
                f"the downgrade of migration {culprit} does not bring back the schema of "
                f"{lowest_good} exactly (tables {tables}); revisions that differ: "
                f"{[rev for rev, _tables in differs]}"
            )

        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
        assert diff == [], f"after the round trip the schema differs from the models: {diff}"
    finally:
        engine.dispose()
