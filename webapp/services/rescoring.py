"""Deliberate re-scoring of a round under another scoring version; old results are kept."""

from __future__ import annotations

from collections.abc import Callable
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


#: Assessments scored per transaction: a crash loses at most one batch, and progress is
#: reported after each (a 100,000-enterprise region is 2,000 batches).
BATCH = 50


def rescore_round(
    round_code: str, scoring_version: str, progress: Callable[[int, str], None] | None = None
) -> RescoreOutcome:
    """Score every submitted assessment of the round with ``scoring_version``.

    Each assessment keeps its instrument version and the profile it was submitted with; the
    previous results stay in ``assessment_result``. Running it again changes nothing, which is
    also why each batch of ``BATCH`` assessments is committed on its own: a run that dies
    (a killed job worker) is retried from the start and skips the batches already done.

    Parameters
    ----------
    progress : callable, optional
        ``progress(percent, message)`` after each batch; percent in [0, 100], message
        ``"n/N assessments"``.

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
    ids = list(
        db.session.scalars(
            select(Assessment.id)
            .where(
                Assessment.round_code == round_code,
                # A superseded record keeps the result it had; only records in force are re-scored.
                in_force(),
            )
            .order_by(Assessment.id)
        )
    )
    rescored = already = up = down = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        for assessment in db.session.scalars(select(Assessment).where(Assessment.id.in_(batch))):
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
        if progress is not None:
            finished = start + len(batch)
            progress(finished * 100 // len(ids), f"{finished}/{len(ids)} assessments")
    return RescoreOutcome(round_code, scoring_version, rescored, already, up, down)
