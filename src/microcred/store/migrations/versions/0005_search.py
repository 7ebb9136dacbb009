"""search: the index outbox (filled by triggers) and, on PostgreSQL, the full-text documents

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (trigger name, table, event, the listing ids to enqueue)
_SQLITE_TRIGGERS = [
    ("listings_ins", "listings", "INSERT", "VALUES (NEW.id)"),
    ("listings_upd", "listings", "UPDATE", "VALUES (NEW.id)"),
    ("listings_del", "listings", "DELETE", "VALUES (OLD.id)"),
    (
        "organizations_upd",
        "organizations",
        "UPDATE OF slug, name_en, name_fr, kind",
        "SELECT id FROM listings WHERE organization_id = NEW.id",
    ),
    ("listing_skills_ins", "listing_skills", "INSERT", "VALUES (NEW.listing_id)"),
    ("listing_skills_del", "listing_skills", "DELETE", "VALUES (OLD.listing_id)"),
    # New reference data (skill and occupation labels) changes every listing's document.
    (
        "reference_loads_upd",
        "reference_loads",
        "UPDATE OF state",
        "SELECT id FROM listings WHERE NEW.state = 'active'",
    ),
]

# PostgreSQL: statement-level triggers over transition tables (one INSERT per statement,
# which keeps bulk imports fast).
_PG_TRIGGERS = [
    ("listings_ins", "listings", "INSERT", "NEW TABLE AS changed", "SELECT id FROM changed"),
    ("listings_upd", "listings", "UPDATE", "NEW TABLE AS changed", "SELECT id FROM changed"),
    ("listings_del", "listings", "DELETE", "OLD TABLE AS changed", "SELECT id FROM changed"),
    (
        "organizations_upd",
        "organizations",
        "UPDATE",
        "NEW TABLE AS changed",
        "SELECT l.id FROM listings l JOIN changed c ON l.organization_id = c.id",
    ),
    (
        "listing_skills_ins",
        "listing_skills",
        "INSERT",
        "NEW TABLE AS changed",
        "SELECT DISTINCT listing_id FROM changed",
    ),
    (
        "listing_skills_del",
        "listing_skills",
        "DELETE",
        "OLD TABLE AS changed",
        "SELECT DISTINCT listing_id FROM changed",
    ),
    (
        "reference_loads_upd",
        "reference_loads",
        "UPDATE",
        "NEW TABLE AS changed",
        "SELECT id FROM listings WHERE EXISTS (SELECT 1 FROM changed WHERE state = 'active')",
    ),
]


def upgrade() -> None:
    op.create_table(
        "search_outbox",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_search_outbox")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
    else:
        for name, table, event, ids in _SQLITE_TRIGGERS:
            op.execute(
                f"CREATE TRIGGER search_{name} AFTER {event} ON {table} "
                f"BEGIN INSERT INTO search_outbox (listing_id) {ids}; END"
            )
    # Listings that exist already are indexed by the first sync.
    op.execute("INSERT INTO search_outbox (listing_id) SELECT id FROM listings ORDER BY id")


def _upgrade_postgresql() -> None:
    for name, table, event, transition, ids in _PG_TRIGGERS:
        op.execute(
            f"CREATE FUNCTION search_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN INSERT INTO search_outbox (listing_id) {ids}; RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER search_{name} AFTER {event} ON {table} "
            f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION search_{name}()"
        )
    op.execute(
        """
        CREATE TABLE listing_search (
            listing_id integer PRIMARY KEY REFERENCES listings (id) ON DELETE CASCADE,
            tsv tsvector NOT NULL,
            title_en text,
            title_fr text,
            skill_labels text NOT NULL,
            provider_name text NOT NULL,
            places text[] NOT NULL,
            mode text NOT NULL,
            languages text[] NOT NULL,
            kind text NOT NULL,
            provider text NOT NULL,
            provider_kind text NOT NULL,
            nocs text[] NOT NULL,
            skills text[] NOT NULL,
            cost_cents integer NOT NULL,
            hours double precision NOT NULL,
            weeks double precision,
            starts date[] NOT NULL,
            first_start date,
            osap boolean NOT NULL,
            ctc boolean NOT NULL
        )
        """
    )
    op.execute("CREATE INDEX ix_listing_search_tsv ON listing_search USING gin (tsv)")
    for column in ("places", "languages", "nocs", "skills"):
        op.execute(
            f"CREATE INDEX ix_listing_search_{column} ON listing_search USING gin ({column})"
        )
    op.execute("CREATE INDEX ix_listing_search_cost ON listing_search (cost_cents)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE listing_search")
        for name, table, *_ in _PG_TRIGGERS:
            op.execute(f"DROP TRIGGER search_{name} ON {table}")
            op.execute(f"DROP FUNCTION search_{name}()")
    else:
        for name, *_ in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER search_{name}")
    op.drop_table("search_outbox")
