"""people: peer profiles, contacts, messages, alerts, sharing, access log, reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 08:12:29.788211
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("what", sa.String(length=16), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("access_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_event_user_id"), ["user_id"], unique=False)

    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("request_note", sa.String(length=500), nullable=False),
        sa.Column("alerts", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.Integer(), nullable=True),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["other_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_other_id"), ["other_id"], unique=False)

    op.create_table(
        "peer_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("about", sa.String(length=1500), nullable=False),
        sa.Column("topics", sa.String(length=400), nullable=False),
        sa.Column("gender", sa.String(length=16), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("hours", sa.String(length=200), nullable=False),
        sa.Column("taking_new", sa.Boolean(), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("away_note", sa.String(length=200), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("peer_profile", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_peer_profile_user_id"), ["user_id"], unique=True)

    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reported_handle", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_user_id"), ["user_id"], unique=False)

    op.create_table(
        "support_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("support_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_alert_client_id"), ["client_id"], unique=False)

    op.create_table(
        "alert_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["support_alert.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("alert_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_delivery_alert_id"), ["alert_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_delivery_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_delivery_user_id"), ["user_id"], unique=False)

    op.create_table(
        "entry_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entry_id"], ["diary_entry.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("entry_share", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_share_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entry_share_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entry_share_user_id"), ["user_id"], unique=False)

    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=4000), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sender_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index("ix_message_contact_id_id", ["contact_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_message_sender_id"), ["sender_id"], unique=False)

    op.create_table(
        "report_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("body", sa.String(length=4000), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("report_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_item_report_id"), ["report_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_item_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_item_user_id"))
        batch_op.drop_index(batch_op.f("ix_report_item_report_id"))

    op.drop_table("report_item")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_sender_id"))
        batch_op.drop_index("ix_message_contact_id_id")

    op.drop_table("message")
    with op.batch_alter_table("entry_share", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_share_user_id"))
        batch_op.drop_index(batch_op.f("ix_entry_share_entry_id"))
        batch_op.drop_index(batch_op.f("ix_entry_share_contact_id"))

    op.drop_table("entry_share")
    with op.batch_alter_table("alert_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_delivery_user_id"))
        batch_op.drop_index(batch_op.f("ix_alert_delivery_contact_id"))
        batch_op.drop_index(batch_op.f("ix_alert_delivery_alert_id"))

    op.drop_table("alert_delivery")
    with op.batch_alter_table("support_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_alert_client_id"))

    op.drop_table("support_alert")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_user_id"))

    op.drop_table("report")
    with op.batch_alter_table("peer_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_peer_profile_user_id"))

    op.drop_table("peer_profile")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_other_id"))
        batch_op.drop_index(batch_op.f("ix_contact_client_id"))

    op.drop_table("contact")
    with op.batch_alter_table("access_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_event_user_id"))
        batch_op.drop_index(batch_op.f("ix_access_event_at"))

    op.drop_table("access_event")
