"""What the Redis tests need to run real RQ worker processes on the test's own database."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from models import Job
from tests.integration.rq_worker_jobs import CALLS_FILE
from webapp import jobs
from webapp.extensions import db

#: The repository root: the workers' working directory and import path.
ROOT = Path(__file__).resolve().parents[2]


def committed_job(app: Flask, public_id: str, kind: str, dedupe_key: str) -> tuple[int, str]:
    """Add a queued job row with no parameters and commit it (a worker sees only committed
    rows); returns its id and the id its RQ job gets (``jobs.rq_job_id``)."""
    with app.app_context():
        job = Job(public_id=public_id, kind=kind, params={}, dedupe_key=dedupe_key)
        db.session.add(job)
        db.session.commit()
        return job.id, jobs.rq_job_id(job)


def worker_env(app: Flask, calls: Path, **extra: str) -> dict[str, str]:
    """The environment of a worker process: this one's, plus the app's database, the file the
    test job functions append their calls to, the repository on the import path and ``extra``."""
    return {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        CALLS_FILE: str(calls),
        "PYTHONPATH": str(ROOT),
        **extra,
    }
