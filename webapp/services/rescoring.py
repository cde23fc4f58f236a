"""Deliberate re-scoring of a round under another scoring version; old results are kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from models import Assessment, AssessmentResultRecord, in_force, utcnow
from webapp.extensions import db
from webapp.registries import instruments, scorer
from webapp.services import results, snapshots


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
#: reported after each (a 100,000-enterprise region is 100 batches).
BATCH = 1000


def rescore_round(
    round_code: str, scoring_version: str, progress: Callable[[int, str], None] | None = None
) -> RescoreOutcome:
    """Score every submitted assessment of the round with ``scoring_version``.

    Each assessment keeps its instrument version and the profile it was submitted with; the
    previous results stay in ``assessment_result``. Running it again changes nothing, which is
    also why each batch of ``BATCH`` assessments is committed on its own: a run that dies
    (a killed job worker) is retried from the start and skips the batches already done.
    Rows are read and written in bulk (one SELECT, one executemany UPDATE, one DELETE and two
    executemany INSERTs per batch), never one ORM object at a time.

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
    rescored = up = down = 0
    already = sum(1 for i in ids if i in done)
    todo = [i for i in ids if i not in done]
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        rows = db.session.execute(
            select(
                Assessment.id,
                Assessment.instrument_id,
                Assessment.instrument_version,
                Assessment.profile_snapshot,
                Assessment.responses,
                Assessment.stage,
                Assessment.round_code,
            ).where(Assessment.id.in_(batch))
        ).all()
        scored: list[results.Scored] = []
        for aid, instrument_id, version, profile, responses, before, round_code in rows:
            assert profile is not None
            result = score(
                instruments().get(instrument_id, version),
                snapshots.profile_from_json(profile),
                snapshots.responses_from_json(responses),
            )
            scored.append((aid, round_code, result))
            stage = result.stage.stage.code
            up += stage > (before or "S0")
            down += stage < (before or "S0")
            rescored += 1
        results.rescore_rows(scored, utcnow())
        db.session.commit()
        if progress is not None:
            finished = already + start + len(batch)
            progress(finished * 100 // len(ids), f"{finished}/{len(ids)} assessments")
    db.session.expire_all()  # rows in the session were changed behind the ORM's back
    return RescoreOutcome(round_code, scoring_version, rescored, already, up, down)
