"""Deliberate re-scoring of a round under another scoring version; old results are kept."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from assessment.scoring import scores_instrument, scoring_version_for
from models import Assessment, AssessmentResultRecord, in_force, utcnow
from webapp.extensions import db
from webapp.registries import instruments, scorer
from webapp.services import results, segments, snapshots
from webapp.services.errors import ServiceError


class RescoreRefused(ServiceError):
    """The scoring version cannot score any assessment of the round (their questionnaire
    versions have another scoring version); ``reason`` is a localised sentence."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RescoreOutcome:
    """How a re-score went: assessments re-scored, already at that version, stages moved."""

    round_code: str
    scoring_version: str
    rescored: int
    already: int
    stage_up: int
    stage_down: int
    #: Assessments on questionnaire versions this scoring version does not score, left as
    #: they were (``scoring.scores_instrument``).
    other_versions: int = 0

    @property
    def changed(self) -> int:
        return self.stage_up + self.stage_down

    def summary(self) -> str:
        left = (
            f"; {self.other_versions} on questionnaire versions of another scoring version "
            "left as they were"
            if self.other_versions
            else ""
        )
        return (
            f"round {self.round_code}, scoring version {self.scoring_version}: "
            f"{self.rescored} re-scored, {self.already} already at this version; "
            f"stage changed for {self.changed} ({self.stage_up} up, {self.stage_down} down)"
            f"{left}"
        )


def scorable_versions(round_code: str, scoring_version: str) -> tuple[set[tuple[str, str]], int]:
    """The questionnaire versions (instrument id, version) of the round's assessments in force
    that ``scoring_version`` may score (``scoring.scores_instrument``), and how many of the
    round's assessments are on other versions.

    Raises
    ------
    RescoreRefused
        The round has assessments, and ``scoring_version`` may score none of them (e.g. the
        MIIT rule of scoring version 2 asked to score a round answered on questionnaire v1);
        the message names each questionnaire version, its count and its own scoring version.
    """
    counts = db.session.execute(
        select(Assessment.instrument_id, Assessment.instrument_version, func.count())
        .where(Assessment.round_code == round_code, in_force())
        .group_by(Assessment.instrument_id, Assessment.instrument_version)
        .order_by(Assessment.instrument_id, Assessment.instrument_version)
    ).all()
    own = {(i, v): instruments().get(i, v) for i, v, _n in counts}
    scorable = {
        key for key, instrument in own.items() if scores_instrument(scoring_version, instrument)
    }
    if counts and not scorable:
        found = _("；").join(
            _(
                "第 %(v)s 版问卷 %(n)d 份（评分版本 %(own)s）",
                v=v,
                n=n,
                own=scoring_version_for(own[(i, v)]),
            )
            for i, v, n in counts
        )
        raise RescoreRefused(
            _(
                "评分版本 %(s)s 不能给批次 %(r)s 的答案评分：%(found)s。每份评估只能用其问卷版本的评分版本重新评分；未做任何改动。",
                s=scoring_version,
                r=round_code,
                found=found,
            )
        )
    other = sum(n for i, v, n in counts if (i, v) not in scorable)
    return scorable, other


#: Assessments scored per transaction: a crash loses at most one batch, and progress is
#: reported after each (a 100,000-enterprise region is 100 batches).
BATCH = 1000
#: Assessments per chunk handed to another worker (``fan_out``): ten batches.
CHUNK = 10_000
#: Seconds between two looks at the chunks other workers are still scoring.
POLL_SECONDS = 1.0

#: ``fan_out(chunks) -> ids of the jobs scoring them``: hand chunks of assessment ids to other
#: workers, each to run ``rescore_ids`` on its chunk.
FanOut = Callable[[list[list[int]]], list[int]]
#: ``moves(job ids) -> (stage up, stage down)`` the finished chunk jobs reported.
Moves = Callable[[list[int]], tuple[int, int]]


@dataclass(frozen=True)
class ChunkOutcome:
    """What ``rescore_ids`` did: assessments it scored, and stages moved up and down."""

    rescored: int = 0
    stage_up: int = 0
    stage_down: int = 0

    def __add__(self, other: ChunkOutcome) -> ChunkOutcome:
        return ChunkOutcome(
            self.rescored + other.rescored,
            self.stage_up + other.stage_up,
            self.stage_down + other.stage_down,
        )


def _not_scored(scoring_version: str) -> Any:
    """SQL: the assessment has no result under ``scoring_version`` yet."""
    return ~(
        select(AssessmentResultRecord.id)
        .where(
            AssessmentResultRecord.assessment_id == Assessment.id,
            AssessmentResultRecord.scoring_version == scoring_version,
        )
        .exists()
    )


def _score_batch(batch: list[int], scoring_version: str, score: Any) -> ChunkOutcome:
    """Claim the assessments of ``batch`` not yet scored under ``scoring_version`` that no other
    worker is scoring (PostgreSQL ``FOR UPDATE SKIP LOCKED``; SQLite has one writer), score
    them and commit. Two workers on one chunk therefore never score the same assessment."""
    claimed = list(
        db.session.scalars(
            select(Assessment.id)
            .where(Assessment.id.in_(batch), _not_scored(scoring_version))
            .with_for_update(skip_locked=True)
        )
    )
    if not claimed:
        db.session.commit()
        return ChunkOutcome()
    rows = db.session.execute(
        select(
            Assessment.id,
            Assessment.instrument_id,
            Assessment.instrument_version,
            Assessment.profile_snapshot,
            Assessment.responses,
            Assessment.stage,
            Assessment.round_code,
        ).where(Assessment.id.in_(claimed))
    ).all()
    scored: list[results.Scored] = []
    up = down = 0
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
    results.rescore_rows(scored, utcnow())
    db.session.commit()
    return ChunkOutcome(len(scored), up, down)


def rescore_ids(
    ids: Sequence[int],
    scoring_version: str,
    progress: Callable[[ChunkOutcome], None] | None = None,
) -> ChunkOutcome:
    """Score the assessments ``ids`` (one chunk of a round) under ``scoring_version``, in
    transactions of ``BATCH``, skipping those already scored under it or being scored by
    another worker right now. ``progress`` gets the running total after each batch.

    Raises ``assessment.errors.InstrumentVersionError`` for an unpublished scoring version.
    """
    score = scorer(scoring_version)
    total = ChunkOutcome()
    for start in range(0, len(ids), BATCH):
        total += _score_batch(list(ids[start : start + BATCH]), scoring_version, score)
        if progress is not None:
            progress(total)
    return total


def _scored_count(round_code: str, scoring_version: str) -> int:
    return int(
        db.session.scalar(
            select(func.count(AssessmentResultRecord.id))
            .join(Assessment, Assessment.id == AssessmentResultRecord.assessment_id)
            .where(
                Assessment.round_code == round_code,
                in_force(),
                AssessmentResultRecord.scoring_version == scoring_version,
            )
        )
        or 0
    )


def rescore_round(
    round_code: str,
    scoring_version: str,
    progress: Callable[[int, str], None] | None = None,
    fan_out: FanOut | None = None,
    moves: Moves | None = None,
) -> RescoreOutcome:
    """Score every submitted assessment of the round with ``scoring_version``, each only if
    that version may score its questionnaire version (``scorable_versions``): the others are
    left as they were and counted in ``other_versions``.

    Each assessment keeps its instrument version and the profile it was submitted with; the
    previous results stay in ``assessment_result``. Running it again changes nothing, which is
    also why each batch of ``BATCH`` assessments is committed on its own: a run that dies
    (a killed job worker) is retried from the start and skips the batches already done.
    Rows are read and written in bulk (one SELECT, one executemany UPDATE, one DELETE and two
    executemany INSERTs per batch), never one ORM object at a time.

    With ``fan_out`` (RQ workers), the assessments to score are cut into chunks of ``CHUNK``
    handed to other workers, while this call scores the chunks from the last one back, taking
    whatever the others have not claimed (``rescore_ids``), then waits for the others' last
    batches; one worker alone still finishes the round.

    Parameters
    ----------
    progress : callable, optional
        ``progress(percent, message)`` after each batch; percent in [0, 100], message
        ``"n/N assessments"``.
    fan_out, moves : callable, optional
        Hand chunks to other workers, and read back the stage moves their jobs counted.

    Raises
    ------
    assessment.errors.InstrumentVersionError
        ``scoring_version`` is not a published scoring version.
    RescoreRefused
        ``scoring_version`` may score no assessment of the round (nothing is changed).
    """
    scorer(scoring_version)  # an unknown version is refused before anything is handed out
    scorable, other = scorable_versions(round_code, scoring_version)
    done = set(
        db.session.scalars(
            select(AssessmentResultRecord.assessment_id).where(
                AssessmentResultRecord.scoring_version == scoring_version
            )
        )
    )
    ids = [
        aid
        for aid, instrument_id, version in db.session.execute(
            select(Assessment.id, Assessment.instrument_id, Assessment.instrument_version)
            .where(
                Assessment.round_code == round_code,
                # A superseded record keeps the result it had; only records in force are re-scored.
                in_force(),
            )
            .order_by(Assessment.id)
        )
        if (instrument_id, version) in scorable
    ]
    already = sum(1 for i in ids if i in done)
    todo = [i for i in ids if i not in done]
    chunks = [todo[start : start + CHUNK] for start in range(0, len(todo), CHUNK)]
    handed = fan_out(chunks) if fan_out is not None and len(chunks) > 1 else []
    own = ChunkOutcome()

    def report(total: ChunkOutcome) -> None:
        if progress is not None:
            finished = already + (own + total).rescored
            progress(finished * 100 // max(len(ids), 1), f"{finished}/{len(ids)} assessments")

    # From the last chunk back: the chunks handed out are scored from the first meanwhile.
    for chunk in reversed(chunks):
        own += rescore_ids(chunk, scoring_version, report)
    if handed:
        own = _wait_for_others(round_code, scoring_version, todo, ids, own, progress)
        up, down = moves(handed) if moves is not None else (0, 0)
        own += ChunkOutcome(0, up, down)
    # The stored path segments follow the answers now scored (``segments.refresh_segments``).
    segments.refresh_round_segments(round_code)
    db.session.commit()
    db.session.expire_all()  # rows in the session were changed behind the ORM's back
    return RescoreOutcome(
        round_code,
        scoring_version,
        len(todo) if handed else own.rescored,
        already,
        own.stage_up,
        own.stage_down,
        other,
    )


def _wait_for_others(
    round_code: str,
    scoring_version: str,
    todo: list[int],
    ids: list[int],
    own: ChunkOutcome,
    progress: Callable[[int, str], None] | None,
) -> ChunkOutcome:
    """Until every assessment of ``todo`` has its new result: report progress, and score any
    left unclaimed (a worker that died released its claims with its connection)."""
    target = len(ids) - len(todo)
    last = -1
    while True:
        scored = _scored_count(round_code, scoring_version)
        if progress is not None:
            shown = min(scored, len(ids))
            progress(shown * 100 // max(len(ids), 1), f"{shown}/{len(ids)} assessments")
        if scored - target >= len(todo):
            return own
        if scored == last:  # nobody moved on since the last look: score what is left
            own += rescore_ids(todo, scoring_version)
        last = scored
        time.sleep(POLL_SECONDS)
