"""Generate a large synthetic region quickly: bulk writes, several rounds, stage progress.

On PostgreSQL the rows go in with ``COPY ... FROM STDIN`` (psycopg 3 ``cursor.copy``), one COPY
per table and batch, ids reserved from the tables' sequences; on SQLite with one executemany
INSERT per table and batch. Either way a batch is one transaction, so a run that dies keeps the
batches before it.
"""

from __future__ import annotations

import multiprocessing
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from assessment.catalogue import CentreType
from assessment.consistency import check_consistency
from assessment.scoring import Scorer
from assessment.synthetic import SyntheticEnterprise, synthetic_cohort
from assessment.types import Instrument
from models import (
    Assessment,
    AssessmentResultRecord,
    AssessmentStatus,
    DimensionScore,
    EnablingCentre,
    Enterprise,
)
from webapp.extensions import db
from webapp.registries import instruments, scorer_for
from webapp.services import bulk, demo, rollups, snapshots

#: Enterprises per transaction (x rounds assessments); a progress report after each.
BATCH = 5000


@dataclass(frozen=True)
class Progress:
    """Where a generation is: enterprises written of ``total``, seconds since the start."""

    done: int
    total: int
    seconds: float

    @property
    def rate(self) -> float:
        """Enterprises written per second so far."""
        return self.done / self.seconds if self.seconds > 0 else 0.0


def _centre_for_cluster() -> dict[str, int]:
    """Cluster -> the 专业型 centre serving it, else the 平台型 centre (fast assignment at scale)."""
    centres = db.session.scalars(
        select(EnablingCentre).where(EnablingCentre.retired.is_(False))
    ).all()
    fallback = next((c.id for c in centres if c.centre_type == CentreType.PLATFORM.value), None)
    out: dict[str, int] = {}
    for c in centres:
        if c.centre_type == CentreType.SPECIALISED.value:
            for cluster in c.clusters:
                out.setdefault(cluster, c.id)
    return {
        **{
            k: fallback
            for k in ("electronics", "equipment", "textiles", "food", "furniture", "other")
            if fallback is not None
        },
        **out,
    }


#: An enterprise row, and per round its assessment row with that assessment's dimension-score
#: rows and result-history row (each without ids: the writer assigns them).
_Rows = tuple[dict[str, Any], list[tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]]]


@dataclass(frozen=True)
class _Chunk:
    """What one chunk of the region needs to be generated on its own (in a worker process)."""

    instrument: Instrument
    scorer: Scorer
    round_codes: tuple[str, ...]
    centres: dict[str, int]
    seed: int
    first_serial: int
    n: int


def _chunk_rows(chunk: _Chunk) -> list[_Rows]:
    """Generate and score one chunk: per enterprise its ``enterprise`` row and (``assessment``
    row, result) per round (ids not set yet). Pure: no database, so worker processes run it."""
    cohort = synthetic_cohort(
        chunk.instrument,
        chunk.n,
        chunk.seed,
        rounds=len(chunk.round_codes),
        first_serial=chunk.first_serial,
    )
    return [_rows(chunk, e) for e in cohort]


def _rows(chunk: _Chunk, e: SyntheticEnterprise) -> _Rows:
    instrument, round_codes = chunk.instrument, chunk.round_codes
    columns = snapshots.enterprise_columns(
        e.industry_code, e.production_type, e.town, e.employees, e.revenue_wan
    )
    profile = snapshots.profile_from_json(columns)
    enterprise = {
        "uscc": e.uscc,
        "name": e.name,
        "centre_id": chunk.centres.get(columns["cluster"]),
        "is_demo": True,
        **columns,
        # generated data stands for an administrator's import: confirmed (confirmation.py)
        "confirmed_at": datetime(int(round_codes[0]), 3, 1, tzinfo=UTC),
        "confirmation": "import",
    }
    assessments = []
    for round_code, responses in zip(round_codes, (e.responses, *e.later), strict=True):
        result = chunk.scorer(instrument, profile, responses)
        warnings = [w.code for w in check_consistency(instrument, profile, responses)]
        row = {
            "public_id": uuid.uuid4().hex,
            "round_code": round_code,
            "instrument_id": instrument.id,
            "instrument_version": instrument.version,
            "status": AssessmentStatus.SUBMITTED.value,
            "responses": snapshots.responses_to_json(responses),
            **snapshots.plan_indicator_columns(responses, instrument.version),
            **snapshots.path_columns(responses, instrument.version),
            "submitted_at": datetime(int(round_code), 4, 1, tzinfo=UTC),
            "profile_snapshot": snapshots.profile_to_json(profile),
            **snapshots.profile_columns(profile),
            **snapshots.result_columns(result),
            "consistency_warnings": warnings,
            "version_id": 1,
        }
        # Made here, in the worker, so that the writing process only fills in the ids.
        dimensions = snapshots.dimension_score_rows(0, round_code, result)
        assessments.append((row, dimensions, snapshots.result_history_row(0, result)))
    return enterprise, assessments


def _flush(batch: list[_Rows]) -> int:
    """Write one batch of enterprises with their assessments and results; commit. Returns the
    number of assessments written."""
    enterprise_ids = bulk.reserve_ids(Enterprise, len(batch))
    assessment_ids = iter(bulk.reserve_ids(Assessment, sum(len(a) for _, a in batch)))
    enterprises, assessments, dimensions, history = [], [], [], []
    for eid, (enterprise, rounds) in zip(enterprise_ids, batch, strict=True):
        enterprises.append({"id": eid, **enterprise})
        for row, scores, result in rounds:
            aid = next(assessment_ids)
            assessments.append({"id": aid, "enterprise_id": eid, **row})
            dimensions += [{**d, "assessment_id": aid} for d in scores]
            history.append({**result, "assessment_id": aid})
    bulk.write_rows(Enterprise, enterprises)
    bulk.write_rows(Assessment, assessments)
    bulk.write_rows(DimensionScore, dimensions)
    bulk.write_rows(AssessmentResultRecord, history)
    db.session.commit()
    return len(assessments)


def generate_region(
    n: int,
    rounds: int,
    last_round: int,
    seed: int,
    progress: Callable[[Progress], None] | None = None,
    instrument: Instrument | None = None,
    workers: int = 1,
) -> int:
    """Add ``n`` synthetic enterprises, each with one submitted assessment per round
    (``last_round - rounds + 1`` .. ``last_round``), written in batches of ``BATCH``; then
    the rounds' statistics rollups are rebuilt (``rollups.rebuild``).

    Batch ``k`` is generated from the seed ``seed + k`` alone, so the region is the same
    whatever the number of ``workers``.

    Parameters
    ----------
    instrument : Instrument, optional
        The questionnaire version answered and scored (default: the current one).
    workers : int
        Processes generating and scoring batches (>= 1); this process writes them meanwhile.
        Generating and scoring is the bulk of the time (about 2 ms per enterprise of two
        rounds on questionnaire v1, far more on v2, whose borderline search re-classifies
        every neighbouring answer).
    progress : callable, optional
        Called with a ``Progress`` after each batch.

    Returns
    -------
    int
        The number of assessments written (``n * rounds``).
    """
    demo.load_catalogue()
    instrument = instrument or instruments().current()
    first = int(db.session.scalar(select(func.count(Enterprise.id))) or 0) + 1_000_000
    round_codes = tuple(str(last_round - rounds + 1 + i) for i in range(rounds))
    chunks = _chunks(instrument, n, seed, first, round_codes, _centre_for_cluster())
    written = done = 0
    started = time.perf_counter()
    with _pool(workers) as pool:
        for batch in pool.imap(_chunk_rows, chunks) if pool else map(_chunk_rows, chunks):
            written += _flush(batch)
            done += len(batch)
            if progress:
                progress(Progress(done, n, time.perf_counter() - started))
    for round_code in round_codes:
        rollups.rebuild(round_code)
    db.session.commit()
    return written


def _chunks(
    instrument: Instrument,
    n: int,
    seed: int,
    first_serial: int,
    round_codes: tuple[str, ...],
    centres: dict[str, int],
) -> list[_Chunk]:
    """The region's batches: batch ``k`` holds enterprises ``first_serial + k * BATCH`` on,
    generated from the seed ``seed + k``."""
    return [
        _Chunk(
            instrument,
            scorer_for(instrument),
            round_codes,
            centres,
            seed + k,
            first_serial + start,
            min(BATCH, n - start),
        )
        for k, start in enumerate(range(0, n, BATCH))
    ]


@contextmanager
def _pool(workers: int) -> Iterator[Any]:
    """A pool of ``workers`` forked processes, or None for one (generate in this process).
    Forked, so the workers inherit the loaded instrument and touch no database connection."""
    if workers <= 1:
        yield None
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield pool
