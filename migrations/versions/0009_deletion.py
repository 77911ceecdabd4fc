"""deletion: a deleted account leaves no handle or words in others' rows; the client's side stays

- contact.other_id and message.sender_id: nullable, ON DELETE SET NULL (the client keeps
  the conversation with "a deleted account"; contact.client_id still cascades).
- report.reported_handle -> reported_id (SET NULL); report_item.sender -> sender_id
  (CASCADE: a quote goes with the account that wrote it).
- access_event.actor -> actor_id (SET NULL).

Handles are turned into ids where an account with that handle existed when the row was
written; otherwise the id is NULL, and report items quoting a gone account are deleted.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Names SQLite's unnamed foreign keys while a table is rebuilt, so the old one can be dropped.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}

user = sa.table(
    "user",
    sa.column("id", sa.Integer),
    sa.column("handle", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _user_fk_name(table: str, column: str) -> str | None:
    for fk in sa.inspect(op.get_bind()).get_foreign_keys(table):
        if fk["referred_table"] == "user" and fk["constrained_columns"] == [column]:
            return fk["name"] or f"fk_{table}_{column}_user"
    return None


def _repoint(table: str, column: str, ondelete: str, nullable: bool) -> None:
    """Give a column pointing at user a new ON DELETE rule (and nullability)."""
    old = _user_fk_name(table, column)
    with op.batch_alter_table(table, naming_convention=NAMING) as batch_op:
        if old:
            batch_op.drop_constraint(old, type_="foreignkey")
        batch_op.alter_column(column, existing_type=sa.Integer(), nullable=nullable)
        batch_op.create_foreign_key(f"fk_{table}_{column}_user", "user", [column], ["id"], ondelete=ondelete)


def _add_user_column(table: str, column: str, ondelete: str) -> None:
    with op.batch_alter_table(table, naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
        batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)
        batch_op.create_foreign_key(f"fk_{table}_{column}_user", "user", [column], ["id"], ondelete=ondelete)


def _drop_user_column(table: str, column: str) -> None:
    with op.batch_alter_table(table, naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint(f"fk_{table}_{column}_user", type_="foreignkey")
        batch_op.drop_index(f"ix_{table}_{column}")
        batch_op.drop_column(column)


def _id_of(handle, written_at):
    """The account that had this handle when the row was written, if it still exists."""
    return (
        sa.select(user.c.id).where(user.c.handle == handle, user.c.created_at <= written_at).limit(1).scalar_subquery()
    )


def _handle_of(user_id):
    return sa.func.coalesce(sa.select(user.c.handle).where(user.c.id == user_id).scalar_subquery(), "")


def upgrade() -> None:
    _repoint("contact", "other_id", "SET NULL", True)
    _repoint("message", "sender_id", "SET NULL", True)

    _add_user_column("report", "reported_id", "SET NULL")
    report = sa.table(
        "report",
        sa.column("reported_id", sa.Integer),
        sa.column("reported_handle", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.execute(report.update().values(reported_id=_id_of(report.c.reported_handle, report.c.created_at)))
    with op.batch_alter_table("report", naming_convention=NAMING) as batch_op:
        batch_op.drop_column("reported_handle")

    _add_user_column("report_item", "sender_id", "CASCADE")
    item = sa.table(
        "report_item",
        sa.column("sender_id", sa.Integer),
        sa.column("sender", sa.String),
        sa.column("sent_at", sa.DateTime(timezone=True)),
    )
    op.execute(item.update().values(sender_id=_id_of(item.c.sender, item.c.sent_at)))
    op.execute(item.delete().where(item.c.sender_id.is_(None)))
    with op.batch_alter_table("report_item", naming_convention=NAMING) as batch_op:
        batch_op.alter_column("sender_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("sender")

    _add_user_column("access_event", "actor_id", "SET NULL")
    event = sa.table(
        "access_event",
        sa.column("actor_id", sa.Integer),
        sa.column("actor", sa.String),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    op.execute(event.update().values(actor_id=_id_of(event.c.actor, event.c.at)))
    with op.batch_alter_table("access_event", naming_convention=NAMING) as batch_op:
        batch_op.drop_column("actor")


def downgrade() -> None:
    # Before this revision a deleted account took rows with it; what only exists without it goes.
    event = sa.table("access_event", sa.column("actor_id", sa.Integer), sa.column("actor", sa.String))
    with op.batch_alter_table("access_event", naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column("actor", sa.String(length=64), nullable=True))
    op.execute(event.update().values(actor=_handle_of(event.c.actor_id)))
    with op.batch_alter_table("access_event", naming_convention=NAMING) as batch_op:
        batch_op.alter_column("actor", existing_type=sa.String(length=64), nullable=False)
    _drop_user_column("access_event", "actor_id")

    item = sa.table("report_item", sa.column("sender_id", sa.Integer), sa.column("sender", sa.String))
    with op.batch_alter_table("report_item", naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column("sender", sa.String(length=64), nullable=True))
    op.execute(item.update().values(sender=_handle_of(item.c.sender_id)))
    with op.batch_alter_table("report_item", naming_convention=NAMING) as batch_op:
        batch_op.alter_column("sender", existing_type=sa.String(length=64), nullable=False)
    _drop_user_column("report_item", "sender_id")

    report = sa.table("report", sa.column("reported_id", sa.Integer), sa.column("reported_handle", sa.String))
    with op.batch_alter_table("report", naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column("reported_handle", sa.String(length=64), nullable=True))
    op.execute(report.update().values(reported_handle=_handle_of(report.c.reported_id)))
    with op.batch_alter_table("report", naming_convention=NAMING) as batch_op:
        batch_op.alter_column("reported_handle", existing_type=sa.String(length=64), nullable=False)
    _drop_user_column("report", "reported_id")

    contact = sa.table("contact", sa.column("id", sa.Integer), sa.column("other_id", sa.Integer))
    gone = sa.select(contact.c.id).where(contact.c.other_id.is_(None))
    for child in ("message", "alert_delivery", "entry_share", "goal_share"):
        table = sa.table(child, sa.column("contact_id", sa.Integer))
        op.execute(table.delete().where(table.c.contact_id.in_(gone)))
    message = sa.table("message", sa.column("sender_id", sa.Integer))
    op.execute(message.delete().where(message.c.sender_id.is_(None)))
    op.execute(contact.delete().where(contact.c.other_id.is_(None)))
    _repoint("message", "sender_id", "CASCADE", False)
    _repoint("contact", "other_id", "CASCADE", False)
