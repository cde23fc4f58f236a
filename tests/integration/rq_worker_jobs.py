"""Job functions that only an RQ worker started by the Redis tests imports.

``crash_once`` kills the work-horse process the first time it runs a job (as an out-of-memory kill
or a host restart would), after the job row has been marked running; the retry finishes it.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from models import Job
from webapp import job_functions, worker

CALLS_FILE = "RQ_TEST_CALLS_FILE"


def _crash_once(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    calls = Path(os.environ[CALLS_FILE])
    with calls.open("a") as f:
        f.write("start\n")
    report(40, "half way")
    if calls.read_text().count("start") == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    with calls.open("a") as f:
        f.write("finish\n")
    return b"survived", "survived.txt", "text/plain"


def run_crash_once(job_id: int) -> None:
    """RQ entry point: add the crashing function to the table the worker's app copies (this
    work-horse process only), then run the job as a worker would."""
    job_functions.JOB_FUNCTIONS["crash_once"] = _crash_once
    worker.run_job_in_worker(job_id)


def _hang(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Report progress, then wait far longer than any test: a job that only a kill ends."""
    Path(os.environ[CALLS_FILE]).write_text(f"{os.getpid()}\n")  # the work-horse, to kill
    report(30, "working")
    time.sleep(600)
    return b"never", "never.txt", "text/plain"


def run_hang(job_id: int) -> None:
    """RQ entry point: add the hanging function to the table the worker's app copies, then run
    the job as a worker would."""
    job_functions.JOB_FUNCTIONS["hang"] = _hang
    worker.run_job_in_worker(job_id)
