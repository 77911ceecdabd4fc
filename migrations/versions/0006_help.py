"""help: lines and services as data, with the entries the maintainers are certain of; country

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 09:02:03.774647
"""

from datetime import date, datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "help_service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("what_for", sa.String(length=500), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("hours", sa.String(length=120), nullable=False),
        sa.Column("languages", sa.String(length=120), nullable=False),
        sa.Column("self_referral", sa.Boolean(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("help_service", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_help_service_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_help_service_kind"), ["kind"], unique=False)

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country", sa.String(length=2), nullable=True))

    # Only entries the maintainers are certain of; the running organisation adds the rest.
    table = sa.table(
        "help_service",
        sa.column("country", sa.String),
        sa.column("kind", sa.String),
        sa.column("name", sa.String),
        sa.column("what_for", sa.String),
        sa.column("region", sa.String),
        sa.column("phone", sa.String),
        sa.column("address", sa.String),
        sa.column("hours", sa.String),
        sa.column("languages", sa.String),
        sa.column("self_referral", sa.Boolean),
        sa.column("hidden", sa.Boolean),
        sa.column("source", sa.String),
        sa.column("last_verified", sa.Date),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(timezone.utc)
    common = {
        "what_for": "",
        "region": "",
        "address": "",
        "languages": "",
        "self_referral": True,
        "hidden": False,
        "last_verified": date(2026, 11, 23),
        "updated_at": now,
    }
    op.bulk_insert(
        table,
        [
            {
                **common,
                "country": "SE",
                "kind": "emergency",
                "name": "112",
                "phone": "112",
                "hours": "",
                "source": "The EU-wide emergency number; in Sweden answered by SOS Alarm (sosalarm.se)",
            },
            {
                **common,
                "country": "DK",
                "kind": "emergency",
                "name": "112",
                "phone": "112",
                "hours": "",
                "source": "The EU-wide emergency number; in Denmark answered by the alarm centrals (politi.dk)",
            },
            {
                **common,
                "country": "SE",
                "kind": "line",
                "name": "1177 Vårdguiden",
                "phone": "1177",
                "what_for": "Sjukvårdsrådgivning på telefon, dygnet runt.",
                "hours": "Dygnet runt",
                "source": "1177.se, the regions' national healthcare advice service",
            },
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("country")

    with op.batch_alter_table("help_service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_help_service_kind"))
        batch_op.drop_index(batch_op.f("ix_help_service_country"))

    op.drop_table("help_service")
