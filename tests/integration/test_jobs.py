"""Background jobs in-process (the embedded default): progress, kept result, no double run.

The same jobs on a real Redis queue are in ``test_jobs_redis.py``."""

from __future__ import annotations

import threading
import time

import pytest
from rq.utils import import_attribute
from sqlalchemy import select

from models import Job
from webapp import jobs, worker
from webapp.extensions import db


@pytest.fixture
def echo_job(job_functions):  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def echo(job, report):  # type: ignore[no-untyped-def]
        calls.append(job.id)
        report(50, "half way")
        if job.params.get("fail"):
            raise RuntimeError("boom")
        return f"hello {job.params['n']}".encode(), "hello.txt", "text/plain"

    job_functions["echo"] = echo
    return calls


def wait_done(app, job_id: int, seconds: float = 10) -> Job:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.session.get(Job, job_id)
            if job.state in ("done", "failed"):
                db.session.expunge(job)
                break
        time.sleep(0.05)
    else:
        raise AssertionError("job did not finish")
    # Let an in-process job's thread give its connection back before the test's database goes.
    for thread in threading.enumerate():
        if thread.name == f"job-{job_id}":
            thread.join(timeout=seconds)
    return job


@pytest.mark.own_database  # the job's thread commits on a connection of its own (JOBS_SYNC
# tests below run the job inside the test's own app context, so they may share the transaction)
def test_in_process_job_runs_in_a_thread_and_keeps_the_result(app, echo_job) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        job_id = jobs.enqueue("echo", {"n": 1}, None).id
    job = wait_done(app, job_id)
    assert job.state == "done" and job.progress == 100 and job.result == b"hello 1"


def test_same_request_while_running_is_not_started_twice(app, echo_job) -> None:  # type: ignore[no-untyped-def]
    app.config["JOBS_SYNC"] = True
    with app.app_context():
        queued = jobs.Job(
            public_id="x" * 32,
            kind="echo",
            params={"n": 2},
            dedupe_key=f"echo:{sorted({'n': 2}.items())}",
            state="running",
        )
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


def test_the_worker_entry_rq_is_given_names_the_worker_function() -> None:
    """Jobs go on the RQ queue by dotted name (``webapp.jobs`` may not import the app); the
    name must resolve, as a worker resolves it, to the function that runs a job."""
    assert import_attribute(jobs.WORKER_ENTRY) is worker.run_job_in_worker


def test_a_request_with_a_long_parameter_is_one_job_whose_key_fits_the_column(
    app, echo_job
) -> None:  # type: ignore[no-untyped-def]
    """A long parameter (a mail's link base comes from the Host header) gives a digest key that
    fits ``job.dedupe_key`` (PostgreSQL refuses longer values), and the job is stored and run."""
    assert jobs.dedupe_key("echo", {"n": 1}) == "echo:[('n', 1)]"  # short keys stay readable
    params = {"n": 1, "base_url": "http://" + "h" * 500 + "/"}
    key = jobs.dedupe_key("echo", params)
    assert key.startswith("echo:sha256:") and len(key) <= jobs.DEDUPE_KEY_LENGTH
    assert jobs.DEDUPE_KEY_LENGTH == Job.__table__.c.dedupe_key.type.length
    assert key != jobs.dedupe_key("echo", params | {"n": 2})
    with app.app_context():
        first = jobs.enqueue("echo", params, None)
        assert first.dedupe_key == key and first.state == "done"
