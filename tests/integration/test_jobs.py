"""Background jobs: in-process by default, on a real Redis queue (RQ) when REDIS_URL is set."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from models import Job
from webapp import jobs
from webapp.extensions import db

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def echo_job():  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def echo(job, report):  # type: ignore[no-untyped-def]
        calls.append(job.id)
        report(50, "half way")
        if job.params.get("fail"):
            raise RuntimeError("boom")
        return f"hello {job.params['n']}".encode(), "hello.txt", "text/plain"

    jobs.JOB_FUNCTIONS["echo"] = echo
    yield calls
    del jobs.JOB_FUNCTIONS["echo"]


def wait_done(app, job_id: int, seconds: float = 10) -> Job:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.session.get(Job, job_id)
            if job.state in ("done", "failed"):
                db.session.expunge(job)
                return job
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_in_process_job_runs_in_a_thread_and_keeps_the_result(app, echo_job) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        job_id = jobs.enqueue("echo", {"n": 1}, None).id
    job = wait_done(app, job_id)
    assert job.state == "done" and job.progress == 100 and job.result == b"hello 1"


def test_same_request_while_running_is_not_started_twice(app, echo_job) -> None:  # type: ignore[no-untyped-def]
    app.config["JOBS_SYNC"] = True
    with app.app_context():
        queued = jobs.Job(public_id="x" * 32, kind="echo", params={"n": 2},
                          dedupe_key=f"echo:{sorted({'n': 2}.items())}", state="running")  # fmt: skip
        db.session.add(queued)
        db.session.commit()
        again = jobs.enqueue("echo", {"n": 2}, None)
        assert again.id == queued.id and echo_job == []
        done = jobs.enqueue("echo", {"n": 3}, None)
        assert done.state == "done" and echo_job == [done.id]


def test_failure_is_recorded_on_the_job(app, echo_job) -> None:  # type: ignore[no-untyped-def]
    app.config["JOBS_SYNC"] = True
    with app.app_context():
        with pytest.raises(RuntimeError):
            jobs.enqueue("echo", {"n": 4, "fail": True}, None)
        job = db.session.scalar(select(Job).where(Job.kind == "echo"))
        assert job.state == "failed" and job.message == "boom"


def test_job_on_real_redis_with_an_rq_worker(app, echo_job, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    redis = pytest.importorskip("redis")
    from rq import Queue, SimpleWorker

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    connection.flushdb()
    app.config["REDIS_URL"] = REDIS_URL
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        job_id = jobs.enqueue("echo", {"n": 5}, None).id
        assert db.session.get(Job, job_id).state == "queued"  # nothing ran in the web process
    queue = Queue("dtmaturity", connection=connection)
    assert queue.count == 1
    SimpleWorker([queue], connection=connection).work(burst=True)
    from rq.registry import FailedJobRegistry

    failed = FailedJobRegistry(queue=queue)
    assert failed.count == 0, [
        queue.fetch_job(i).latest_result().exc_string for i in failed.get_job_ids()
    ]
    job = wait_done(app, job_id)
    assert job.state == "done" and job.result == b"hello 5"
    connection.flushdb()
