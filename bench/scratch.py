"""Throw-away databases for a benchmark: an app on its own SQLite file in a temporary folder,
or a fresh PostgreSQL database on the server the environment names."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, text

from webapp import create_app
from webapp.extensions import db


@contextmanager
def scratch_app(name: str, **config: Any) -> Iterator[Flask]:
    """An app on a new SQLite database ``name`` with its tables created, ``config`` on top; the
    folder (and the database) is removed when the block ends."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / name}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", **config})
        with app.app_context():
            db.create_all()
        yield app


def database_server() -> str | None:
    """The PostgreSQL server the PostgreSQL figures run on: ``BENCH_DATABASE_URL``, else
    ``TEST_DATABASE_URL``; ``None`` when neither is set (those figures are skipped)."""
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")


@contextmanager
def scratch_database(server_url: str, prefix: str) -> Iterator[str]:
    """The URL (psycopg driver) of a new, empty database ``<prefix>_<8 hex>`` on the PostgreSQL
    server ``server_url``; dropped, open connections and all, when the block ends."""
    server_url = server_url.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def vacuum(url: str) -> float:
    """VACUUM ANALYZE the database at ``url``, as autovacuum would some time after a bulk load
    (statistics, and the visibility map that lets PostgreSQL answer from an index alone);
    seconds taken."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        start = time.perf_counter()
        conn.execute(text("VACUUM ANALYZE"))
        seconds = time.perf_counter() - start
    engine.dispose()
    return seconds
