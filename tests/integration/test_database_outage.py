"""When the database goes away, pages answer 503 with a friendly message; when it comes back,
the same running app serves again without a restart.

The outage is real at the network level: the app reaches PostgreSQL through a TCP relay on
127.0.0.1 that the test closes (every open connection is cut and the port refuses new ones)
and then opens again on the same port. Without ``TEST_DATABASE_URL`` the recovery test is
skipped; the closed-port test runs everywhere.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, make_url, text

from tests.conftest import app_with_tables
from webapp import create_app

PG_URL = os.environ.get("TEST_DATABASE_URL")


class TcpRelay:
    """Forward 127.0.0.1:<port> to a target address until ``stop()``; ``start()`` again reopens
    the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        assert self._listener is not None
        try:  # wakes the thread blocked in accept() and stops listening at once (Linux)
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            for sock in self._open:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by stop()
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def relay() -> Iterator[TcpRelay]:
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    url = make_url(PG_URL)
    relay = TcpRelay((url.host or "127.0.0.1", url.port or 5432))
    relay.start()
    yield relay
    relay.stop()


@pytest.fixture
def app(relay: TcpRelay) -> Iterator[Flask]:
    """The app on a schema of its own, reaching PostgreSQL only through the relay."""
    assert PG_URL is not None
    direct = make_url(PG_URL).set(drivername="postgresql+psycopg")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(direct)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": direct.set(host="127.0.0.1", port=relay.port),
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": True,
                "connect_args": {"options": f"-csearch_path={schema}", "connect_timeout": 2},
            },
        }
    )
    yield from app_with_tables(app)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_pages_answer_503_while_the_database_is_away_and_recover_by_themselves(
    app, client, relay, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    owner = make_user()
    make_enterprise(owner)
    login(owner)
    assert client.get("/enterprise/").status_code == 200
    assert client.get("/healthz").status_code == 200

    relay.stop()  # the database server is gone: open connections cut, port refusing
    for path in ("/enterprise/", "/healthz", "/api/v1/assessments"):
        resp = client.get(path)
        assert resp.status_code == 503, (path, resp.status_code)
    page = client.get("/enterprise/", headers={"Accept": "text/html"})
    assert "服务暂时不可用" in page.get_data(as_text=True)
    assert client.get("/api/v1/assessments").json["error"]

    relay.start()  # back on the same address: the same app serves again, logged in still
    assert client.get("/healthz").status_code == 200
    resp = client.get("/enterprise/")
    assert resp.status_code == 200 and "服务暂时不可用" not in resp.get_data(as_text=True)


def test_login_page_answers_503_on_a_closed_port(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 1}},
        }
    )
    resp = app.test_client().post("/auth/login", data={"email": "a@b.cn", "password": "x" * 12})
    assert resp.status_code == 503
    assert "数据库暂时无法连接" in resp.get_data(as_text=True)
