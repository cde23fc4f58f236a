"""The entry point RQ workers call for every job (``webapp.jobs.WORKER_ENTRY`` names it), and
``WarmWorker``, the worker class that keeps one application and one chart browser per process.

A module of its own, so that ``webapp.jobs`` (imported by the application) never imports the
application factory back.

``rq worker`` forks a new process for every job by default: each job then built the application
again and started its own chart browser (about 3 s) before its first PDF (issue 18: a centre's
batch of 79 PDFs took 270 s). ``rq worker -w webapp.worker.WarmWorker`` runs jobs in the worker
process itself (RQ's ``SimpleWorker``), builds the application once, and starts the chart
browser when the worker starts, before it takes a job.
"""

from __future__ import annotations

import functools
from typing import Any

from flask import Flask
from rq import SimpleWorker

from webapp.app import create_app
from webapp.extensions import db
from webapp.jobs import run_job
from webapp.warmup import start_chart_browser_now


@functools.cache
def _app() -> Flask:
    """This process's application, built from the environment once."""
    return create_app()


def run_job_in_worker(job_id: int) -> None:
    """Run job ``job_id`` in this process's application, then return its connections to the
    pool (a non-forking worker runs many jobs in one process)."""
    app = _app()
    try:
        run_job(app, job_id)
    finally:
        with app.app_context():
            db.session.remove()


class WarmWorker(SimpleWorker):
    """An RQ worker that runs each job in its own process (no fork per job) with one
    application, and starts the chart browser before taking the first job."""

    def work(self, *args: Any, **kwargs: Any) -> bool:
        app = _app()
        if app.config.get("WARM_CHART_BROWSER", True):
            start_chart_browser_now(app)
        return bool(super().work(*args, **kwargs))
