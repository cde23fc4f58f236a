"""Build the schema by the migrations rather than from the models, fill it with rows as an
older revision stored them, and read what the later revisions made of them: the helpers of the
data-migration tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import MetaData, Row, Table, text

from webapp.extensions import db

# The profile of a small furniture maker in Houjie, as every revision has stored it.
FIRM_PROFILE: dict[str, Any] = {
    "industry_code": "C21",
    "cluster": "furniture",
    "production_type": "discrete",
    "town": "houjie",
    "employees": 50,
    "revenue_wan": 3000,
    "size_class": "small",
    "above_scale": True,
    "is_demo": False,
}


def migrated_tables(revision: str, names: list[str]) -> MetaData:
    """Drop the tables the fixture made from the models, run the migrations up to ``revision``
    (an Alembic revision id) and reflect the tables ``names`` as they stand there.

    Needs an app context on a database of the test's own (``own_database``)."""
    db.drop_all()
    upgrade(revision=revision)
    tables = MetaData()
    tables.reflect(db.engine, only=names)
    return tables


def placeholder_row(table: Table, **values: Any) -> dict[str, Any]:
    """``values`` plus a placeholder for every other required column of a reflected ``table``:
    a column that is not nullable and has no server default gets 1, 0.0, ``Decimal(0)``,
    ``"x"``, false, the current UTC time or an empty JSON list, by its Python type."""
    now = datetime.now(UTC)
    placeholders = {int: 1, float: 0.0, Decimal: Decimal(0), str: "x", bool: False, datetime: now}
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.server_default is not None:
            continue
        try:
            kind = column.type.python_type
        except NotImplementedError:  # JSON
            kind = list
        row[column.name] = placeholders.get(kind, [])
    return row


def firm_row(table: Table, **values: Any) -> dict[str, Any]:
    """A row of the reflected ``enterprise`` ``table``: ``FIRM_PROFILE`` overridden by
    ``values``, with placeholders for the other required columns (``placeholder_row``)."""
    return placeholder_row(table, **(FIRM_PROFILE | values))


def upgrade_and_select(*queries: str) -> list[Sequence[Row[Any]]]:
    """Run the migrations up to the head, then every SQL ``queries`` text on one connection;
    returns the rows of each, in the order of ``queries``.

    Needs an app context on a database of the test's own (``own_database``)."""
    upgrade()
    with db.engine.connect() as conn:
        return [conn.execute(text(query)).all() for query in queries]
