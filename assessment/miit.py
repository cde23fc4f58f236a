"""The MIIT 2024 digital level (中小企业数字化水平评测指标（2024年版）, 工信厅企业〔2024〕56号).

Pure functions over an instrument that carries MIIT points (``points`` on items) and rates the
16 business scenarios (``scenario`` on items), i.e. ``dmi`` version 2:

- MIIT score (0-100) = sum over items with ``points`` of points x the item's value in [0, 1]
  (option values are MIIT's own fractions; equipment rates and year-on-year directions are
  computed from figures by :func:`figure_value`); by part: 数字化基础 50, 数字化管理 30,
  数字化成效 20 (the instrument's dimensions FND, MGM, RES);
- each scenario's level 0-4 (0 = not yet; "does not apply" counts 0, MIIT has no exemption);
- the level by :data:`LEVEL_RULES`: the highest level whose score threshold is reached AND
  whose count of scenarios at or above the level, with a minimum of constrained ones, is met;
- :func:`miit_next`: what is missing for the next level, for a pilot firm the gap to 二级 first.

Sources and how sure we are: see :data:`RULE_SOURCE` and docs/methodology.md ("MIIT 2024
level"). The official notice is public; the indicator table with points and the level rule
were read in a public transcription of the national system's form, not in the PDF annex.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from assessment.conditions import level_of
from assessment.instrument import is_applicable, item_value
from assessment.types import (
    Better,
    EnterpriseProfile,
    Instrument,
    Item,
    ItemKind,
    MiitGap,
    MiitResult,
    Responses,
    ScenarioLevel,
)

NOTICE = "工信部办公厅 中小企业数字化水平评测指标（2024年版）（工信厅企业〔2024〕56号，2024-09-04）"
RULE_SOURCE = (
    f"{NOTICE}；等级判定与约束性场景按国家评测系统表单的公开转录（总分阈值 + 场景数量 + 约束性"
    "场景数量），未能在官方 PDF 附件中逐字核对"
)


@dataclass(frozen=True)
class LevelRule:
    """One MIIT level: score >= ``min_score`` and at least ``scenarios`` scenarios at level
    ``scenario_level`` or above, of which at least ``constrained`` are constrained."""

    level: int
    min_score: float
    scenario_level: int
    scenarios: int
    constrained: int


#: THE level rule, lowest level first (source: :data:`RULE_SOURCE`).
LEVEL_RULES: tuple[LevelRule, ...] = (
    LevelRule(level=1, min_score=20.0, scenario_level=1, scenarios=6, constrained=3),
    LevelRule(level=2, min_score=40.0, scenario_level=2, scenarios=6, constrained=3),
    LevelRule(level=3, min_score=60.0, scenario_level=3, scenarios=8, constrained=5),
    LevelRule(level=4, min_score=80.0, scenario_level=4, scenarios=10, constrained=6),
)
#: MIIT's 16 business scenarios in the national system's form order, each with whether it is
#: 约束性 (constrained: ``sceneType`` 1 in the form; one implementer's notes list 9 of them).
SCENARIOS: tuple[tuple[str, bool], ...] = (
    ("product_design", True),
    ("process_design", False),
    ("marketing", True),
    ("service", False),
    ("planning", False),
    ("production", True),
    ("quality", True),
    ("equipment", True),
    ("safety", True),
    ("energy", True),
    ("purchasing", True),
    ("warehouse", True),
    ("finance", True),
    ("hr", False),
    ("office", False),
    ("decision", False),
)
#: MIIT's 10 约束性 scenarios (the instrument's ``constrained`` marks must equal this set).
CONSTRAINED_SCENARIOS = frozenset(code for code, constrained in SCENARIOS if constrained)
#: The MIIT parts and their maximum points, by instrument dimension code.
PARTS: Mapping[str, float] = {"FND": 50.0, "MGM": 30.0, "RES": 20.0}
#: The level pilot-city firms must reach for their project to be accepted (二级).
PILOT_TARGET = 2


def figure_value(item: Item, responses: Responses) -> float | None:
    """The value in [0, 1] of a figure item, or None when it cannot be computed ("don't know").

    - With ``denominator``: the rate numerator / denominator in % (capped at 100), valued by
      ``bands`` as MIIT's half-open intervals: a band counts when the rate is strictly above its
      threshold (MIIT: [0, 10%] 0, (10, 20%] 1.5 of 6, ...). None without a positive
      denominator.
    - With ``previous``: MIIT's direction score, 1.0 when this year is better than last year
      in the ``better`` direction, 0.5 when equal (持平, compared at 4 decimals), 0.0 when worse.
      None when either figure is missing.
    - Other figures: None (they carry no value).
    """
    answer = responses.get(item.code)
    if not isinstance(answer, int | float):
        return None
    if item.denominator is not None:
        total = responses.get(item.denominator)
        if not isinstance(total, int | float) or total <= 0:
            return None
        rate = min(100.0, 100.0 * float(answer) / float(total))
        reached = [v for threshold, v in item.bands if rate > threshold]
        return reached[-1] if reached else 0.0
    if item.previous is not None:
        last = responses.get(item.previous)
        if not isinstance(last, int | float):
            return None
        change = round(float(answer) - float(last), 4)
        if change == 0:
            return 0.5
        improved = change > 0 if item.better == Better.HIGHER else change < 0
        return 1.0 if improved else 0.0
    return None


def miit_item_value(item: Item, responses: Responses) -> float:
    """An item's value in [0, 1] for MIIT points: option values, number bands, or
    :func:`figure_value`; an unanswered item or a "don't know" figure is worth 0 (MIIT awards
    points only for what the firm can state and evidence)."""
    if item.kind == ItemKind.FIGURE:
        return figure_value(item, responses) or 0.0
    answer = responses.get(item.code)
    return item_value(item, answer) if answer is not None else 0.0


def miit_parts(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses
) -> dict[str, float]:
    """MIIT points by part (FND <= 50, MGM <= 30, RES <= 20), rounded to 2 decimals.

    Items that do not apply or are hidden count 0.
    """
    parts = dict.fromkeys(PARTS, 0.0)
    for item in instrument.items:
        if item.points is None or item.dimension not in parts:
            continue
        if is_applicable(item, profile, responses):
            parts[item.dimension] += item.points * miit_item_value(item, responses)
    return {code: round(min(value, PARTS[code]), 2) for code, value in parts.items()}


def scenario_levels(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses
) -> tuple[ScenarioLevel, ...]:
    """Each scenario in instrument order with its level 0-4: the highest level among its
    applicable items (options "L0".."L4"); unanswered or "does not apply" counts 0.

    ``constrained`` comes from :data:`CONSTRAINED_SCENARIOS`; names from the item's indicator.
    """
    levels: dict[str, int] = {}
    names: dict[str, tuple[str, str]] = {}
    for dim in instrument.dimensions:
        for ind in dim.indicators:
            for item in ind.items:
                if item.scenario is None:
                    continue
                names.setdefault(item.scenario, (ind.name_zh, ind.name_en))
                reached = 0
                if is_applicable(item, profile, responses):
                    reached = max(0, level_of(responses.get(item.code)))
                levels[item.scenario] = max(levels.get(item.scenario, 0), reached)
    return tuple(
        ScenarioLevel(code, names[code][0], names[code][1], level, code in CONSTRAINED_SCENARIOS)
        for code, level in levels.items()
    )


def _rule(level: int) -> LevelRule:
    return next(r for r in LEVEL_RULES if r.level == level)


def meets(rule: LevelRule, score: float, scenarios: tuple[ScenarioLevel, ...]) -> bool:
    """Does a firm with MIIT ``score`` and these scenario levels meet ``rule``?"""
    reached = [s for s in scenarios if s.level >= rule.scenario_level]
    return (
        score >= rule.min_score
        and len(reached) >= rule.scenarios
        and sum(s.constrained for s in reached) >= rule.constrained
    )


def miit_level(score: float, scenarios: tuple[ScenarioLevel, ...]) -> int:
    """The MIIT level 0 (无等级) to 4: the highest rule of :data:`LEVEL_RULES` that is met."""
    met = [r.level for r in LEVEL_RULES if meets(r, score, scenarios)]
    return max(met, default=0)


def level_gap(score: float, scenarios: tuple[ScenarioLevel, ...], target: int) -> MiitGap:
    """What is missing for level ``target`` (1-4): points, scenarios, constrained scenarios.

    Raising a constrained scenario also counts towards the total, so ``scenarios_missing`` is
    at least ``constrained_missing``. Candidates: scenarios below the required level,
    constrained first when constrained ones are missing, then by closeness to the level.
    """
    rule = _rule(target)
    reached = [s for s in scenarios if s.level >= rule.scenario_level]
    constrained_missing = max(0, rule.constrained - sum(s.constrained for s in reached))
    scenarios_missing = max(constrained_missing, rule.scenarios - len(reached))
    below = [s for s in scenarios if s.level < rule.scenario_level]
    below.sort(key=lambda s: (not (s.constrained and constrained_missing), -s.level))
    return MiitGap(
        target=target,
        points_missing=round(max(0.0, rule.min_score - score), 2),
        scenario_level=rule.scenario_level,
        scenarios_missing=scenarios_missing,
        constrained_missing=constrained_missing,
        candidates=tuple(s.code for s in below),
    )


def miit_next(
    score: float, scenarios: tuple[ScenarioLevel, ...], level: int, pilot: bool
) -> tuple[MiitGap, ...]:
    """Gaps to the next level(s): for a pilot firm below 二级 the gap to 二级 comes first (its
    acceptance test), followed by the next level up when that is 一级; otherwise the gap to
    ``level + 1``; empty at 四级."""
    targets: list[int] = []
    if pilot and level < PILOT_TARGET:
        targets.append(PILOT_TARGET)
    if level < 4 and level + 1 not in targets:
        targets.append(level + 1)
    return tuple(level_gap(score, scenarios, t) for t in targets)


def assess_miit(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses, *, pilot: bool
) -> MiitResult:
    """Score, parts, scenarios, level and next-level gaps for visible, normalised answers.

    Raises
    ------
    ValueError
        The instrument has no MIIT points or no scenario items (e.g. dmi v1).
    """
    if not any(i.points for i in instrument.items) or not any(i.scenario for i in instrument.items):
        raise ValueError(f"{instrument.id} v{instrument.version} carries no MIIT indicators")
    parts = miit_parts(instrument, profile, responses)
    score = round(math.fsum(parts.values()), 2)
    scenarios = scenario_levels(instrument, profile, responses)
    level = miit_level(score, scenarios)
    return MiitResult(score, parts, scenarios, level, miit_next(score, scenarios, level, pilot))
