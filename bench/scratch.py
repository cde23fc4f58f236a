"""A throw-away app for a benchmark: its own SQLite file in a temporary folder."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask

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
