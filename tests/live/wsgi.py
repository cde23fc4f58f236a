"""The WSGI entry point gunicorn runs in the live-server tests (``tests.live.wsgi:make_app()``).

The database comes from ``LIVE_DATABASE_URL``; cookies travel over plain http. Rate limits are
off: the simulated users all
come from 127.0.0.1, which a per-address limit would rightly treat as one client. When
``LIVE_PAUSE_MARKER`` is set and the file ``<marker>.arm`` exists, holding ``draft`` (pause a
save) or ``submitted`` (pause a submit), the first flush that updates the assessment row into
that state writes the worker's pid to the marker file and sleeps, inside the open
transaction, so the test can kill the process at exactly that point.
"""

from __future__ import annotations

import os
import time
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from models import Assessment
from webapp import create_app


def make_app() -> Flask:
    url = os.environ["LIVE_DATABASE_URL"]
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "live-test-secret",
            "RATELIMIT_ENABLED": False,
            "CURRENT_ROUND": "2026",
            "SESSION_COOKIE_SECURE": False,  # plain http on 127.0.0.1
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        }
    )
    marker = os.environ.get("LIVE_PAUSE_MARKER")
    if marker:
        _pause_inside_transaction(marker)
    return app


def _pause_inside_transaction(marker: str) -> None:
    @event.listens_for(Session, "after_flush")
    def pause(session: Session, _context: Any) -> None:
        try:
            with open(marker + ".arm") as f:
                status = f.read().strip()
        except FileNotFoundError:
            return
        written = [o for o in session.dirty if isinstance(o, Assessment)]
        if any(a.status == status for a in written) and not os.path.exists(marker):
            with open(marker, "w") as f:
                f.write(str(os.getpid()))
            time.sleep(120)  # the test kills this process long before
