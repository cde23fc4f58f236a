"""Deliberate re-scoring of a round under another scoring version; old results are kept."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from assessment.scoring import scorer
from models import Assessment, AssessmentResultRecord, in_force
from webapp.extensions import db
from webapp.services import snapshots
from webapp.services.assessments import apply_result, instrument_of


@dataclass(frozen=True)
class RescoreOutcome:
    """How a re-score went: assessments re-scored, already at that version, stages moved."""

    round_code: str
    scoring_version: str
    rescored: int
    already: int
    stage_up: int
    stage_down: int

    @property
    def changed(self) -> int:
        return self.stage_up + self.stage_down

    def summary(self) -> str:
        return (
            f"round {self.round_code}, scoring version {self.scoring_version}: "
            f"{self.rescored} re-scored, {self.already} already at this version; "
            f"stage changed for {self.changed} ({self.stage_up} up, {self.stage_down} down)"
        )


def rescore_round(round_code: str, scoring_version: str) -> RescoreOutcome:
    """Score every submitted assessment of the round with ``scoring_version``.

    Each assessment keeps its instrument version and the profile it was submitted with; the
    previous results stay in ``assessment_result``. Running it again changes nothing.

    Raises
    ------
    assessment.errors.InstrumentVersionError
        ``scoring_version`` is not a published scoring version.
    """
    score = scorer(scoring_version)
    done = set(
        db.session.scalars(
            select(AssessmentResultRecord.assessment_id).where(
                AssessmentResultRecord.scoring_version == scoring_version
            )
        )
    )
    rescored = already = up = down = 0
    rows = db.session.scalars(
        select(Assessment).where(
            Assessment.round_code == round_code,
            # A superseded record keeps the result it had; only records in force are re-scored.
            in_force(),
        )
    )
    for assessment in rows:
        if assessment.id in done:
            already += 1
            continue
        assert assessment.profile_snapshot is not None
        result = score(
            instrument_of(assessment),
            snapshots.profile_from_json(assessment.profile_snapshot),
            snapshots.responses_of(assessment),
        )
        before = assessment.stage or "S0"
        apply_result(assessment, result)
        up += result.stage.stage.code > before
        down += result.stage.stage.code < before
        rescored += 1
    db.session.commit()
    return RescoreOutcome(round_code, scoring_version, rescored, already, up, down)
