"""Declarative base with a deterministic constraint naming convention."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Current time in UTC, timezone-aware; used as a *callable* column default."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class of every ORM model; shares its ``MetaData`` with Flask-SQLAlchemy."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
