"""Run every benchmark, print the figures, and write them with the machine and date into
``bench/RESULTS.md``.

Usage: ``python -m bench [N ...]`` (``make bench``); the region sizes (default 10,000 and 100,000);
a size above 100,000 runs the province benchmark (``bench.province``) instead of the region one.
Each benchmark prints its own goal next to its figure; nothing here asserts.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem / 1024 / 1024:.0f} GiB, "
        f"{platform.platform()}, Python {platform.python_version()}"
    )


def run(module: str, *args: str) -> tuple[str, float]:
    """Run ``python -m module *args`` from the project root, echo its output line by line as it
    comes (``bench`` makes its output line-buffered), and return that output and the wall-clock
    seconds it took."""
    print(f"== {module} {' '.join(args)}")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=HERE.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        print(line, end="")
        lines.append(line)
    if proc.wait() != 0:
        lines.append(f"(exited with {proc.returncode})\n")
    return "".join(lines), time.perf_counter() - start


#: Regions above this size run as the province benchmark (``bench.province``: PostgreSQL only,
#: generated with COPY, re-scored on RQ workers) instead of ``bench.region``.
PROVINCE_ABOVE = 100_000


#: The line a kept province section carries under its heading.
KEPT_NOTE = "(Kept from an earlier run: this one did not run it.)"


def kept_province_sections() -> str:
    """The province sections of the current ``RESULTS.md`` (``## Province ...`` up to the next
    ``## `` heading or the end), so a default run, which does not run the province benchmark,
    does not erase the last one's figures. Empty when there are none."""
    path = HERE / "RESULTS.md"
    if not path.exists():
        return ""
    kept, keeping = [], False
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("## "):
            keeping = line.startswith("## Province")
            if keeping:
                kept += ["\n", line, f"\n{KEPT_NOTE}\n"]
                continue
        if keeping and not line.startswith(KEPT_NOTE):
            kept.append(line)
    return "".join(kept)


def main() -> None:
    sizes = sys.argv[1:] or ["10000", "100000"]
    regions = [n for n in sizes if int(n) <= PROVINCE_ABOVE]
    provinces = [n for n in sizes if int(n) > PROVINCE_ABOVE]
    started = time.perf_counter()
    sections = [run("bench.http_load"), run("bench.report_timing")]
    names = ["Pages under load", "Enterprise report and PDF"]
    if regions:
        sections.append(run("bench.region", *regions))
        names.append(f"Regions of {' and '.join(f'{int(n):,}' for n in regions)} enterprises")
    if provinces:
        sections.append(run("bench.province", *provinces))
        names.append(
            f"Province of {' and '.join(f'{int(n):,}' for n in provinces)} enterprises (PostgreSQL)"
        )
    total = time.perf_counter() - started
    body = "\n".join(
        f"## {name} ({seconds:.0f} s)\n\n```\n{out.rstrip()}\n```\n"
        for name, (out, seconds) in zip(names, sections, strict=True)
    )
    if not provinces:
        body += kept_province_sections()
    goals = "".join(
        f"- `{line.strip()}`\n"
        for out, _ in sections
        for line in out.splitlines()
        if "met" in line and "goal" in line
    )
    body = f"## Goals of this run\n\n{goals or '(none printed)'}\n{body}"
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    (HERE / "RESULTS.md").write_text(
        f"# Benchmark results\n\nWritten by `make bench` (`python -m bench`) on {when}, "
        f"in {total / 60:.1f} minutes.\n\nMachine: {machine()}.\n\n"
        f"PostgreSQL: {'yes' if os.environ.get('BENCH_DATABASE_URL') or os.environ.get('TEST_DATABASE_URL') else 'not set'}.\n\n"
        f"{body}",
        encoding="utf-8",
    )
    print(f"== all benchmarks in {total / 60:.1f} minutes; figures written to bench/RESULTS.md")


if __name__ == "__main__":
    main()
