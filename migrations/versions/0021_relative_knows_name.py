"""the name a relative knows the client by: kept on the link from the invitation, sealed by
the link's key (contact.client_name), so the relative's pages never show an account name

Revision ID: 0021
Revises: 0018
Create Date: 2026-11-30 06:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_name", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("client_name")
