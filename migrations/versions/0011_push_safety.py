"""push safety: support alerts are claimed first (notification.priority)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="1"))
        batch_op.drop_index("ix_notification_due")
        batch_op.create_index("ix_notification_claim", ["status", "priority", "due_at"], unique=False)
    op.execute("UPDATE notification SET priority = 0 WHERE kind = 'alert'")


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_claim")
        batch_op.create_index("ix_notification_due", ["status", "due_at"], unique=False)
        batch_op.drop_column("priority")
