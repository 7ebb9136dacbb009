"""Catalogue search: one interface over an embedded tantivy index (SQLite installs) and
PostgreSQL full-text search, kept in step with the store through a durable outbox."""
