"""Live-server fixtures: a real database (fresh SQLite file, or a fresh PostgreSQL database
when ``TEST_DATABASE_URL`` is set) and gunicorn serving the app on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from tests.conftest import app_with_tables
from webapp import create_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def live_url(tmp_path: Path) -> Iterator[str]:
    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg:
        yield f"sqlite:///{tmp_path / 'live.sqlite'}"
        return
    admin = create_engine(
        pg.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    name = f"live_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def live_app(live_url: str) -> Iterator[Flask]:
    """An app on the live database, for seeding and for checking what was stored."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "live-test-secret",
            "CURRENT_ROUND": "2026",
            "SQLALCHEMY_DATABASE_URI": live_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {},
        }
    )
    yield from app_with_tables(app)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """gunicorn with ``workers`` sync workers x ``threads`` threads on 127.0.0.1."""

    def __init__(self, url: str, workers: int, threads: int, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.live.wsgi:make_app()",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, "LIVE_DATABASE_URL": url, **env},
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL the master and every worker: no handler, no cleanup, no rollback."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def start_server(live_url: str) -> Iterator[Callable[..., LiveServer]]:
    started: list[LiveServer] = []

    def start(workers: int = 1, threads: int = 1, **env: Any) -> LiveServer:
        server = LiveServer(live_url, workers, threads, {k: str(v) for k, v in env.items()})
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
