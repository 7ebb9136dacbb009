"""skills engine: cached vectors and listing skill tags

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "engine_cache",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_engine_cache")),
    )
    op.create_table(
        "listing_skills",
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=120), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("provenance", sa.String(length=10), nullable=False),
        sa.Column("tagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_listing_skills_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("listing_id", "scheme", "code", name=op.f("pk_listing_skills")),
    )
    op.create_index(
        "ix_listing_skills_scheme_code_score", "listing_skills", ["scheme", "code", "score"]
    )


def downgrade() -> None:
    op.drop_index("ix_listing_skills_scheme_code_score", table_name="listing_skills")
    op.drop_table("listing_skills")
    op.drop_table("engine_cache")
