"""Shared fixtures: an app on a fresh database per test, its client and CLI runner.

The database is a SQLite file in the test's temporary folder, or the PostgreSQL server named by
``TEST_DATABASE_URL`` (each test then gets a schema of its own, dropped afterwards).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text

from webapp import create_app
from webapp.extensions import db

pytest_plugins = ["tests.factories"]


def _database_url(tmp_path: Path) -> tuple[str, dict[str, object], str | None]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'test.sqlite'}", {}, None
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = "t_" + uuid.uuid4().hex[:12]
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    # The schema goes into the URL itself (libpq ``options``), so that anything given only the
    # URL - an RQ worker, a gunicorn process started by a test - sees the same tables.
    return f"{url}?options=-csearch_path%3D{schema}", {"pool_pre_ping": True}, schema


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    url, engine_options, schema = _database_url(tmp_path)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
            "WTF_CSRF_ENABLED": False,
            "CURRENT_ROUND": "2026",
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if schema:
        engine = create_engine(url.split("?", 1)[0])
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def instrument_v1(app: Flask) -> None:
    """Pin ``app`` to questionnaire v1 as the version new assessments start on (v2 is then a
    packaged draft, as before its web phase): for tests of v1 behaviour that answer v1 items."""
    app.extensions["instruments"].packaged_current = ("dmi", "1")
