"""Storage: SQLAlchemy Core schema, Alembic migrations, repositories (SQLite | PostgreSQL)."""

from microcred.store.engine import Store

__all__ = ["Store"]
