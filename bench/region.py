"""A generated region of N enterprises x 2 rounds: generation, government dashboard data and
workbook (SQLite and PostgreSQL), re-scoring a round, and refitting the peer clusters, each next
to a floor measured in the same run on the same data.

Floors:
- dashboard: one bare ``GROUP BY town, stage`` over the same tables;
- re-scoring: the same weighted sums (item values -> indicators -> dimensions -> index) as NumPy
  matrix products over the already-loaded item values, with the time to read and convert the
  stored answers printed beside it;
- clustering: one bare scikit-learn fit (``make_peer_pipeline(k).fit``) on the same matrix.

PostgreSQL: a fresh database on the server named by ``BENCH_DATABASE_URL`` or
``TEST_DATABASE_URL`` (dropped afterwards), filled by copying the SQLite tables.

Usage: ``python -m bench.region [N ...]`` (default 10,000 and 100,000; re-scoring and the refit
run on the largest).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import numpy as np
from sqlalchemy import create_engine, delete, func, select

from assessment.clustering import fit_peer_model, make_peer_pipeline
from assessment.features import feature_columns, feature_matrix
from assessment.instrument import is_applicable, item_value, load_instrument
from assessment.scoring import scoring_version_for
from assessment.types import Instrument
from bench.figures import against_floor, timed
from bench.scratch import database_server, scratch_app, scratch_database, vacuum
from models import Assessment, AssessmentResultRecord, Enterprise
from webapp import create_app
from webapp.extensions import cache, db
from webapp.services import snapshots
from webapp.services.aggregates import dashboard
from webapp.services.clusters import _scores_of_round, fit_round
from webapp.services.government_reports import workbook
from webapp.services.region import generate_region
from webapp.services.rescoring import rescore_round

ROUND, COMPARE = "2026", "2025"
#: The questionnaire the region answers (``BENCH_INSTRUMENT_VERSION``, default "1", as in
#: ``bench.province``): v2's borderline search makes generating 100,000 firms take an hour.
INSTRUMENT = load_instrument("dmi", os.environ.get("BENCH_INSTRUMENT_VERSION", "1"))


def one_group_by() -> None:
    db.session.execute(
        select(Enterprise.town, Assessment.stage, func.count())
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(Assessment.round_code == ROUND)
        .group_by(Enterprise.town, Assessment.stage)
    ).all()


def dashboard_figures(label: str, n: int) -> None:
    db.session.expire_all()
    cache.clear()
    _, floor = timed(one_group_by)
    _, cold = timed(lambda: dashboard(ROUND, "zh", compare_round=COMPARE))
    _, warm = timed(lambda: dashboard(ROUND, "zh", compare_round=COMPARE))
    cache.clear()
    _, book = timed(lambda: workbook(ROUND, "zh"))
    print(
        f"  {label:<10} dashboard data: computed {cold:6.2f} s vs one GROUP BY {floor:6.3f} s "
        f"(ratio {cold / floor:5.1f}x; goal < 1 s: {'met' if cold < 1 else 'NOT met'}), "
        f"cached {warm * 1000:5.0f} ms (goal {'met' if warm < 1 else 'NOT met'})"
        f"  | Excel workbook from scratch {book:6.2f} s",
    )


def weight_matrices(instrument: Instrument) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Item codes, item->indicator averaging, indicator->dimension and dimension->index weights."""
    items = [i.code for i in instrument.items]
    indicators = [ind for d in instrument.dimensions for ind in d.indicators]
    a = np.zeros((len(items), len(indicators)))
    b = np.zeros((len(indicators), len(instrument.dimensions)))
    for j, ind in enumerate(indicators):
        for item in ind.items:
            a[items.index(item.code), j] = 1 / len(ind.items)
    for k, dim in enumerate(instrument.dimensions):
        total = sum(ind.weight for ind in dim.indicators)
        for ind in dim.indicators:
            b[indicators.index(ind), k] = ind.weight / total
    c = np.array([d.weight for d in instrument.dimensions])
    return items, a, b, c / c.sum()


def rescoring_figures(n: int) -> None:
    """Print the seconds to re-score every assessment of round ``ROUND`` again, against the
    same weighted sums as NumPy matrix products (goal: within 3x)."""
    instrument = INSTRUMENT
    items, a, b, c = weight_matrices(instrument)

    def load_values() -> np.ndarray:
        rows = db.session.execute(
            select(Assessment.responses, Assessment.profile_snapshot).where(
                Assessment.round_code == ROUND
            )
        ).all()
        values = np.zeros((len(rows), len(items)))
        for r, (responses, profile) in enumerate(rows):
            p = snapshots.profile_from_json(profile)
            for j, code in enumerate(items):
                answer = responses.get(code)
                item = instrument.item(code)
                if answer is not None and is_applicable(item, p, responses):
                    values[r, j] = item_value(item, answer)
        return values

    values, load = timed(load_values)
    _, floor = timed(lambda: 100 * (values @ a) @ b @ c)

    # The round's own scoring version, its submit-time results taken out of the history first:
    # every assessment is scored again, as under a new version of the same model.
    db.session.execute(
        delete(AssessmentResultRecord).where(
            AssessmentResultRecord.assessment_id.in_(
                select(Assessment.id).where(Assessment.round_code == ROUND)
            )
        )
    )
    db.session.commit()
    outcome, ours = timed(lambda: rescore_round(ROUND, scoring_version_for(instrument)))
    per = ours / max(outcome.rescored, 1) * 1000
    print(
        f"  re-score {outcome.rescored:,} stored assessments: {ours:6.1f} s ({per:.2f} ms each, "
        f"gates, history and writes included)\n"
        f"    floor: NumPy weighted sums {floor * 1000:6.1f} ms "
        f"({against_floor(ours, floor, 3, ',.0f')}); reading and converting the stored answers "
        f"alone {load:5.1f} s (ratio to that {ours / load:4.1f}x)",
    )


def clustering_figures() -> None:
    """Print the seconds to refit the peer clusters of round ``ROUND``, against one bare
    scikit-learn pipeline fit with the chosen k (goal: within 1.5x)."""
    record, job = timed(lambda: fit_round(ROUND, random_state=0))
    (_, rows, _), read = timed(lambda: _scores_of_round(ROUND))
    columns = feature_columns(INSTRUMENT)
    x = feature_matrix(rows, columns)
    model, ours = timed(lambda: fit_peer_model(x, columns, random_state=0))
    _, floor = timed(lambda: make_peer_pipeline(model.k, 0).fit(x))
    print(
        f"  refit peer clusters on {len(x):,} assessments: model {ours:6.2f} s (k={model.k} chosen "
        f"by silhouette on a sample, bootstrap stability, final fit on all rows) vs one bare "
        f"KMeans(k={model.k}) pipeline fit {floor:5.2f} s "
        f"({against_floor(ours, floor, 1.5, '4.1f')}); the whole job "
        f"{job:6.2f} s, of which reading the scores {read:5.2f} s",
    )


def copy_to(target_url: str) -> float:
    """Copy every table of the current (SQLite) database into ``target_url`` with PostgreSQL's
    COPY, values as stored (JSON stays text); seconds taken."""
    import psycopg  # noqa: PLC0415  (the optional "postgres" extra: only this benchmark needs it)

    target = create_engine(target_url)
    db.metadata.create_all(target)
    target.dispose()
    start = time.perf_counter()
    raw = db.session.connection().connection.driver_connection  # the sqlite3 connection
    dsn = target_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn) as pg, pg.cursor() as cur:
        for table in db.metadata.sorted_tables:
            names = [c.name for c in table.columns]
            booleans = {i for i, c in enumerate(table.columns) if c.type.python_type is bool}
            quoted = ", ".join(f'"{n}"' for n in names)
            with cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in raw.execute(f'SELECT {quoted} FROM "{table.name}"'):
                    copy.write_row(
                        [
                            bool(v) if i in booleans and v is not None else v
                            for i, v in enumerate(row)
                        ]
                    )
            pk = [c.name for c in table.primary_key.columns if c.autoincrement is True]
            if len(pk) == 1:  # keep the sequence past the copied ids
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0]}'), "
                    f'coalesce(max("{pk[0]}"), 1)) FROM "{table.name}"'
                )
    return time.perf_counter() - start


def postgres_figures(sqlite_app: Any, server_url: str, n: int) -> None:
    """Copy the region of ``sqlite_app`` into a scratch database on ``server_url`` and print
    the dashboard figures there."""
    with scratch_database(server_url, "bench") as url:
        with sqlite_app.app_context():
            copied = copy_to(url)
        print(f"  copied the region into PostgreSQL in {copied:5.1f} s")
        vacuum(url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            dashboard_figures("PostgreSQL", n)
            db.session.remove()
            db.engine.dispose()


def region(n: int, full: bool) -> None:
    """Generate a region of ``n`` and print its figures; re-scoring and refit when ``full``."""
    print(
        f"region of {n:,} enterprises x 2 rounds ({COMPARE}, {ROUND}), "
        f"questionnaire v{INSTRUMENT.version}",
    )
    with scratch_app("region.sqlite") as app:
        # New assessments and the peer model follow the bench's questionnaire.
        app.extensions["instruments"].packaged_current = ("dmi", INSTRUMENT.version)
        with app.app_context():
            written, seconds = timed(
                lambda: generate_region(n, 2, int(ROUND), seed=1, instrument=INSTRUMENT)
            )
            print(
                f"  generate: {written:,} assessments in {seconds:5.1f} s "
                f"({written / seconds:,.0f}/s)",
            )
            dashboard_figures("SQLite", n)
        server = database_server()
        if server:
            postgres_figures(app, server, n)
        else:
            print("  PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)")
        with app.app_context():
            if full:
                rescoring_figures(n)
                clustering_figures()
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    for i, n in enumerate(sizes):
        region(n, full=i == len(sizes) - 1)


if __name__ == "__main__":
    main()
