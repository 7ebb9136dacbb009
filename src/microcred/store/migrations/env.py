"""Alembic environment: always driven programmatically with a live connection."""

from __future__ import annotations

from alembic import context

from microcred.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by calling the alembic CLI directly
    raise SystemExit("run migrations with `microcred db upgrade`, not the alembic command")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
