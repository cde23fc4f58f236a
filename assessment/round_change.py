"""The change between a firm's two rounds: the 改造前/改造后 comparison a pilot firm files.

Issue 15 ("Rounds: T0 → T1"): the result page and the PDF show the change from the previous
round - stage, MIIT level, index, dimension and scenario moves. The Dongguan pilot accepts a
project on the assessment after it (工信厅企业〔2024〕56号 and the pilot's acceptance rule: 二级 or
above after the project), so the comparison names the level before and after.

Pure: built from two stored results and the later assessment's instrument.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.localised import Localised
from assessment.types import MIIT_LEVEL_LABELS, AssessmentResult, Instrument, Stage


@dataclass(frozen=True)
class Move:
    """One figure in both rounds: ``before`` and ``after`` (scores 0-100, scenario levels 0-4)."""

    code: str
    name: Localised
    before: float
    after: float

    @property
    def delta(self) -> float:
        """``after - before``, rounded to one decimal."""
        return round(self.after - self.before, 1)


@dataclass(frozen=True)
class RoundChange:
    """What moved between round ``before_round`` and round ``after_round``.

    ``level_before``/``level_after`` are MIIT levels 0 (无等级) to 4, None where a round's
    result has no MIIT level (questionnaire v1). ``dimensions`` holds the dimensions both
    results scored (names from the later questionnaire); ``scenarios`` the 16 MIIT scenarios
    when both rounds have them, moved ones first.
    """

    before_round: str
    after_round: str
    stage_before: Stage
    stage_after: Stage
    index_before: float
    index_after: float
    level_before: int | None
    level_after: int | None
    dimensions: tuple[Move, ...]
    scenarios: tuple[Move, ...]

    @property
    def index_delta(self) -> float:
        """Maturity index change, one decimal."""
        return round(self.index_after - self.index_before, 1)

    @property
    def stage_moved(self) -> int:
        """Stages gained (negative: lost)."""
        return int(self.stage_after) - int(self.stage_before)

    @property
    def level_labels(self) -> tuple[Localised, Localised] | None:
        """The two MIIT levels' names, when both rounds have one."""
        if self.level_before is None or self.level_after is None:
            return None
        return (
            Localised(*MIIT_LEVEL_LABELS[self.level_before]),
            Localised(*MIIT_LEVEL_LABELS[self.level_after]),
        )

    @property
    def moved_scenarios(self) -> tuple[Move, ...]:
        """Scenarios whose level changed."""
        return tuple(m for m in self.scenarios if m.delta)


def compare_rounds(
    before: AssessmentResult,
    after: AssessmentResult,
    instrument: Instrument,
    before_round: str,
    after_round: str,
) -> RoundChange:
    """The change from ``before`` (round ``before_round``) to ``after`` (``after_round``);
    ``instrument`` is the later assessment's questionnaire (for dimension names)."""
    dimensions = tuple(
        Move(
            d.code,
            d.name,
            before.scorecard.dimension_scores[d.code],
            after.scorecard.dimension_scores[d.code],
        )
        for d in instrument.dimensions
        if d.code in before.scorecard.dimension_scores
        and d.code in after.scorecard.dimension_scores
    )
    scenarios: tuple[Move, ...] = ()
    if before.miit is not None and after.miit is not None:
        earlier = {s.code: s.level for s in before.miit.scenarios}
        moves = [
            Move(s.code, Localised(s.name_zh, s.name_en), earlier[s.code], s.level)
            for s in after.miit.scenarios
            if s.code in earlier
        ]
        scenarios = tuple(sorted(moves, key=lambda m: m.delta == 0))
    return RoundChange(
        before_round=before_round,
        after_round=after_round,
        stage_before=before.stage.stage,
        stage_after=after.stage.stage,
        index_before=before.scorecard.maturity_index,
        index_after=after.scorecard.maturity_index,
        level_before=before.miit.level if before.miit is not None else None,
        level_after=after.miit.level if after.miit is not None else None,
        dimensions=dimensions,
        scenarios=scenarios,
    )
