"""sealed people: messages, notes and names between people become sealed text; each
conversation and each report gets keys of its own

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 07:00:00

The values already there are marked "p1.<json>" (read as they are), as 0012 did, and are
sealed at the next login of someone who holds their key. Each person alerted gets their
copy of an alert's note in alert_delivery.note (marked the same way).
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

PLAIN = "p1."

# table -> {column: its type before sealing}; docs/privacy.md lists why each is sealed.
# Every one of them was NOT NULL before.
SEALED = {
    "message": {"body": sa.String(4000)},
    "contact": {"request_note": sa.String(500), "label": sa.String(60)},
    "support_alert": {"note": sa.String(300)},
    "report": {"reason": sa.String(1000)},
    "report_item": {"body": sa.String(4000)},
    "invitation": {"label": sa.String(60)},
    "relative_note": {"text": sa.String(5000)},
}
SERVER_DEFAULT_BEFORE = {("contact", "label"): ""}  # from 0004


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
    return "" if value is None else json.loads(value[len(PLAIN) :])


def _copy_alert_notes() -> None:
    """Each delivery's copy of its alert's note, still plain (an empty note stays NULL)."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT d.id, a.note FROM alert_delivery d JOIN support_alert a ON a.id = d.alert_id "
            "WHERE a.note IS NOT NULL AND a.note <> ''"
        )
    ).all()
    update = sa.text("UPDATE alert_delivery SET note = :note WHERE id = :id")
    for delivery_id, note in rows:
        conn.execute(update, {"id": delivery_id, "note": _mark("alert_delivery", "note", note)})


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


def _key_table(name: str, parent: str) -> None:
    op.create_table(
        name,
        sa.Column(f"{parent}_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint([f"{parent}_id"], [f"{parent}.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint(f"{parent}_id", "user_id"),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_{parent}_id"), [f"{parent}_id"], unique=False)
        batch_op.create_index(batch_op.f(f"ix_{name}_user_id"), ["user_id"], unique=False)


def upgrade() -> None:
    _key_table("contact_key", "contact")
    _key_table("report_key", "report")
    with op.batch_alter_table("alert_delivery") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
    for table, columns in SEALED.items():
        with op.batch_alter_table(table) as batch:
            for name, before in columns.items():
                batch.alter_column(
                    name,
                    type_=sa.Text(),
                    existing_type=before,
                    nullable=True,
                    server_default=None,
                    existing_server_default=SERVER_DEFAULT_BEFORE.get((table, name)),
                )
        _rewrite(table, columns, _mark)
    _copy_alert_notes()


def downgrade() -> None:
    for table, columns in SEALED.items():
        _drop_sealed_rows(table, columns)
    _drop_orphans()
    with op.batch_alter_table("alert_delivery") as batch:
        batch.drop_column("note")
    for table, columns in SEALED.items():
        _rewrite(table, columns, _unmark)
        with op.batch_alter_table(table) as batch:
            for name, before in columns.items():
                batch.alter_column(
                    name,
                    type_=before,
                    existing_type=sa.Text(),
                    nullable=False,
                    server_default=SERVER_DEFAULT_BEFORE.get((table, name)),
                )
    for name, parent in (("report_key", "report"), ("contact_key", "contact")):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{name}_user_id"))
            batch_op.drop_index(batch_op.f(f"ix_{name}_{parent}_id"))
        op.drop_table(name)
