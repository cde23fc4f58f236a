"""The entry point RQ workers call for every job (``webapp.jobs.WORKER_ENTRY`` names it).

A module of its own, so that ``webapp.jobs`` (imported by the application) never imports the
application factory back.
"""

from __future__ import annotations

from webapp.app import create_app
from webapp.extensions import db
from webapp.jobs import run_job


def run_job_in_worker(job_id: int) -> None:
    """Build the app from the environment, run job ``job_id`` in it, then close its pool."""
    app = create_app()
    try:
        run_job(app, job_id)
    finally:  # a non-forking worker runs many jobs in one process: leave no pool behind
        with app.app_context():
            db.engine.dispose()
