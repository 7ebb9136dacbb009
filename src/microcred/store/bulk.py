"""Fast bulk inserts of plain rows (reference data: hundreds of thousands of rows)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, insert

CHUNK = 10_000


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]], **common: Any) -> None:
    """Insert ``rows`` (all with the same keys), each completed with ``common`` values."""
    if not rows:
        return
    columns = [*common, *rows[0]]
    dialect = conn.dialect
    if dialect.name != "sqlite":
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(table), [{**common, **row} for row in rows[start : start + CHUNK]])
        return
    # SQLite: skip SQLAlchemy's per-row bookkeeping; bind processors only where a type has one.
    compiled = insert(table).compile(dialect=dialect, column_keys=columns)
    order = list(compiled.positiontup or [])
    found = {c: table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in order}
    processors = {c: p for c, p in found.items() if p is not None}
    fixed = {c: (processors[c](v) if c in processors else v) for c, v in common.items()}
    sql = str(compiled)
    for start in range(0, len(rows), CHUNK):
        batch = []
        for row in rows[start : start + CHUNK]:
            values = []
            for column in order:
                if column in fixed:
                    values.append(fixed[column])
                else:
                    value = row[column]
                    processor = processors.get(column)
                    values.append(value if processor is None or value is None else processor(value))
            batch.append(tuple(values))
        conn.exec_driver_sql(sql, batch)
