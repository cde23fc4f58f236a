"""Province scale on one PostgreSQL: N enterprises x 2 rounds generated straight into a fresh
database with COPY, the government dashboard's figures from the round rollup, and re-scoring a
round on two RQ workers, each next to a floor measured in the same run on the same data.

Floors:
- dashboard: the facts counted from the rows in one GROUP BY (what the rollup holds);
- re-scoring: reading the stored answers of the round and converting them to item values in
  one process (the work every re-score must do before any scoring).

The regions answer questionnaire v1 (``BENCH_INSTRUMENT_VERSION``, default "1"): scoring a v2
answer set runs the borderline search (every neighbouring answer re-classified), about 20 ms
per assessment on this machine, which alone would take 2,000,000 x 20 ms = 11 hours of CPU;
the per-assessment cost of v2 is printed from a sample of 200.

Needs ``BENCH_DATABASE_URL`` (or ``TEST_DATABASE_URL``) and ``BENCH_REDIS_URL`` (the RQ queue
of the two workers; without it re-scoring runs in this process). The database (named
``province_<hex>``) is dropped afterwards.

Usage: ``python -m bench.province N`` (``make bench`` runs it for sizes above 100,000).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from flask import Flask
from redis import Redis
from sqlalchemy import delete, select

from assessment.instrument import is_applicable, item_value
from assessment.synthetic import synthetic_cohort
from bench.figures import against_floor, timed
from bench.region import COMPARE, ROUND
from bench.scratch import database_server, scratch_database, vacuum
from models import Assessment, AssessmentResultRecord, Job
from webapp import create_app, jobs
from webapp.extensions import cache, db
from webapp.registries import instruments, scorer_for
from webapp.services import aggregates, releases, rollups, snapshots
from webapp.services.region import Progress, generate_region
from webapp.services.rescoring import rescore_round
from webapp.services.round_versions import has_submissions, rounds_with_submissions

ROOT = Path(__file__).resolve().parent.parent


def v2_cost() -> float:
    """Milliseconds to generate and score one v2 assessment (a sample of 200)."""
    v2 = instruments().get("dmi", "2")
    score = scorer_for(v2)
    cohort = list(synthetic_cohort(v2, 200, seed=1))
    start = time.perf_counter()
    for e in cohort:
        profile = snapshots.profile_from_json(
            snapshots.enterprise_columns(
                e.industry_code, e.production_type, e.town, e.employees, e.revenue_wan
            )
        )
        score(v2, profile, e.responses)
    return (time.perf_counter() - start) / len(cohort) * 1000


def generate(n: int, version: str) -> None:
    def report(p: Progress) -> None:
        if p.done == p.total or p.done % 25_000 == 0:
            print(f"    {p.done:>9,}/{p.total:,} enterprises ({p.rate:,.0f}/s)")

    instrument = instruments().get("dmi", version)
    written, seconds = timed(lambda: generate_region(n, 2, int(ROUND), 1, report, instrument, 2))
    print(
        f"  generate (questionnaire v{version}, COPY, 2 worker processes): {written:,} "
        f"assessments in {seconds:6.1f} s ({n / seconds:,.0f} enterprises/s, "
        f"{seconds / written * 1e6:,.0f} us per assessment)",
    )


def officer_page() -> None:
    """What the officer's dashboard page reads, as its view does (round selector, default
    comparison, release due?, figures)."""
    rounds_with_submissions()
    has_submissions(COMPARE)
    releases.release_due(ROUND, now=datetime.now(UTC) + timedelta(days=8))
    aggregates.dashboard(ROUND, "zh", compare_round=COMPARE)


def dashboard_figures() -> None:
    db.session.expire_all()
    _, floor = timed(lambda: aggregates.round_facts_from_rows(ROUND))
    _, rebuild = timed(lambda: (rollups.rebuild(ROUND), db.session.commit()))
    facts, rollup = timed(lambda: aggregates.round_facts(ROUND))
    print(
        f"  facts of round {ROUND}: from the rollup {rollup * 1000:6.1f} ms ({len(facts):,} "
        f"cells) vs one GROUP BY over the rows {floor:6.2f} s; rebuilding the rollup "
        f"(one INSERT ... SELECT) {rebuild:6.2f} s",
    )
    _, moves = timed(lambda: aggregates.moves_rows(ROUND, COMPARE))
    _, summary = timed(lambda: aggregates.release_summary(ROUND, facts))
    release, cut = timed(lambda: releases.cut_release(ROUND, "cli"))
    print(
        f"  cut a release: {cut:6.2f} s ({release.status}; of which stage moves "
        f"{moves:5.2f} s, median + dimension means + pending {summary:5.2f} s, "
        f"audit {release.audit['seconds']:5.2f} s)",
    )
    db.session.expire_all()
    cache.clear()
    _, cold = timed(officer_page)
    _, warm = timed(officer_page)
    print(
        f"  officer's dashboard page data, cold: {cold * 1000:6.0f} ms (goal < 1 s: "
        f"{'met' if cold < 1 else 'NOT met'}), warm {warm * 1000:5.0f} ms",
    )


def read_answers(version: str) -> tuple[int, float]:
    """The floor of re-scoring: read the round's stored answers and profiles and convert them
    to item values (streamed); (assessments read, seconds)."""
    items = list(instruments().get("dmi", version).items)
    start = time.perf_counter()
    count = 0
    rows = db.session.execute(
        select(Assessment.responses, Assessment.profile_snapshot)
        .where(Assessment.round_code == ROUND)
        .execution_options(yield_per=10_000)
    )
    values = np.zeros(len(items))
    for responses, profile in rows:
        p = snapshots.profile_from_json(profile)
        for j, item in enumerate(items):
            answer = responses.get(item.code)
            if answer is not None and is_applicable(item, p, responses):
                values[j] = item_value(item, answer)
        count += 1
    return count, time.perf_counter() - start


def start_workers(url: str, redis_url: str, n: int) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "bench",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "rq.cli", "worker", "-w", "rq.SimpleWorker", "--url"]
    return [
        subprocess.Popen(
            [*command, redis_url, jobs.QUEUE_NAME],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(n)
    ]


def rescoring_figures(app: Flask, url: str, redis_url: str | None, version: str) -> None:
    """Print the seconds to re-score round ``ROUND`` (on two RQ workers when ``redis_url`` is
    given, else in this process), against reading and converting its answers (goal: within
    2x)."""
    read, floor = read_answers(version)
    # Version 1 again, its submit-time results taken out of the history first: every
    # assessment is re-scored, as under a new version of the same model.
    db.session.execute(
        delete(AssessmentResultRecord).where(
            AssessmentResultRecord.assessment_id.in_(
                select(Assessment.id).where(Assessment.round_code == ROUND)
            )
        )
    )
    db.session.commit()
    if redis_url:
        Redis.from_url(redis_url).flushdb()
        app.config["REDIS_URL"] = redis_url
        workers = start_workers(url, redis_url, 2)
        try:
            start = time.perf_counter()
            job_id = jobs.enqueue(
                "rescore_round", {"round": ROUND, "scoring_version": version}, None
            ).id
            state = "queued"
            while state not in ("done", "failed"):
                time.sleep(1)
                db.session.expire_all()
                state, message = db.session.execute(
                    select(Job.state, Job.message).where(Job.id == job_id)
                ).one()
                db.session.commit()
            ours = time.perf_counter() - start
        finally:
            for w in workers:
                w.send_signal(signal.SIGTERM)
            for w in workers:
                w.wait(timeout=60)
        where = f"on 2 RQ workers ({state}: {message})"
    else:
        _, ours = timed(lambda: rescore_round(ROUND, version))
        where = "in this process (no BENCH_REDIS_URL)"
    print(
        f"  re-score {read:,} stored assessments {where}: {ours:6.1f} s "
        f"({ours / read * 1e6:,.0f} us each, history, rollup and writes included)\n"
        f"    floor: reading and converting the stored answers in one process {floor:6.1f} s "
        f"({against_floor(ours, floor, 2)})",
    )


def province(n: int) -> None:
    """Generate a province of ``n`` enterprises in a scratch PostgreSQL database and print its
    figures; skipped when no server is configured (``database_server``)."""
    server = database_server()
    if not server:
        print("  province: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)")
        return
    version = os.environ.get("BENCH_INSTRUMENT_VERSION", "1")
    print(f"province of {n:,} enterprises x 2 rounds ({COMPARE}, {ROUND}) on PostgreSQL")
    with scratch_database(server, "province") as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            print(f"  questionnaire v2: {v2_cost():5.1f} ms to score one assessment")
            generate(n, version)
            print(f"  VACUUM ANALYZE after the load: {vacuum(url):5.1f} s")
            dashboard_figures()
            rescoring_figures(app, url, os.environ.get("BENCH_REDIS_URL"), version)
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    for n in [int(a) for a in sys.argv[1:]] or [1_000_000]:
        province(n)


if __name__ == "__main__":
    main()
