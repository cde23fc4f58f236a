"""Re-scoring a round in chunks that other workers score meanwhile (``rescoring.fan_out``):
every assessment is scored once, whoever claims it, and the round's job counts every move."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from models import Assessment, AssessmentResultRecord
from tests.factories import REVISED_V1
from webapp.extensions import db
from webapp.services import aggregates, rescoring

# The rescore tests' cohort of 60 (v1 answers), seeded once per session; writes rolled back.
pytestmark = [
    pytest.mark.demo_cohort(enterprises=60, seed=5),
    pytest.mark.usefixtures("instrument_v1", "scoring_revision"),
]


def _results_per_assessment() -> set[int]:
    """How many results under the revised version each assessment has (as a set of counts)."""
    counts = db.session.execute(
        select(func.count())
        .select_from(AssessmentResultRecord)
        .where(AssessmentResultRecord.scoring_version == REVISED_V1)
        .group_by(AssessmentResultRecord.assessment_id)
    ).scalars()
    return set(counts)


def test_chunks_handed_out_are_scored_once_and_their_moves_counted(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rescoring, "CHUNK", 25)
    monkeypatch.setattr(rescoring, "BATCH", 10)
    monkeypatch.setattr(rescoring, "POLL_SECONDS", 0.0)
    handed: list[list[int]] = []
    other_worker: list[rescoring.ChunkOutcome] = []

    def fan_out(chunks: list[list[int]]) -> list[int]:
        # Another worker takes the first chunk at once and scores it to the end.
        handed.extend(chunks)
        other_worker.append(rescoring.rescore_ids(chunks[0], REVISED_V1))
        return [101, 102]

    def moves(job_ids: list[int]) -> tuple[int, int]:
        assert job_ids == [101, 102]
        return other_worker[0].stage_up, other_worker[0].stage_down

    with app.app_context():
        above_s1 = db.session.scalar(
            select(func.count()).where(
                Assessment.round_code == "2026", Assessment.stage.in_(["S2", "S3"])
            )
        )
        percents: list[int] = []
        outcome = rescoring.rescore_round(
            "2026", REVISED_V1, lambda p, _m: percents.append(p), fan_out, moves
        )
        assert [len(c) for c in handed] == [25, 25, 10]
        assert other_worker[0].rescored == 25  # the other worker's chunk was not scored again
        assert outcome.rescored == 60 and outcome.already == 0
        # version 1.1 caps every stage at S1: each firm above it moved down once, counted once
        assert outcome.stage_down == above_s1 > 0 and outcome.stage_up == 0
        assert _results_per_assessment() == {1}
        assert percents[-1] == 100
        facts = aggregates.round_facts("2026")
        assert {f.stage for f in facts} <= {"S0", "S1"}
        assert sum(f.n for f in facts) == sum(f.n for f in aggregates.round_facts_from_rows("2026"))


def test_a_chunk_scored_again_changes_nothing(app: Flask) -> None:
    with app.app_context():
        ids = list(db.session.scalars(select(Assessment.id).where(Assessment.round_code == "2026")))
        first = rescoring.rescore_ids(ids, REVISED_V1)
        again = rescoring.rescore_ids(ids, REVISED_V1)
        assert first.rescored == 60 and again == rescoring.ChunkOutcome()
        assert _results_per_assessment() == {1}
