"""retired_engine_cache: drop the stored linear title models (``linear:*``), which the
title network replaced; nothing reads them, and each weighs about 70 MB

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    cache = sa.table("engine_cache", sa.column("name", sa.String()))
    op.execute(cache.delete().where(cache.c.name.like("linear:%")))


def downgrade() -> None:
    pass  # a cache: an older version builds what it misses
