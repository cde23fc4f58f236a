"""Borderline (临界) detection: which single answer would move a classification.

A result is borderline when changing one answer to a neighbouring answer moves the stage or
the MIIT level. Neighbours of an answer:

- single choice: the next option up and down in value order ("does not apply" has none);
- multiple choice: one option more or one option less ("none of these" counts as empty);
- banded number: the next band threshold up, and the previous threshold down;
- figure over a denominator (a rate): the smallest count reaching the next MIIT band, and the
  largest count of the band below;
- year-on-year figure: this year's figure equal to last year's (持平) and 1% better or worse.

Unanswered items and plain figures have no neighbours. Scoring version 2 searches the stage
(``stages_v2``) and the MIIT level (``miit``); version 1 records no findings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from assessment.conditions import Facts
from assessment.instrument import NONE_OPTION, is_applicable
from assessment.miit import miit_level, miit_parts, scenario_levels
from assessment.stages_v2 import assign_stage_v2
from assessment.types import (
    MIIT_LEVEL_CODES,
    Answer,
    Better,
    Borderline,
    EnterpriseProfile,
    Instrument,
    Item,
    ItemKind,
    Responses,
    ScoreCard,
    Stage,
)


def neighbours(item: Item, responses: Responses) -> Iterator[Answer]:
    """The answers one step from the current answer to ``item`` (see the module docstring)."""
    answer = responses.get(item.code)
    if answer is None:
        return
    if item.kind == ItemKind.SINGLE:
        ordered = sorted((o for o in item.options if o.code != "na"), key=lambda o: o.value)
        codes = [o.code for o in ordered]
        if answer in codes:
            at = codes.index(str(answer))
            yield from (codes[i] for i in (at + 1, at - 1) if 0 <= i < len(codes))
    elif item.kind == ItemKind.MULTI:
        chosen = set(answer) - {NONE_OPTION} if isinstance(answer, tuple) else set()
        for option in item.options:
            if option.code == NONE_OPTION:
                continue
            changed = chosen ^ {option.code}
            yield tuple(o.code for o in item.options if o.code in changed) or (NONE_OPTION,)
    elif item.kind == ItemKind.NUMBER and isinstance(answer, int | float):
        thresholds = [t for t, _ in item.bands]
        above = [t for t in thresholds if t > answer]
        below = [t for t in thresholds if t <= answer]
        if above:
            yield above[0]
        if below:
            yield below[-2] if len(below) > 1 else (item.minimum or 0.0)
    elif item.kind == ItemKind.FIGURE and isinstance(answer, int | float):
        yield from _figure_neighbours(item, float(answer), responses)


def _figure_neighbours(item: Item, answer: float, responses: Responses) -> Iterator[float]:
    if item.denominator is not None:
        total = responses.get(item.denominator)
        if not isinstance(total, int | float) or total <= 0:
            return
        rate = 100.0 * answer / float(total)
        thresholds = [t for t, _ in item.bands]
        above = [t for t in thresholds if t >= rate]
        below = [t for t in thresholds if t < rate]
        if above:  # smallest count strictly above the next threshold
            yield float(min(math.floor(above[0] * float(total) / 100.0) + 1, total))
        if below:  # largest count at or below the threshold of the current band
            yield float(math.floor(below[-1] * float(total) / 100.0))
    elif item.previous is not None:
        last = responses.get(item.previous)
        if isinstance(last, int | float):
            step = 0.01 * abs(float(last)) or 0.01
            sign = 1.0 if item.better == Better.HIGHER else -1.0
            for candidate in (float(last), float(last) + sign * step, float(last) - sign * step):
                if candidate != answer and candidate >= (item.minimum or 0.0):
                    if item.maximum is None or candidate <= item.maximum:
                        yield candidate


def borderline(
    instrument: Instrument,
    profile: EnterpriseProfile,
    responses: Responses,
    name: str,
    classify: Callable[[Responses], int],
    codes: tuple[str, ...],
    items: frozenset[str] | None = None,
) -> tuple[Borderline, ...]:
    """Every single neighbouring answer that changes ``classify`` (moves up first, in instrument
    order, then moves down), as :class:`Borderline` findings named ``name``.

    ``classify`` returns a rank (stage 0-3, MIIT level 0-4) and ``codes[rank]`` names it;
    ``items`` limits the search to the items the classification reads (None = every item).
    """
    current = classify(responses)
    up: list[Borderline] = []
    down: list[Borderline] = []
    for item in instrument.items:
        if items is not None and item.code not in items:
            continue
        if not is_applicable(item, profile, responses):
            continue
        for answer in neighbours(item, responses):
            changed = dict(responses)
            changed[item.code] = answer
            reached = classify(changed)
            if reached != current:
                finding = Borderline(name, item.code, answer, codes[current], codes[reached])
                (up if reached > current else down).append(finding)
    return tuple(up + down)


def borderline_v2(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses, card: ScoreCard
) -> tuple[Borderline, ...]:
    """The borderline findings of scoring version 2 (``scoring.score_v2``): stage findings
    first, then MIIT level findings, each as :func:`borderline` finds them.

    The version-2 gates read answers only, never the index, so the stage search keeps
    ``card``; the MIIT search covers the items with points or a scenario.
    """

    def stage_rank(answers: Responses) -> int:
        facts = Facts(instrument, profile, answers, card.maturity_index, card.dimension_scores)
        return int(assign_stage_v2(facts).stage)

    def miit_rank(answers: Responses) -> int:
        score = sum(miit_parts(instrument, profile, answers).values())
        return miit_level(round(score, 2), scenario_levels(instrument, profile, answers))

    stage_codes = tuple(s.code for s in Stage)
    miit_items = frozenset(i.code for i in instrument.items if i.points or i.scenario)
    return borderline(
        instrument, profile, responses, "stage", stage_rank, stage_codes
    ) + borderline(instrument, profile, responses, "miit", miit_rank, MIIT_LEVEL_CODES, miit_items)
