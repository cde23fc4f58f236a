"""Government dashboard data for a generated region, next to one bare GROUP BY, on SQLite and
(when ``TEST_DATABASE_URL`` or ``BENCH_DATABASE_URL`` names one) PostgreSQL.

Usage: ``python -m bench.aggregates [N]`` (default 10,000 enterprises x 2 rounds).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

from sqlalchemy import func, select, text

from models import Assessment, Enterprise
from webapp import create_app
from webapp.extensions import db
from webapp.services.aggregates import dashboard
from webapp.services.government_reports import workbook
from webapp.services.region import generate_region


def run(url: str, n: int, label: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        generate_region(n, 2, 2026, seed=1)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        db.session.execute(
            select(Enterprise.town, Assessment.stage, func.count())
            .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
            .where(Assessment.round_code == "2026").group_by(Enterprise.town, Assessment.stage)
        ).all()  # fmt: skip
        floor = time.perf_counter() - start
        start = time.perf_counter()
        dashboard("2026", "zh", compare_round="2025")
        ours = time.perf_counter() - start
        start = time.perf_counter()
        workbook("2026", "zh")
        book = time.perf_counter() - start
        print(f"{label:>10} n={n:>7,}: generate {generated:6.1f} s | dashboard data {ours:5.2f} s "
              f"vs one GROUP BY {floor:5.3f} s (ratio {ours / floor:5.1f}x) | workbook {book:5.2f} s",
              flush=True)  # fmt: skip
        db.session.execute(text("SELECT 1"))
        db.drop_all()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.sqlite", n, "SQLite")
    pg = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if pg:
        run(pg.replace("postgresql://", "postgresql+psycopg://", 1), n, "PostgreSQL")
    else:
        print(
            "PostgreSQL: set BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test to include it"
        )


if __name__ == "__main__":
    main()
