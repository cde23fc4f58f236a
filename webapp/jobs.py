"""Background jobs: one code path, run on a Redis queue (RQ) when ``REDIS_URL`` is set and in a
thread of the web process otherwise (the embedded default needs no server).

A job is a row in ``job`` (state, progress, result) plus the function its kind names in the
app's table ``app.extensions["job_functions"]`` (built from ``webapp.job_functions.JOB_FUNCTIONS``
by the factory; a test adds its own kinds to its own app). Asking again for the same thing while a job for it is queued or running
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

import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from flask import Flask, current_app
from flask_babel import gettext as _
from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job as RQJob
from rq.job import JobStatus
from sqlalchemy import select, update

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
#: Characters the ``job.dedupe_key`` column holds.
DEDUPE_KEY_LENGTH = 120
#: Where an app keeps the threads running its in-process jobs (no ``REDIS_URL``).
THREADS_KEY = "job_threads"


def functions_of(app: Flask) -> dict[str, JobFunction]:
    """``app``'s job kind -> job function table (``KeyError`` from it: an unknown kind)."""
    return cast(dict[str, JobFunction], app.extensions[FUNCTIONS_KEY])


def dedupe_key(kind: str, params: dict[str, Any]) -> str:
    """The key that makes two requests the same job: ``"kind:[sorted params]"``, or, when that
    is longer than ``job.dedupe_key`` holds (``DEDUPE_KEY_LENGTH`` characters; a mail's link base
    comes from the request's Host header and may be any length), ``"kind:sha256:<hex digest>"``
    of it. PostgreSQL refuses a longer value; SQLite would store it."""
    key = f"{kind}:{sorted(params.items())}"
    if len(key) <= DEDUPE_KEY_LENGTH:
        return key
    return f"{kind}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"


def enqueue(kind: str, params: dict[str, Any], actor_id: int | None) -> Job:
    """Create (or reuse) the job for ``kind`` + ``params`` and start it."""
    key = dedupe_key(kind, params)
    running = db.session.scalar(
        select(Job).where(Job.dedupe_key == key, Job.state.in_(["queued", "running"]))
    )
    if running is not None and not reap_if_dead(running):
        return running
    job = Job(
        public_id=uuid.uuid4().hex, kind=kind, params=params, dedupe_key=key, created_by_id=actor_id
    )
    db.session.add(job)
    db.session.flush()
    # Read before the commit: reading it after would begin a new transaction in this session
    # that stays open while a synchronous job runs and commits in a session of its own.
    job_id = job.id
    db.session.commit()
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))
        queue.enqueue(
            WORKER_ENTRY,
            job_id,
            retry=Retry(max=RETRIES),
            job_timeout=1800,
            job_id=rq_job_id(job),
        )
    else:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        if app.config.get("JOBS_SYNC"):  # tests and CLI: run now, then see the outcome
            run_job(app, job_id)
            db.session.refresh(job)
        else:
            thread = threading.Thread(
                target=run_job, args=(app, job_id), name=f"job-{job_id}", daemon=True
            )
            threads: set[threading.Thread] = app.extensions.setdefault(THREADS_KEY, set())
            threads.difference_update([t for t in threads if not t.is_alive()])
            threads.add(thread)
            thread.start()
    return job


def join_in_process(app: Flask, timeout: float = 60.0) -> list[str]:
    """Wait up to ``timeout`` seconds in all for the in-process job threads ``app`` started.

    For whoever is about to take ``app``'s database away (a test dropping its database, a
    process shutting down) while a job may still write to it. Returns the names of the threads
    still running when the time was up (empty: all finished); those jobs are left to
    ``reap_if_dead``.
    """
    threads: set[threading.Thread] = app.extensions.get(THREADS_KEY, set())
    deadline = time.monotonic() + timeout
    for thread in list(threads):
        thread.join(max(0.0, deadline - time.monotonic()))
        if not thread.is_alive():
            threads.discard(thread)
    return sorted(thread.name for thread in threads)


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
            data, name, mimetype = functions_of(app)[job.kind](job, report)
        except Exception as exc:  # record any failure on the job for the person waiting
            db.session.rollback()
            failed = db.session.get(Job, job_id)
            assert failed is not None
            failed.state, failed.message, failed.finished_at = "failed", str(exc)[:300], utcnow()
            db.session.commit()
            raise
        finally:
            stop.set()
        job.result, job.result_name, job.result_type = data, name, mimetype
        job.state, job.progress, job.finished_at = "done", 100, utcnow()
        db.session.commit()
