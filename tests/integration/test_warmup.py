"""Worker warm-up (issue 18): what the first requests would build is built before serving."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

from flask import Flask
from sqlalchemy import func, select

from reports import charts
from webapp.extensions import db
from webapp.warmup import warm

ROOT = Path(__file__).resolve().parents[2]


def test_warm_compiles_every_page_template_and_the_chart_template(app: Flask) -> None:
    charts.default_template.cache_clear()
    app.jinja_env.cache.clear()  # type: ignore[union-attr]

    timings = warm(app)

    assert set(timings) == {"templates", "charts", "translations", "data", "public pages"}
    names = app.jinja_env.list_templates(extensions=("html", "txt"))
    cached = {key[1] for key in app.jinja_env.cache}  # type: ignore[union-attr]
    assert set(names) <= cached
    assert charts.default_template.cache_info().currsize == 1


def test_warm_writes_nothing(app: Flask) -> None:
    with app.test_request_context():
        before = _counts(app)
    warm(app)
    with app.test_request_context():
        assert _counts(app) == before


def test_gunicorn_warms_each_worker_before_it_serves(app: Flask) -> None:
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    assert spec is not None and spec.loader is not None
    config = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(config)
    app.jinja_env.cache.clear()  # type: ignore[union-attr]

    config.post_worker_init(SimpleNamespace(wsgi=app, pid=1))

    assert "enterprise/result.html" in {key[1] for key in app.jinja_env.cache}  # type: ignore[union-attr]


def _counts(app: Flask) -> dict[str, int]:
    return {
        t.name: db.session.execute(select(func.count()).select_from(t)).scalar_one()
        for t in db.metadata.sorted_tables
    }
