"""Background jobs: one code path, run on a Redis queue (RQ) when ``REDIS_URL`` is set and in a
thread of the web process otherwise (the embedded default needs no server).

A job is a row in ``job`` (state, progress, result) plus the function its kind names in the
app's table ``app.extensions["job_functions"]`` (built from ``webapp.job_functions.JOB_FUNCTIONS``
by the factory; a test adds its own kinds to its own app). Asking again for the same thing while a job for it is queued or running
returns that job (``dedupe_key``), so a request never runs twice to completion at once. With
RQ, a worker that dies mid-job leaves the job to RQ's retry (``Retry(max=2)``); the function
starts from scratch, so a retry is safe.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any, cast

from flask import Flask, current_app
from redis import Redis
from rq import Queue, Retry
from sqlalchemy import select

from models import Job, utcnow
from webapp.extensions import db

#: The RQ queue every job goes on, and how often RQ re-runs a job whose worker died or raised.
QUEUE_NAME = "dtmaturity"
RETRIES = 2
#: What a worker calls with the job id, by dotted name: ``webapp.worker`` builds the application,
#: which imports this module, so this module must not import it back.
WORKER_ENTRY = "webapp.worker.run_job_in_worker"

#: ``fn(job, report_progress) -> (bytes, filename, mimetype)``.
JobFunction = Callable[[Job, Callable[[int, str], None]], tuple[bytes, str, str]]
#: Where an app keeps its job kind -> ``JobFunction`` table.
FUNCTIONS_KEY = "job_functions"


def functions_of(app: Flask) -> dict[str, JobFunction]:
    """``app``'s job kind -> job function table (``KeyError`` from it: an unknown kind)."""
    return cast(dict[str, JobFunction], app.extensions[FUNCTIONS_KEY])


def enqueue(kind: str, params: dict[str, Any], actor_id: int | None) -> Job:
    """Create (or reuse) the job for ``kind`` + ``params`` and start it."""
    key = f"{kind}:{sorted(params.items())}"
    running = db.session.scalar(
        select(Job).where(Job.dedupe_key == key, Job.state.in_(["queued", "running"]))
    )
    if running is not None:
        return running
    job = Job(
        public_id=uuid.uuid4().hex, kind=kind, params=params, dedupe_key=key, created_by_id=actor_id
    )
    db.session.add(job)
    db.session.commit()
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))
        queue.enqueue(WORKER_ENTRY, job.id, retry=Retry(max=RETRIES), job_timeout=1800)
    else:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        if app.config.get("JOBS_SYNC"):  # tests and CLI: run now, then see the outcome
            run_job(app, job.id)
            db.session.refresh(job)
        else:
            threading.Thread(
                target=run_job, args=(app, job.id), name=f"job-{job.id}", daemon=True
            ).start()
    return job


def run_job(app: Flask, job_id: int) -> None:
    """Run one job to completion inside ``app``'s context, recording progress and outcome."""
    with app.app_context():
        job = db.session.get(Job, job_id)
        if job is None or job.state == "done":
            return
        job.state, job.progress, job.message = "running", 1, ""
        db.session.commit()

        def report(progress: int, message: str) -> None:
            job.progress, job.message = max(1, min(99, progress)), message
            db.session.commit()

        try:
            data, name, mimetype = functions_of(app)[job.kind](job, report)
        except Exception as exc:  # record any failure on the job for the person waiting
            db.session.rollback()
            failed = db.session.get(Job, job_id)
            assert failed is not None
            failed.state, failed.message, failed.finished_at = "failed", str(exc)[:300], utcnow()
            db.session.commit()
            raise
        job.result, job.result_name, job.result_type = data, name, mimetype
        job.state, job.progress, job.finished_at = "done", 100, utcnow()
        db.session.commit()
