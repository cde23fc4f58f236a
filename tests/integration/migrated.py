"""Build the schema by the migrations rather than from the models, for the data-migration tests."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import MetaData

from webapp.extensions import db


def migrated_tables(revision: str, names: list[str]) -> MetaData:
    """Drop the tables the fixture made from the models, run the migrations up to ``revision``
    (an Alembic revision id) and reflect the tables ``names`` as they stand there.

    Needs an app context on a database of the test's own (``own_database``)."""
    db.drop_all()
    upgrade(revision=revision)
    tables = MetaData()
    tables.reflect(db.engine, only=names)
    return tables
