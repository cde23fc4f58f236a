"""Peak memory of a job worker: one process runs the government PDF job (aggregates, charts
exported through the headless browser, WeasyPrint) the way an RQ work-horse does.

Usage: ``python -m bench.job_memory DATABASE_URL`` (``bench.http_load`` calls it on its
database). Prints the process's own peak resident set and the browser's resident set.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from models import Job
from reports.chart_export import stop_export_server
from webapp import create_app, jobs
from webapp.extensions import db


def _kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid or 'self'}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _descendants(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    children = [int(p) for p in out.split()]
    return children + [d for c in children for d in _descendants(c)]


def main() -> None:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "bench", "JOBS_SYNC": True}
    )
    with app.app_context():
        start = time.perf_counter()
        job = jobs.enqueue("government_pdf", {"round": "2026", "lang": "zh"}, None)
        seconds = time.perf_counter() - start
        assert db.session.get(Job, job.id).state == "done"
    browser = sum(_kib(p, "VmRSS") for p in _descendants(os.getpid()))
    print(
        f"  job worker (government PDF job, {seconds:.1f} s): peak {_kib(0, 'VmHWM') / 1024:.0f} MiB "
        f"in the Python process + {browser / 1024:.0f} MiB resident in the chart browser "
        f"({len(_descendants(os.getpid()))} processes)",
    )

    stop_export_server()


if __name__ == "__main__":
    main()
