"""Background jobs: one code path, run on a Redis queue (RQ) when ``REDIS_URL`` is set and in a
thread of the web process otherwise (the embedded default needs no server).

A job is a row in ``job`` (state, progress, result) plus a function in ``JOB_FUNCTIONS`` that
takes the job id. Asking again for the same thing while a job for it is queued or running
returns that job (``dedupe_key``), so a request never runs twice to completion at once. With
RQ, a worker that dies mid-job leaves the job to RQ's retry (``Retry(max=2)``); the function
starts from scratch, so a retry is safe.

A job whose process died never stays "running" (review finding 5): while it runs, a thread
writes ``heartbeat_at`` every ``JOB_HEARTBEAT_SECONDS``. ``reap_if_dead`` marks a job failed
when its heartbeat is older than ``JOB_STALE_SECONDS`` (the web process or the RQ worker was
killed, a host restarted), when it is still queued in the database but RQ has it failed,
stopped, cancelled or no longer knows it (RQ's failed and abandoned-job handling), or when an
in-process job never started. Asking again (``enqueue``) and the status page apply it, so
asking again after a death starts a new job.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext as _
from redis import Redis
from rq.exceptions import NoSuchJobError
from rq.job import Job as RQJob
from rq.job import JobStatus
from sqlalchemy import select, update

from models import Job, User, utcnow
from webapp.access import may_reach_job
from webapp.extensions import db
from webapp.services.errors import NotFoundError

#: The RQ queue every job goes on, and how often RQ re-runs a job whose worker died or raised.
QUEUE_NAME = "dtmaturity"
RETRIES = 2

JobFunction = Callable[[Job, Callable[[int, str], None]], tuple[bytes, str, str]]
JOB_FUNCTIONS: dict[str, JobFunction] = {}


def job_function(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Register ``fn(job, report_progress) -> (bytes, filename, mimetype)`` under ``kind``."""

    def register(fn: JobFunction) -> JobFunction:
        JOB_FUNCTIONS[kind] = fn
        return fn

    return register


def enqueue(kind: str, params: dict[str, Any], actor_id: int | None) -> Job:
    """Create (or reuse) the job for ``kind`` + ``params`` and start it."""
    key = f"{kind}:{sorted(params.items())}"
    running = db.session.scalar(
        select(Job).where(Job.dedupe_key == key, Job.state.in_(["queued", "running"]))
    )
    if running is not None and not reap_if_dead(running):
        return running
    job = Job(
        public_id=uuid.uuid4().hex, kind=kind, params=params, dedupe_key=key, created_by_id=actor_id
    )
    db.session.add(job)
    db.session.commit()
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        from rq import Queue, Retry

        queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))
        queue.enqueue(
            run_job_in_worker,
            job.id,
            retry=Retry(max=RETRIES),
            job_timeout=1800,
            job_id=rq_job_id(job),
        )
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


def job_for(actor: User, public_id: str) -> Job:
    """The job if ``actor`` may see it (``access.may_reach_job``); ``NotFoundError`` otherwise,
    so someone else's job and no job at all answer the same 404. A dead job is marked failed
    first (``reap_if_dead``), so its page stops saying "running"."""
    job = db.session.scalar(select(Job).where(Job.public_id == public_id))
    if job is None or not may_reach_job(actor, job):
        raise NotFoundError(public_id)
    reap_if_dead(job)
    return job


def rq_job_id(job: Job) -> str:
    """The id of ``job``'s RQ job (set at enqueue, so its state can be looked up)."""
    return f"dtmaturity-{job.public_id}"


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite gives back naive datetimes; every stored time is UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=utcnow().tzinfo)


def _rq_gave_up(job: Job, redis_url: str) -> bool:
    """Whether RQ no longer runs ``job``: unknown to it, or failed, stopped or cancelled."""
    try:
        status = RQJob.fetch(rq_job_id(job), connection=Redis.from_url(redis_url)).get_status()
    except NoSuchJobError:
        return True
    return status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)


def reap_if_dead(job: Job, now: datetime | None = None) -> bool:
    """Mark a queued or running ``job`` failed when nothing runs it any more; whether it did.

    Dead means: running with no heartbeat for ``JOB_STALE_SECONDS``; queued or running while
    RQ (with ``REDIS_URL``) has failed, stopped, cancelled or forgotten it; or, without RQ,
    queued for ``JOB_STALE_SECONDS`` (its thread never started).
    """
    if job.state not in ("queued", "running"):
        return False
    moment = now or utcnow()
    stale = timedelta(seconds=float(current_app.config["JOB_STALE_SECONDS"]))
    redis_url = current_app.config.get("REDIS_URL")
    if job.state == "running":
        last = _aware(job.heartbeat_at) or _aware(job.created_at)
        dead = last is not None and moment - last > stale
    else:
        created = _aware(job.created_at)
        dead = not redis_url and created is not None and moment - created > stale
    if not dead and redis_url:
        dead = _rq_gave_up(job, redis_url)
    if not dead:
        return False
    job.state, job.finished_at = "failed", moment
    job.message = _("后台进程意外停止，任务未完成。请重新生成。")
    db.session.commit()
    return True


def _beat(app: Flask, job_id: int, stop: threading.Event) -> None:
    """Write ``heartbeat_at`` every ``JOB_HEARTBEAT_SECONDS`` until ``stop`` is set."""
    interval = float(app.config["JOB_HEARTBEAT_SECONDS"])
    while not stop.wait(interval):
        with app.app_context():
            db.session.execute(
                update(Job)
                .where(Job.id == job_id, Job.state == "running")
                .values(heartbeat_at=utcnow())
            )
            db.session.commit()
            db.session.remove()


def run_job(app: Flask, job_id: int) -> None:
    """Run one job to completion inside ``app``'s context, recording progress and outcome."""
    with app.app_context():
        job = db.session.get(Job, job_id)
        if job is None or job.state == "done":
            return
        job.state, job.progress, job.message = "running", 1, ""
        job.heartbeat_at, job.finished_at = utcnow(), None
        db.session.commit()
        stop = threading.Event()
        threading.Thread(
            target=_beat, args=(app, job_id, stop), name=f"job-{job_id}-heartbeat", daemon=True
        ).start()

        def report(progress: int, message: str) -> None:
            job.progress, job.message = max(1, min(99, progress)), message
            job.heartbeat_at = utcnow()
            db.session.commit()

        try:
            data, name, mimetype = JOB_FUNCTIONS[job.kind](job, report)
        except Exception as exc:  # record any failure on the job for the person waiting
            db.session.rollback()
            job = db.session.get(Job, job_id)
            assert job is not None
            job.state, job.message, job.finished_at = "failed", str(exc)[:300], utcnow()
            db.session.commit()
            raise
        finally:
            stop.set()
        job.result, job.result_name, job.result_type = data, name, mimetype
        job.state, job.progress, job.finished_at = "done", 100, utcnow()
        db.session.commit()


def run_job_in_worker(job_id: int) -> None:
    """Entry point for RQ workers: builds the app from the environment, then runs the job."""
    from webapp import create_app

    app = create_app()
    try:
        run_job(app, job_id)
    finally:  # a non-forking worker runs many jobs in one process: leave no pool behind
        with app.app_context():
            db.engine.dispose()
