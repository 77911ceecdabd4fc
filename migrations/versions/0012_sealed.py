"""sealed data: each person's keys, and every column that says something about a person
becomes text that holds a sealed value

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 03:00:00

The values already there cannot be sealed here: only their owner's password opens the key
that will seal them. They are marked "p1.<json>" (read as they are) and sealed at the
owner's next login; `flask privacy status` counts what is still waiting.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

PLAIN = "p1."

# table -> {column: its type before sealing}; docs/privacy.md lists why each is sealed.
SEALED = {
    "diary_entry": {"mood": sa.Integer(), "text": sa.String(10000)},
    "entry_answer": {"text": sa.String(2000)},
    "entry_strength": {"name": sa.String(40), "name_key": sa.String(80)},
    "goal": {"kind": sa.String(16), "area": sa.String(16), "title": sa.String(120), "why": sa.String(2000)},
    "goal_step": {"text": sa.String(200)},
    "goal_check_in": {"outcome": sa.String(16), "note": sa.String(1000)},
    "daily_check_in": {
        "mood": sa.Integer(),
        "craving": sa.Integer(),
        "sleep": sa.String(8),
        "use": sa.String(8),
        "good_thing": sa.String(500),
    },
    "next_step": {
        "kind": sa.String(16),
        "title": sa.String(120),
        "who": sa.String(200),
        "phone": sa.String(30),
        "note": sa.String(1000),
    },
    "reminder": {"title": sa.String(80)},
}
NOT_NULL_BEFORE = {
    ("entry_answer", "text"),
    ("entry_strength", "name"),
    ("entry_strength", "name_key"),
    ("goal", "kind"),
    ("goal", "title"),
    ("goal", "why"),
    ("goal_step", "text"),
    ("goal_check_in", "outcome"),
    ("goal_check_in", "note"),
    ("daily_check_in", "mood"),
    ("daily_check_in", "craving"),
    ("daily_check_in", "sleep"),
    ("daily_check_in", "good_thing"),
    ("diary_entry", "text"),
    ("next_step", "kind"),
    ("next_step", "title"),
    ("next_step", "who"),
    ("next_step", "phone"),
    ("next_step", "note"),
    ("reminder", "title"),
}


def _rewrite(table: str, columns, change) -> None:
    conn = op.get_bind()
    names = list(columns)
    quoted = ", ".join(f'"{name}"' for name in names)
    rows = conn.execute(sa.text(f'SELECT id, {quoted} FROM "{table}"')).all()
    setter = ", ".join(f'"{name}" = :{name}' for name in names)
    update = sa.text(f'UPDATE "{table}" SET {setter} WHERE id = :id')
    for row in rows:
        values = {name: change(table, name, value) for name, value in zip(names, row[1:], strict=True)}
        conn.execute(update, {"id": row[0], **values})


def _mark(table: str, name: str, value):
    return None if value is None else PLAIN + json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _unmark(table: str, name: str, value):
    return None if value is None else json.loads(value[len(PLAIN) :])


def _drop_sealed_rows(table: str, columns) -> None:
    """Going down loses what was sealed: the release before cannot open it, and nothing here
    holds the keys. Rows with a sealed value go, and so does what hangs on them."""
    sealed = " OR ".join(f"\"{name}\" LIKE 's1.%'" for name in columns)
    op.execute(f'DELETE FROM "{table}" WHERE {sealed}')


def _drop_orphans() -> None:
    """What ON DELETE would have done, where the database did not (SQLite while migrating)."""
    inspector = sa.inspect(op.get_bind())
    changed = True
    while changed:
        changed = False
        for table in inspector.get_table_names():
            for fk in inspector.get_foreign_keys(table):
                (column,), (target_column,) = fk["constrained_columns"], fk["referred_columns"]
                missing = (
                    f'"{column}" IS NOT NULL AND "{column}" NOT IN '
                    f'(SELECT "{target_column}" FROM "{fk["referred_table"]}")'
                )
                if (fk.get("options") or {}).get("ondelete", "").upper() == "SET NULL":
                    statement = f'UPDATE "{table}" SET "{column}" = NULL WHERE {missing}'
                else:
                    statement = f'DELETE FROM "{table}" WHERE {missing}'
                changed |= op.get_bind().execute(sa.text(statement)).rowcount > 0


def upgrade() -> None:
    op.create_table(
        "user_key",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kdf", sa.String(80), nullable=False),
        sa.Column("by_password", sa.String(200), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("private_sealed", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "session_key",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sealed_key", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_session_key_user_id", "session_key", ["user_id"])
    with op.batch_alter_table("recovery_code") as batch:
        batch.add_column(sa.Column("wrapped_key", sa.String(200), nullable=True))
        batch.add_column(sa.Column("kdf", sa.String(80), nullable=True))
    op.drop_index("ix_entry_strength_name_key", table_name="entry_strength")  # a sealed value has no order
    for table, columns in SEALED.items():
        with op.batch_alter_table(table) as batch:
            for name, before in columns.items():
                batch.alter_column(name, type_=sa.Text(), existing_type=before, nullable=True)
        _rewrite(table, columns, _mark)


def downgrade() -> None:
    for table, columns in SEALED.items():
        _drop_sealed_rows(table, columns)
    _drop_orphans()
    for table, columns in SEALED.items():
        _rewrite(table, columns, _unmark)
        with op.batch_alter_table(table) as batch:
            for name, before in columns.items():
                batch.alter_column(
                    name,
                    type_=before,
                    existing_type=sa.Text(),
                    nullable=(table, name) not in NOT_NULL_BEFORE,
                    postgresql_using=f'"{name}"::integer' if isinstance(before, sa.Integer) else None,
                )
    op.create_index("ix_entry_strength_name_key", "entry_strength", ["name_key"])
    with op.batch_alter_table("recovery_code") as batch:
        batch.drop_column("kdf")
        batch.drop_column("wrapped_key")
    op.drop_index("ix_session_key_user_id", table_name="session_key")
    op.drop_table("session_key")
    op.drop_table("user_key")
