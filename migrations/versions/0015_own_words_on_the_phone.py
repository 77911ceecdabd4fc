"""own words on the phone: a person's own lock-screen words are no longer kept by the
server (notify_settings.own_title and own_body go); the phone keeps them instead

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notify_settings", schema=None) as batch_op:
        batch_op.drop_column("own_body")
        batch_op.drop_column("own_title")


def downgrade() -> None:
    # The words are gone for good (each phone keeps its own): the columns come back empty.
    with op.batch_alter_table("notify_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("own_title", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("own_body", sa.String(length=80), nullable=False, server_default=""))
