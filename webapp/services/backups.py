"""Backup and restore of the whole database with the database's own tools.

SQLite is copied with its online backup API (``sqlite3.Connection.backup``), which gives a
consistent snapshot while the application keeps writing. PostgreSQL is dumped with
``pg_dump --format=custom`` and restored with ``pg_restore --single-transaction``, so a restore
that fails half-way leaves the target as it was. Neither path reads rows through the ORM:
what is restored is exactly what was stored, including the Alembic version and sequences.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, create_engine, inspect, make_url

from webapp.services.errors import ConflictError, InvalidInputError


@dataclass(frozen=True)
class BackupOutcome:
    """What a backup or restore did: ``backend`` is ``sqlite`` or ``postgresql``."""

    backend: str
    path: Path
    size_bytes: int

    def summary(self, verb: str) -> str:
        return f"{verb} {self.path} ({self.size_bytes:,} bytes, {self.backend})"


def _backend(url: URL) -> str:
    name = url.get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise InvalidInputError("database", f"backups support SQLite and PostgreSQL, not {name}")
    return name


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise InvalidInputError("database", "an in-memory SQLite database cannot be backed up")
    return url.database


def _pg_environment(url: URL) -> dict[str, str]:
    """libpq variables for ``url``: the password travels in the environment, never in argv."""
    env = dict(os.environ)
    for var, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value is not None:
            env[var] = str(value)
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise InvalidInputError(
            "tool", f"{name} not found: install the PostgreSQL client (Debian postgresql-client)"
        )
    return path


def _run(argv: list[str], url: URL) -> None:
    done = subprocess.run(argv, env=_pg_environment(url), capture_output=True, text=True)
    if done.returncode != 0:
        raise InvalidInputError("database", f"{Path(argv[0]).name} failed: {done.stderr.strip()}")


def backup_database(url: str | URL, output: Path) -> BackupOutcome:
    """Write a consistent copy of the database at ``url`` to ``output``.

    Parameters
    ----------
    url : str or sqlalchemy.URL
        The database to copy (SQLite file or PostgreSQL database).
    output : Path
        The backup file: an SQLite database file, or a ``pg_dump`` custom-format archive.

    Raises
    ------
    InvalidInputError
        Unsupported backend, in-memory SQLite, ``pg_dump`` missing or failing.
    """
    url = make_url(url)
    backend = _backend(url)
    output.parent.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        _sqlite_copy(sqlite3.connect(f"file:{_sqlite_path(url)}?mode=ro", uri=True), output)
    else:
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(output),
            ],
            url,
        )
    return BackupOutcome(backend, output, output.stat().st_size)


def _sqlite_copy(source: sqlite3.Connection, target_path: Path) -> None:
    """Copy the open SQLite database ``source`` into the file ``target_path`` with SQLite's
    online backup (consistent while others write), then close both connections."""
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def restore_database(url: str | URL, backup: Path, *, replace: bool = False) -> BackupOutcome:
    """Load ``backup`` into the database at ``url``.

    The target must be empty (no tables) unless ``replace`` is set, so a restore never mixes
    two databases by accident. PostgreSQL restores run in one transaction.

    Raises
    ------
    InvalidInputError
        The backup file is missing or unreadable, or the tool fails.
    ConflictError
        The target holds tables and ``replace`` is not set.
    """
    url = make_url(url)
    backend = _backend(url)
    if not backup.is_file():
        raise InvalidInputError("backup", f"no such file: {backup}")
    probe = create_engine(url)
    try:
        tables = inspect(probe).get_table_names()
    finally:
        probe.dispose()
    if tables and not replace:
        raise ConflictError(
            f"the target database already has {len(tables)} tables; restore into an empty "
            "database, or pass --replace"
        )
    if backend == "sqlite":
        try:
            source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise InvalidInputError("backup", f"not an SQLite backup: {exc}") from exc
        _sqlite_copy(source, Path(_sqlite_path(url)))
    else:
        argv = [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            url.database or "",
        ]
        if replace:
            argv[1:1] = ["--clean", "--if-exists"]
        _run([*argv, str(backup)], url)
    return BackupOutcome(backend, backup, backup.stat().st_size)
