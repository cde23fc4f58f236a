"""Build at worker start what the first requests would otherwise build under load.

A fresh web worker compiles each Jinja template on its first use (result page: about 0.5 s),
builds plotly's default template (0.3 s), loads the Babel catalogues, parses the questionnaire
versions, configures the ORM mappers and compiles SQLAlchemy's statements for the first time.
Under load, the first requests of every worker paid for all of that at once, while holding the
GIL, so the first seconds after a start stalled (issue 18: 39 req/s and 50 timeouts in the first
10 s, against 117 req/s straight after). ``warm(app)`` does that work before the worker accepts
a connection: gunicorn calls it from ``post_worker_init`` (``gunicorn.conf.py``). It also starts
the chart browser PDFs export their charts with (about 3 s) in a background thread, in a process
that renders PDFs (jobs run in the web process without ``REDIS_URL``; RQ workers started with
``-w webapp.worker.WarmWorker`` start theirs at start-up), so no request waits for it.

Nothing here writes: the public pages it requests (home, sign-in, registration, health) only
read, and no user is signed in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from flask import Flask
from flask_babel import force_locale, get_translations
from sqlalchemy import text
from sqlalchemy.orm import configure_mappers

from reports.chart_export import ChartExportError, start_export_server
from reports.charts import default_template
from reports.pdf import warm_templates as warm_report_templates
from webapp.extensions import db
from webapp.registries import instruments
from webapp.services.catalogue import current_catalogue

#: Public pages a worker requests once before it serves: they run the whole request pipeline
#: (session, sign-in state, access matrix, Babel, CSRF token, the base layout) with no user.
PUBLIC_PAGES = ("/", "/auth/login", "/auth/register", "/healthz")


def _templates(app: Flask) -> None:
    environment = app.jinja_env
    for name in environment.list_templates(extensions=("html", "txt")):
        environment.get_template(name)
    warm_report_templates()


def _charts(app: Flask) -> None:
    default_template()


def _translations(app: Flask) -> None:
    with app.test_request_context():
        for locale in ("zh", "en"):
            with force_locale(locale):
                get_translations()


def _data(app: Flask) -> None:
    with app.app_context():
        configure_mappers()
        db.session.execute(text("SELECT 1"))
        registry = instruments()
        for version in registry.packaged_versions("dmi"):
            registry.get("dmi", version)
        registry.current()
        current_catalogue()
        db.session.remove()


def _public_pages(app: Flask) -> None:
    client = app.test_client()
    for path in PUBLIC_PAGES:
        for language in ("zh", "en"):
            client.get(path, headers={"Accept-Language": language})


STEPS: tuple[tuple[str, Callable[[Flask], None]], ...] = (
    ("templates", _templates),
    ("charts", _charts),
    ("translations", _translations),
    ("data", _data),
    ("public pages", _public_pages),
)


def start_chart_browser_now(app: Flask) -> None:
    """Start this process's chart browser and wait for it (a job worker's start-up); logs a
    warning instead of raising when Chromium is missing (the PDF jobs then fail saying so)."""
    try:
        start_export_server(app.config.get("BROWSER_PATH"))
    except ChartExportError as exc:  # no Chromium: PDFs fail with this message when asked
        app.logger.warning("chart browser not started: %s", exc)


def start_chart_browser(app: Flask) -> threading.Thread | None:
    """Start the chart browser (about 3 s) in a background thread, off the request path, when
    this process renders PDFs (``WARM_CHART_BROWSER``; jobs run in the web process when
    ``REDIS_URL`` is not set). Returns the thread, or ``None`` when not wanted."""
    if not app.config.get("WARM_CHART_BROWSER", True) or app.config.get("REDIS_URL"):
        return None
    thread = threading.Thread(
        target=start_chart_browser_now, args=(app,), name="chart-browser-warm-up", daemon=True
    )
    thread.start()
    return thread


def warm(app: Flask) -> dict[str, float]:
    """Run every warm-up step on ``app``; return each step's wall time in seconds.

    Idempotent, and safe before the worker accepts connections. A step that fails (the database
    not reachable yet, say) raises: gunicorn then restarts the worker, as it would on a failed
    import.
    """
    timings: dict[str, float] = {}
    for name, step in STEPS:
        started = time.perf_counter()
        step(app)
        timings[name] = time.perf_counter() - started
    start_chart_browser(app)
    return timings
