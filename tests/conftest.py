"""Shared fixtures: an app per test on one database per session, its client and CLI runner.

How the database is shared
--------------------------
The tables are created once per test session, in a SQLite file (or, when ``TEST_DATABASE_URL``
names a PostgreSQL server, in a schema of their own). Each database has one app, built once per
session and reset for each test (``shared_app``), whose ``db.session`` is bound to one
connection inside a transaction that is rolled back after the test (SQLAlchemy's "joining a session into an external transaction" recipe with
``join_transaction_mode="create_savepoint"``): code that commits only releases a savepoint, so
every test starts from the same empty tables.

A test marked ``@pytest.mark.demo_cohort(enterprises=N, seed=S)`` gets the same kind of app on a
database that already holds ``demo.seed_demo(enterprises=N, seed=S)``'s catalogue, accounts and
scored cohort: each distinct cohort is seeded once per session, and a test's writes on top of it
are rolled back like any other.

Tests that need separate connections or processes (a job's own app context or thread, an RQ
worker, migrations) mark themselves ``@pytest.mark.own_database``: their ``app`` then gets a
fresh database of its own, as before. Jobs of a transactional app run synchronously
(``JOBS_SYNC``), on the test's connection.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient, FlaskCliRunner
from flask_sqlalchemy.session import Session as FlaskSession
from hypothesis import HealthCheck, settings
from sqlalchemy import Connection, Engine, create_engine, event, func, select, text
from threadpoolctl import threadpool_limits

from webapp import create_app, jobs, registries
from webapp.extensions import cache, db, limiter
from webapp.job_functions import JOB_FUNCTIONS
from webapp.services import demo

pytest_plugins = ["tests.factories", "tests.mail_server"]

#: Hypothesis profiles (``HYPOTHESIS_PROFILE``): "ci", set by ``make test`` and ``.ci/run``, runs
#: every property test with the example count its module states (``tests.examples.examples``);
#: "quick", the default for the inner loop, a fifth of it. Tests that state no count run the
#: profile's ``max_examples`` (hypothesis' own default of 100 in CI). Neither profile times a
#: test: no per-example deadline and no "input generation is slow" health check, which fail on a
#: loaded shared machine whatever the code does (a timed assertion is a flaky test).
settings.register_profile("untimed", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", settings.get_profile("untimed"), max_examples=100)
settings.register_profile("quick", settings.get_profile("untimed"), max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

#: ``app.extensions`` key of the connection a transactional test app's sessions are bound to.
JOINED_CONNECTION = "tests.joined_connection"


@dataclass(frozen=True)
class Database:
    """A test database: its URL, engine options and PostgreSQL schema (``None`` for SQLite)."""

    url: str
    engine_options: dict[str, object]
    schema: str | None

    def drop(self) -> None:
        """Drop the PostgreSQL schema (a SQLite file goes with its temporary folder)."""
        if self.schema:
            engine = create_engine(self.url.split("?", 1)[0])
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            engine.dispose()


def row_counts(database: Database) -> dict[str, int]:
    """Rows per table (tables with none left out), read on a connection of its own."""
    engine = create_engine(database.url)
    with engine.connect() as conn:
        counts = {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables
        }
    engine.dispose()
    return {name: n for name, n in counts.items() if n}


def new_database(folder: Path, name: str = "test") -> Database:
    """An empty database: ``folder/name.sqlite``, or a new schema on ``TEST_DATABASE_URL``."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return Database(f"sqlite:///{folder / f'{name}.sqlite'}", {}, None)
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = "t_" + uuid.uuid4().hex[:12]
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    # The schema goes into the URL itself (libpq ``options``), so that anything given only the
    # URL - an RQ worker, a gunicorn process started by a test - sees the same tables.
    return Database(f"{url}?options=-csearch_path%3D{schema}", {"pool_pre_ping": True}, schema)


def app_with_tables(app: Flask) -> Iterator[Flask]:
    """Create ``app``'s tables, yield ``app``, then remove its session and dispose of its engine.
    The database itself stays: dropping it is the caller's job."""
    with app.app_context():
        db.create_all()
    yield app
    # A job thread the test started (a submit's segment refresh) writes to the database: let it
    # finish before the database goes.
    assert not jobs.join_in_process(app), "a test's in-process job still ran after 60 s"
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def make_test_app(database: Database, **config: Any) -> Flask:
    """The app in test configuration on ``database`` (CSRF off, round 2026)."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database.url,
            "SQLALCHEMY_ENGINE_OPTIONS": database.engine_options,
            "WTF_CSRF_ENABLED": False,
            "CURRENT_ROUND": "2026",
            # A PDF per submit would start a chart browser in most tests; test_report_files
            # turns it on.
            "REPORT_PDF_AT_SUBMIT": False,
            "WARM_CHART_BROWSER": False,
            # Evidence files of a test app go to a folder of its own, never the instance folder.
            "EVIDENCE_DIR": tempfile.mkdtemp(prefix="evidence-"),
        }
        | config
    )


class JoinedSession(FlaskSession):
    """Flask-SQLAlchemy's session, bound to the test's connection when its app has one.

    Flask-SQLAlchemy picks the app's engine in ``get_bind`` and so ignores a ``bind`` given to
    the session; this returns the connection stored in ``app.extensions[JOINED_CONNECTION]``
    instead. Apps without one (live servers, apps a test builds itself) behave as usual.
    """

    def get_bind(
        self,
        mapper: Any | None = None,
        clause: Any | None = None,
        bind: Engine | Connection | None = None,
        **kwargs: Any,
    ) -> Engine | Connection:
        if bind is None:
            connection = current_app.extensions.get(JOINED_CONNECTION)
            if connection is not None:
                return connection  # type: ignore[no-any-return]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _one_compute_thread() -> Iterator[None]:
    """One OpenMP/BLAS thread for the test process (scikit-learn's k-means, numpy).

    The tests fit many small models; on a 2-core machine shared with other processes, OpenMP's
    worker threads spin waiting for each other and a 0.5 s fit took 20 s. Results do not depend
    on the thread count (the fits are seeded)."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="session", autouse=True)
def _joined_sessions() -> Iterator[None]:
    """Swap ``db.session`` for one made of ``JoinedSession`` for the whole test session."""
    original = db.session
    # Flask-SQLAlchemy takes session options only when the extension is built (in the app's
    # code); its factory method is the one way to get the same app-context scoping here.
    db.session = db._make_scoped_session(
        {"class_": JoinedSession, "join_transaction_mode": "create_savepoint"}
    )
    yield
    db.session = original


def _sqlite_savepoints(engine: Engine) -> None:
    """Let pysqlite run SAVEPOINTs inside a transaction SQLAlchemy begins (SQLAlchemy's
    "Serializable isolation / Savepoints / Transactional DDL" recipe for the sqlite3 driver)."""

    @event.listens_for(engine, "connect")
    def no_implicit_begin(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def explicit_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


#: The app of each database, built once per test session (``shared_app``), with the configuration
#: it was built with.
_SHARED_APPS: dict[str, tuple[Flask, dict[str, Any]]] = {}


def shared_app(database: Database) -> Flask:
    """The test app of ``database``, built once per session and reset to a just-built state for
    each test: its configuration restored, its registries (questionnaire versions, scorers, job
    functions) new, its cache emptied, the rate limits forgotten, evidence in a new folder.

    Building an app compiles 440 URL rules and the API's schemas (0.13 s); a test reset costs a
    few milliseconds. A test that changes the app itself (adds a route) is marked ``own_app``.
    Its jobs run synchronously (``JOBS_SYNC``), in the requesting thread: a job thread would use
    the one connection concurrently with the test (a test that needs jobs in threads or workers
    is marked ``own_database``). For the same reason a running job's heartbeat thread waits an
    hour before its first beat.
    """
    found = _SHARED_APPS.get(database.url)
    if found is None:
        app = make_test_app(database, JOBS_SYNC=True, JOB_HEARTBEAT_SECONDS=3600)
        with app.app_context():
            if db.engine.dialect.name == "sqlite":
                _sqlite_savepoints(db.engine)
        found = _SHARED_APPS[database.url] = (app, dict(app.config))
    app, built_with = found
    app.config.clear()
    app.config.update(built_with, EVIDENCE_DIR=tempfile.mkdtemp(prefix="evidence-"))
    registries.install(app, JOB_FUNCTIONS)
    with app.app_context():
        cache.clear()
    limiter.reset()
    return app


def drop_shared_app(database: Database) -> None:
    """Close the connections of ``database``'s shared app (before the database is dropped)."""
    found = _SHARED_APPS.pop(database.url, None)
    if found is not None:
        with found[0].app_context():
            db.engine.dispose()


def transactional_app(database: Database) -> Iterator[Flask]:
    """``database``'s shared app (``shared_app``) with every session on one connection inside a
    transaction that is rolled back when the generator closes."""
    app = shared_app(database)
    with app.app_context():
        engine = db.engine
    connection = engine.connect()
    transaction = connection.begin()
    app.extensions[JOINED_CONNECTION] = connection
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
        del app.extensions[JOINED_CONNECTION]
        if transaction.is_active:
            transaction.rollback()
        connection.close()


@pytest.fixture(scope="session")
def session_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The empty tables every transactional test starts from, created once."""
    database = new_database(tmp_path_factory.mktemp("db"))
    app = make_test_app(database)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    yield database
    drop_shared_app(database)
    left = row_counts(database)
    database.drop()
    # A test that wrote past its transaction (on a connection of its own) would make the order
    # tests run in matter: it must be marked ``own_database``.
    assert left == {}, f"rows committed outside a test's transaction: {left}"


#: ``demo_cohort(enterprises, seed, round_code)`` and the questionnaire version the cohort's
#: assessments are on (None: the packaged current one) -> the database seeded with that cohort.
DemoDatabases = Callable[[int, int, str, str | None], Database]


@pytest.fixture(scope="session")
def demo_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoDatabases]:
    """Databases seeded by ``demo.seed_demo``, each (enterprises, seed, round) built on first use
    and kept for the session; tests only ever see them inside a rolled-back transaction."""
    made: dict[tuple[int, int, str, str | None], Database] = {}
    seeded: dict[tuple[int, int, str, str | None], dict[str, int]] = {}

    def get(enterprises: int, seed: int, round_code: str, version: str | None) -> Database:
        key = (enterprises, seed, round_code, version)
        if key not in made:
            database = new_database(tmp_path_factory.mktemp("demo"), f"demo_{enterprises}_{seed}")
            app = make_test_app(database)
            if version is not None:
                app.extensions["instruments"].packaged_current = ("dmi", version)
            with app.app_context():
                db.create_all()
                demo.seed_demo(enterprises=enterprises, seed=seed, round_code=round_code)
                db.session.remove()
                db.engine.dispose()
            made[key] = database
            seeded[key] = row_counts(database)
        return made[key]

    yield get
    for database in made.values():
        drop_shared_app(database)
    changed = {key: row_counts(made[key]) for key in made}
    for database in made.values():
        database.drop()
    assert changed == seeded, "a test committed outside its transaction on a demo cohort"


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app in test configuration (CSRF off, round 2026) on an empty database.

    Inside a transaction rolled back after the test, on the session's database. A test marked
    ``demo_cohort(enterprises=N, seed=S[, round_code=R])`` gets the database seeded with that demo
    cohort instead (same rollback; on questionnaire v1 when the test uses ``instrument_v1``); one marked ``own_database`` (a job or worker process needs
    committed rows on separate connections) gets a fresh empty database of its own.
    """
    cohort = request.node.get_closest_marker("demo_cohort")
    if cohort is not None:
        options = {"round_code": "2026"} | cohort.kwargs
        databases: DemoDatabases = request.getfixturevalue("demo_databases")
        yield from transactional_app(
            databases(
                options["enterprises"],
                options["seed"],
                options["round_code"],
                # A module pinned to questionnaire v1 gets a cohort scored on v1, as when it
                # seeded its own cohort on its pinned app.
                "1" if "instrument_v1" in request.fixturenames else None,
            )
        )
        return
    if not any(request.node.get_closest_marker(m) for m in ("own_database", "own_app")):
        yield from transactional_app(request.getfixturevalue("session_database"))
        return
    database = new_database(tmp_path)
    app = make_test_app(database)
    yield from app_with_tables(app)
    database.drop()


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
