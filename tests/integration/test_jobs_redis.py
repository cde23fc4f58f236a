"""Background jobs on a real Redis queue (RQ) with real worker processes.

The server is ``TEST_REDIS_URL`` (CI sets it; a missing server then fails the run). Without it the
tests try the local default and skip when no server answers.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from rq import Retry, SimpleWorker
from rq.registry import FailedJobRegistry
from sqlalchemy import select

from models import Job
from tests.integration.rq_processes import ROOT, committed_job, worker_env
from tests.integration.test_jobs import wait_done
from webapp import job_functions, jobs
from webapp.extensions import db

# RQ workers are other processes: they see only committed rows, on connections of their own.
pytestmark = pytest.mark.own_database


@pytest.fixture
def echo_job(monkeypatch):  # type: ignore[no-untyped-def]
    def echo(job, report):  # type: ignore[no-untyped-def]
        report(50, "half way")
        return f"hello {job.params['n']}".encode(), "hello.txt", "text/plain"

    # The worker builds its own app, which copies the job table of ``webapp.job_functions``.
    monkeypatch.setitem(job_functions.JOB_FUNCTIONS, "echo", echo)


def test_job_is_queued_on_redis_and_run_by_a_worker(
    app, queue, redis_url, echo_job, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    app.config["REDIS_URL"] = redis_url
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        job_id = jobs.enqueue("echo", {"n": 5}, None).id
        assert db.session.get(Job, job_id).state == "queued"  # nothing ran in the web process
        again = jobs.enqueue("echo", {"n": 5}, None)  # a double click: the same job, not a new one
        assert again.id == job_id
    assert queue.count == 1
    (queued,) = queue.jobs
    assert queued.retries_left == jobs.RETRIES
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    failed = FailedJobRegistry(queue=queue)
    assert failed.count == 0, [
        queue.fetch_job(i).latest_result().exc_string for i in failed.get_job_ids()
    ]
    job = wait_done(app, job_id)
    assert job.state == "done" and job.progress == 100 and job.result == b"hello 5"


@pytest.mark.load  # starts a real RQ worker process and kills its work-horse
def test_a_killed_worker_process_is_retried_and_the_job_finishes_once(
    app, queue, redis_url, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    calls = tmp_path / "calls.txt"
    job_id, _ = committed_job(app, "c" * 32, "crash_once", "crash_once")
    queue.enqueue(
        "tests.integration.rq_worker_jobs.run_crash_once",
        job_id,
        retry=Retry(max=jobs.RETRIES),
        job_timeout=60,
    )
    env = worker_env(app, calls)
    # A real forking worker: the first work-horse is killed mid-job, the worker survives it.
    worker = subprocess.run(
        [sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", redis_url, jobs.QUEUE_NAME],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr[-2000:]
    assert calls.read_text().split() == ["start", "start", "finish"]
    done = wait_done(app, job_id)
    assert done.state == "done" and done.result == b"survived"
    with app.app_context():
        assert db.session.scalars(select(Job)).all()[0].finished_at is not None
