"""The one writer of scored results onto assessments.

A result lives in three places: the ``assessment`` row's result columns
(``snapshots.result_columns``: scoring version, index, stage, the result JSON), one
``dimension_score`` row per dimension (read by the SQL aggregates), and one ``assessment_result``
row that keeps it in the assessment's history. Submitting (``apply_result``, one ORM object),
the demo cohort (the same), re-scoring a round (``rescore_rows``, bulk) and the synthetic region
(``record_results`` after its bulk insert, which takes ``snapshots.result_columns`` into the new
rows) all write through here, so the three cannot drift apart. Callers commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Table, bindparam, delete, update

from assessment.types import AssessmentResult
from models import Assessment, AssessmentResultRecord, DimensionScore
from webapp.extensions import db
from webapp.services import bulk, rollups, snapshots

#: (assessment id, its round code, its new result).
Scored = tuple[int, str, AssessmentResult]


def record_results(scored: Sequence[Scored], *, replace: bool) -> None:
    """Write the dimension-score rows and the history rows of ``scored`` (bulk: at most one
    DELETE and two executemany INSERTs).

    Parameters
    ----------
    replace : bool
        The assessments may already have dimension-score rows (re-scoring, a resubmit): delete
        those first. Earlier ``assessment_result`` rows always stay.
    """
    if not scored:
        return
    if replace:
        db.session.execute(
            delete(DimensionScore).where(DimensionScore.assessment_id.in_([s[0] for s in scored]))
        )
    # COPY on PostgreSQL: a re-scored batch is thousands of rows (``bulk.write_rows``).
    bulk.write_rows(
        DimensionScore,
        [
            row
            for aid, rnd, result in scored
            for row in snapshots.dimension_score_rows(aid, rnd, result)
        ],
    )
    bulk.write_rows(
        AssessmentResultRecord,
        [snapshots.result_history_row(aid, result) for aid, _, result in scored],
    )


def apply_result(assessment: Assessment, result: AssessmentResult) -> None:
    """Make ``result`` the assessment's current result (an ORM object in the session, so its
    optimistic version check applies) and keep it in the result history; record which
    plan-target indicators its answers meet and their rule-based path."""
    responses = assessment.responses or {}
    columns = (
        snapshots.result_columns(result)
        | snapshots.plan_indicator_columns(responses, assessment.instrument_version)
        | snapshots.path_columns(responses, assessment.instrument_version)
    )
    for column, value in columns.items():
        setattr(assessment, column, value)
    had_id = assessment.id is not None
    if not had_id:
        db.session.flush()  # the rows below need the assessment's id
    record_results([(assessment.id, assessment.round_code, result)], replace=had_id)


def rescore_rows(scored: Sequence[Scored], now: datetime) -> None:
    """Make each result the current one of assessments already stored (bulk: one executemany
    UPDATE, which bumps ``version_id`` as the ORM would, plus ``record_results``)."""
    if not scored:
        return
    table = Assessment.__table__
    assert isinstance(table, Table)  # a mapped class's table (typed as any FROM clause)
    write = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            scoring_version=bindparam("b_scoring_version"),
            maturity_index=bindparam("b_maturity_index"),
            stage=bindparam("b_stage"),
            result=bindparam("b_result"),
            updated_at=bindparam("b_updated_at"),
            version_id=table.c.version_id + 1,
        )
    )
    with rollups.track(aid for aid, _, _ in scored):
        db.session.execute(
            write,
            [
                {
                    "b_id": aid,
                    "b_updated_at": now,
                    **{f"b_{k}": v for k, v in snapshots.result_columns(result).items()},
                }
                for aid, _, result in scored
            ],
        )
    record_results(scored, replace=True)
