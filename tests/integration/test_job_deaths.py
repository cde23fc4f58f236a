"""A job whose process died is marked failed and asking again starts a new one (review finding
5: a killed worker left its job "running" forever, and asking again returned the stuck job)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from redis import Redis
from rq import Queue
from sqlalchemy import select

from models import Job, utcnow
from webapp import jobs
from webapp.extensions import db

ROOT = Path(__file__).resolve().parents[2]

# Jobs here run in threads (with heartbeat threads) or in an RQ worker process, each on a
# connection of its own: the rows must really be committed.
pytestmark = pytest.mark.own_database


@pytest.fixture
def redis_url() -> str:
    redis = pytest.importorskip("redis")
    url = os.environ.get("TEST_REDIS_URL")
    try:
        redis.Redis.from_url(url or "redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        if url:
            raise
        pytest.skip("no Redis server (set TEST_REDIS_URL)")
    return url or "redis://127.0.0.1:6379/15"


@pytest.fixture
def queue(redis_url: str):  # type: ignore[no-untyped-def]
    connection = Redis.from_url(redis_url)
    connection.flushdb()
    yield Queue(jobs.QUEUE_NAME, connection=connection)
    connection.flushdb()
    connection.close()


def test_a_running_job_without_heartbeat_is_failed_and_asking_again_starts_a_new_one(
    app: Flask,
) -> None:
    with app.app_context():
        stuck = Job(
            public_id="d" * 32,
            kind="government_xlsx",
            params={"round": "2026"},
            dedupe_key=f"government_xlsx:{sorted({'round': '2026'}.items())}",
            state="running",
            progress=40,
            heartbeat_at=utcnow() - timedelta(minutes=5),  # the web process died 5 minutes ago
        )
        db.session.add(stuck)
        db.session.commit()
        app.config["JOBS_SYNC"] = True
        fresh = jobs.enqueue("government_xlsx", {"round": "2026"}, None)
        assert fresh.id != stuck.id
        old = db.session.get(Job, stuck.id)
        assert old is not None and old.state == "failed" and old.finished_at is not None
        assert old.message  # says the process stopped, in the page's language


def test_a_live_job_keeps_its_heartbeat_and_is_not_replaced(
    app: Flask, job_functions: dict[str, Any]
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(job, report):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(10)
        return b"ok", "ok.txt", "text/plain"

    job_functions["slow"] = slow
    app.config.update(JOB_HEARTBEAT_SECONDS=0.1, JOB_STALE_SECONDS=1)
    try:
        with app.app_context():
            job = jobs.enqueue("slow", {}, None)
            job_id = job.id
        assert started.wait(10)
        time.sleep(1.5)  # longer than JOB_STALE_SECONDS: only the heartbeat keeps it alive
        with app.app_context():
            again = jobs.enqueue("slow", {}, None)
            assert again.id == job_id
            beat = db.session.get(Job, job_id).heartbeat_at
            assert beat is not None and utcnow() - jobs._aware(beat) < timedelta(seconds=1)
    finally:
        release.set()
        for thread in threading.enumerate():
            if thread.name.startswith(f"job-{job_id}"):
                thread.join(10)


@pytest.mark.load  # starts a real RQ worker process and kills it
def test_killing_the_rq_worker_mid_job_fails_the_job_and_asking_again_starts_a_new_one(
    app: Flask,
    queue,
    redis_url: str,
    tmp_path: Path,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    calls = tmp_path / "calls.txt"
    key = f"hang:{sorted({}.items())}"
    with app.app_context():
        job = Job(public_id="e" * 32, kind="hang", params={}, dedupe_key=key)
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        queue.enqueue(
            "tests.integration.rq_worker_jobs.run_hang",
            job_id,
            job_timeout=600,
            job_id=jobs.rq_job_id(job),
        )
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "RQ_TEST_CALLS_FILE": str(calls),
        "PYTHONPATH": str(ROOT),
        "JOB_HEARTBEAT_SECONDS": "1",
        "SECRET_KEY": "test-secret",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "rq.cli", "worker", "--url", redis_url, jobs.QUEUE_NAME],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the worker and its work-horse
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with app.app_context():
                state = db.session.scalar(select(Job.state).where(Job.id == job_id))
            if state == "running" and calls.exists() and calls.read_text().strip():
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the worker never started the job")
    finally:
        # The host dies: the worker and its work-horse (RQ puts it in a session of its own).
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(30)
        if calls.exists() and calls.read_text().strip():
            try:
                os.kill(int(calls.read_text().split()[0]), signal.SIGKILL)
            except ProcessLookupError:
                pass
    app.config.update(REDIS_URL=redis_url, JOB_STALE_SECONDS=2)
    with app.app_context():
        assert jobs.enqueue("hang", {}, None).id == job_id  # still within its heartbeat
    time.sleep(3)
    with app.app_context():
        fresh = jobs.enqueue("hang", {}, None)
        assert fresh.id != job_id and fresh.state == "queued"
        dead = db.session.get(Job, job_id)
        assert dead is not None and dead.state == "failed"
    assert queue.fetch_job(jobs.rq_job_id(fresh)) is not None  # really queued again
