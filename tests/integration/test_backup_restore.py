"""``flask backup`` and ``flask restore``: a backup restored into an empty database holds
exactly the same rows, on SQLite (online backup API) and PostgreSQL (pg_dump/pg_restore)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import stamp
from sqlalchemy import create_engine, func, inspect, select, text

from models import Assessment, Enterprise
from webapp import create_app
from webapp.extensions import db
from webapp.services import demo
from webapp.services.snapshots import enterprise_columns

PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture
def make_app() -> Iterator[Any]:
    """Apps on given database URLs; their connection pools are closed afterwards."""
    made: list[Flask] = []

    def make(url: str) -> Flask:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "t",
                "SQLALCHEMY_DATABASE_URI": url,
                "SQLALCHEMY_ENGINE_OPTIONS": {},
                "CURRENT_ROUND": "2026",
            }
        )
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of one backend: the source and the restore target."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'source.sqlite'}", f"sqlite:///{tmp_path / 'target.sqlite'}"
        return
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed (Debian postgresql-client)")
    admin = create_engine(
        PG_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    names = [f"bk_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = admin.url.set(drivername="postgresql+psycopg")
    yield tuple(base.set(database=n).render_as_string(hide_password=False) for n in names)  # type: ignore[misc]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered by primary key (or by all columns)."""
    engine = create_engine(url)
    out: dict[str, list[tuple[Any, ...]]] = {}
    try:
        inspector = inspect(engine)
        with engine.connect() as conn:
            for table in sorted(inspector.get_table_names()):
                cols = [c["name"] for c in inspector.get_columns(table)]
                order = inspector.get_pk_constraint(table)["constrained_columns"] or cols
                sql = f'SELECT {", ".join(cols)} FROM "{table}" ORDER BY {", ".join(order)}'
                out[table] = [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()
    return out


def test_backup_restores_into_an_empty_database_row_for_row(
    database_urls: tuple[str, str], make_app: Any, tmp_path: Path
) -> None:
    source_url, target_url = database_urls
    source = make_app(source_url)
    with source.app_context():
        db.create_all()
        stamp()  # an Alembic version row, as a migrated database has
        demo.seed_demo(enterprises=40, seed=11)
        db.session.remove()
    backup = tmp_path / "backup.bin"
    result = source.test_cli_runner().invoke(args=["backup", "-o", str(backup)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and backup.stat().st_size > 10_000

    target = make_app(target_url)
    result = target.test_cli_runner().invoke(args=["restore", str(backup)])
    assert result.exit_code == 0, result.output

    before, after = _dump(source_url), _dump(target_url)
    assert set(after) == set(before) and "alembic_version" in after
    for table, rows in before.items():
        assert after[table] == rows, table
    assert len(after["assessment"]) >= 40 and len(after["enterprise"]) >= 40

    with target.app_context():  # the restored database is usable, sequences included
        assert db.session.scalar(select(func.count(Assessment.id))) == len(before["assessment"])
        clone = db.session.scalars(select(Enterprise).limit(1)).one()
        columns = enterprise_columns(
            clone.industry_code,
            clone.production_type,
            clone.town,
            clone.employees,
            clone.revenue_wan,
        )
        db.session.add(Enterprise(name=clone.name, uscc="91441900MA0000000X", **columns))
        db.session.commit()
        db.session.remove()

    # A second restore into the now non-empty target is refused rather than mixing data.
    result = target.test_cli_runner().invoke(args=["restore", str(backup)])
    assert result.exit_code != 0 and "empty database" in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(make_app: Any, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database", encoding="utf-8")
    target = make_app(f"sqlite:///{tmp_path / 'target.sqlite'}")
    result = target.test_cli_runner().invoke(args=["restore", str(bogus)])
    assert result.exit_code != 0 and "not an SQLite backup" in result.output
