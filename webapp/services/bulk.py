"""Bulk writes of many rows in the session's transaction: PostgreSQL's ``COPY ... FROM STDIN``
(psycopg 3 ``cursor.copy``), one executemany INSERT on SQLite. Used where tens of thousands of
rows go in at once (the synthetic region, re-scoring's result rows)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Table, func, insert, select, text

from webapp.extensions import db


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)  # a mapped class's table (typed as any FROM clause)
    return table


def is_postgresql() -> bool:
    """Whether the session's database is PostgreSQL."""
    return db.session.get_bind().dialect.name == "postgresql"


def reserve_ids(model: Any, n: int) -> list[int]:
    """``n`` new primary keys of ``model``'s table: taken from its sequence on PostgreSQL (safe
    beside other writers); on SQLite the ids after the largest, read in the batch's own
    transaction (SQLite has one writer at a time)."""
    table = _table(model)
    if is_postgresql():
        return list(
            db.session.scalars(
                text(
                    f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) "
                    "FROM generate_series(1, :n)"
                ),
                {"n": n},
            )
        )
    first = int(db.session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1
    return list(range(first, first + n))


def _with_defaults(table: Table, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Fill the Python-side column defaults (``default=``) that COPY would not apply; the
    column names to copy (columns left out get their server default, e.g. a serial id)."""
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.name in rows[0] or column.default is None:
            continue
        arg = getattr(column.default, "arg", None)
        # SQLAlchemy wraps a callable default into one taking the execution context.
        defaults[column.name] = arg(None) if callable(arg) else arg
    for row in rows:
        row.update(defaults)
    return list(rows[0])


def write_rows(model: Any, rows: list[dict[str, Any]]) -> None:
    """Write ``rows`` (dicts of column values) into ``model``'s table in the session's
    transaction: COPY on PostgreSQL, one executemany INSERT on SQLite."""
    if not rows:
        return
    table = _table(model)
    if not is_postgresql():
        db.session.execute(insert(table), rows)
        return
    names = _with_defaults(table, rows)
    as_json = {n for n in names if isinstance(table.c[n].type, JSON)}
    quoted = ", ".join(f'"{n}"' for n in names)
    raw = db.session.connection().connection.driver_connection  # the psycopg connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                [json.dumps(row[n], ensure_ascii=False) if n in as_json else row[n] for n in names]
            )
