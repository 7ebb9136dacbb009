"""plans: saved learning plans; declared skills kept in listing_skills by triggers

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# A listing's declared skills (ESCO and OaSIS) are tags with score 1.0, written by the
# database in the writing transaction whatever code path wrote the listing, so that the
# planner and search see them at once. A declared tag replaces an inferred one.
_SQLITE_INSERT = """
INSERT INTO listing_skills (listing_id, scheme, code, score, provenance, tagged_at)
SELECT {id}, json_extract(s.value, '$.scheme'), json_extract(s.value, '$.id'), 1.0,
       'declared', {stamp}
FROM json_each({document}, '$.skills') AS s
WHERE json_extract(s.value, '$.scheme') IN ('esco', 'oasis')
ON CONFLICT (listing_id, scheme, code) DO UPDATE SET score = 1.0, provenance = 'declared'
"""

_PG_INSERT = """
INSERT INTO listing_skills (listing_id, scheme, code, score, provenance, tagged_at)
SELECT DISTINCT ON (c.id, s ->> 'scheme', s ->> 'id')
       c.id, s ->> 'scheme', s ->> 'id', 1.0, 'declared', c.updated_at
FROM {table} AS c, jsonb_array_elements(c.document -> 'skills') AS s
WHERE s ->> 'scheme' IN ('esco', 'oasis')
ON CONFLICT (listing_id, scheme, code) DO UPDATE SET score = 1.0, provenance = 'declared'
"""


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=120), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("share_hash", sa.String(length=64), nullable=True),
        sa.Column("share_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_plans_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("share_hash", name=op.f("uq_plans_share_hash")),
    )
    op.create_index("ix_plans_owner_id_updated_at", "plans", ["owner_id", "updated_at"])
    # The planner's catalogue fingerprint reads the latest change times (planner.index).
    op.create_index("ix_listings_updated_at", "listings", ["updated_at"])
    op.create_index("ix_listing_skills_tagged_at", "listing_skills", ["tagged_at"])
    if op.get_bind().dialect.name == "postgresql":
        for event, prelude in (("INSERT", ""), ("UPDATE", _PG_DELETE)):
            op.execute(
                f"CREATE FUNCTION declared_skills_{event.lower()}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN {prelude}"
                f"{_PG_INSERT.format(table='changed')}; RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER declared_skills_{event.lower()} AFTER {event} ON listings "
                "REFERENCING NEW TABLE AS changed FOR EACH STATEMENT "
                f"EXECUTE FUNCTION declared_skills_{event.lower()}()"
            )
        op.execute(_PG_INSERT.format(table="listings"))
    else:
        row = _SQLITE_INSERT.format(id="NEW.id", stamp="NEW.updated_at", document="NEW.document")
        op.execute(
            f"CREATE TRIGGER declared_skills_insert AFTER INSERT ON listings BEGIN {row}; END"
        )
        update = (
            "CREATE TRIGGER declared_skills_update AFTER UPDATE OF document ON listings BEGIN "
            "DELETE FROM listing_skills WHERE listing_id = NEW.id AND provenance = 'declared'; "
        )
        op.execute(f"{update}{row}; END")
        op.execute(
            _SQLITE_INSERT.format(
                id="listings.id", stamp="listings.updated_at", document="listings.document"
            ).replace("FROM json_each", "FROM listings, json_each")
        )


_PG_DELETE = (
    "DELETE FROM listing_skills t USING changed c "
    "WHERE t.listing_id = c.id AND t.provenance = 'declared'; "
)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER declared_skills_{event} ON listings")
            op.execute(f"DROP FUNCTION declared_skills_{event}()")
    else:
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER declared_skills_{event}")
    op.drop_index("ix_listing_skills_tagged_at", table_name="listing_skills")
    op.drop_index("ix_listings_updated_at", table_name="listings")
    op.drop_index("ix_plans_owner_id_updated_at", table_name="plans")
    op.drop_table("plans")
