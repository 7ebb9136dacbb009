"""search_changes: on PostgreSQL, the last transaction to change each listing's search entry,
which embedded index replicas (one per machine) follow without consuming it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has one machine: its index applies the outbox itself
    # One row per listing ever changed, so the table never outgrows the catalogue. ``xid``
    # is the writing transaction's id: a replica re-reads every row whose writer may not
    # have committed when it last looked (decision 0007).
    op.execute("CREATE TABLE search_changes (listing_id integer PRIMARY KEY, xid bigint NOT NULL)")
    op.execute("CREATE INDEX ix_search_changes_xid ON search_changes (xid)")
    op.execute(
        "CREATE FUNCTION search_changes_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO search_changes (listing_id, xid) SELECT DISTINCT listing_id,"
        " pg_current_xact_id()::text::bigint FROM added ORDER BY listing_id"
        " ON CONFLICT (listing_id) DO UPDATE SET xid = EXCLUDED.xid; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER search_changes_note AFTER INSERT ON search_outbox"
        " REFERENCING NEW TABLE AS added FOR EACH STATEMENT"
        " EXECUTE FUNCTION search_changes_note()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER search_changes_note ON search_outbox")
    op.execute("DROP FUNCTION search_changes_note()")
    op.execute("DROP TABLE search_changes")
