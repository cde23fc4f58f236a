"""Scoring: answers -> indicator scores -> dimension scores -> maturity index -> stage.

Rules (all on 0-100):
- an item's value in [0, 1] comes from ``instrument.item_value`` (option values, capped sums for
  multiple choice, bands for numbers);
- an item that does not apply to the production type is left out; an item hidden by ``show_if``
  counts as 0, because its condition says the capability it asks about is absent (no MES -> no
  MES-ERP exchange) - this keeps every score monotone in every answer;
- indicator score = 100 x mean of its items' values; dimension score = weighted mean of its
  indicators that have items; maturity index = weighted mean of dimension scores (weights from
  the instrument file);
- scores are rounded to 2 decimals so that stored results are reproducible byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from assessment.borderline import borderline_v2
from assessment.conditions import Facts
from assessment.errors import IncompleteResponseError, InstrumentVersionError
from assessment.instrument import (
    applicable_answers,
    is_applicable,
    item_value,
    least_mature_responses,
    missing_items,
    most_mature_responses,
)
from assessment.miit import assess_miit, figure_value
from assessment.stages import assign_stage
from assessment.stages_v2 import assign_stage_v2
from assessment.types import (
    MIIT_LEVEL_CODES,
    AssessmentResult,
    EnterpriseProfile,
    IndustryCluster,
    Instrument,
    Item,
    ItemKind,
    ProductionType,
    Responses,
    ScoreCard,
    SizeClass,
    Stage,
    StageResult,
)

SCORING_VERSION = "1"
SCORING_VERSION_2 = "2"
#: The answer that marks a firm of the pilot city's 拟改造企业名单 (dmi v2 profile page).
PILOT_ANSWER = ("PRF-01", "pilot_list")
#: "Does not apply" options (代工 product design, no consumer sales): left out of the index.
NOT_APPLICABLE = "na"


def _weighted_mean(pairs: list[tuple[float, float]]) -> float:
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else 0.0


def score_card(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses
) -> ScoreCard:
    """Indicator, dimension and index scores (0-100); unanswered applicable items count 0."""
    indicator_scores: dict[str, float] = {}
    dimension_scores: dict[str, float] = {}
    for dim in instrument.dimensions:
        parts: list[tuple[float, float]] = []
        for ind in dim.indicators:
            values = []
            for item in ind.items:
                if profile.production_type not in item.applies_to:
                    continue
                answer = responses.get(item.code)
                shown = is_applicable(item, profile, responses)
                values.append(item_value(item, answer) if shown and answer is not None else 0.0)
            if values:
                indicator_scores[ind.code] = round(100 * sum(values) / len(values), 2)
                parts.append((indicator_scores[ind.code], ind.weight))
        dimension_scores[dim.code] = round(_weighted_mean(parts), 2)
    index = _weighted_mean([(dimension_scores[d.code], d.weight) for d in instrument.dimensions])
    return ScoreCard(indicator_scores, dimension_scores, round(index, 2))


def score(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses
) -> AssessmentResult:
    """Score a complete response set and assign the stage.

    Parameters
    ----------
    instrument : Instrument
        The version the responses were given on.
    profile : EnterpriseProfile
        Drives skip logic (production type).
    responses : Responses
        Normalised answers (see ``instrument.normalise_response``); answers to items that do not
        apply are ignored.

    Raises
    ------
    IncompleteResponseError
        A required item that applies has no answer; ``missing`` lists them in order.
    """
    visible = _complete_answers(instrument, profile, responses)
    card = score_card(instrument, profile, visible)
    return _staged(instrument, profile, visible, card, SCORING_VERSION, assign_stage)


def _complete_answers(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses
) -> Responses:
    """The answers to the items that apply to ``profile``, once every required one has an
    answer; raises ``IncompleteResponseError`` listing the missing items otherwise."""
    missing = missing_items(instrument, profile, responses)
    if missing:
        raise IncompleteResponseError([i.code for i in missing])
    return applicable_answers(instrument, profile, responses)


def _staged(
    instrument: Instrument,
    profile: EnterpriseProfile,
    visible: Responses,
    card: ScoreCard,
    scoring_version: str,
    assign: Callable[[Facts], StageResult],
) -> AssessmentResult:
    """The result of ``card`` under ``scoring_version``, its stage assigned by ``assign``
    (the gates of that version) from the answers and the scores."""
    facts = Facts(instrument, profile, visible, card.maturity_index, card.dimension_scores)
    return AssessmentResult(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        scoring_version=scoring_version,
        scorecard=card,
        stage=assign(facts),
    )


def _value_v2(item: Item, profile: EnterpriseProfile, responses: Responses) -> float | None:
    """An item's value for the version-2 index, or None when it is left out (it does not apply
    to the production type or cluster, it is answered "does not apply", or it is a plain
    figure). Hidden items and unanswered ones count 0, as in version 1."""
    if profile.production_type not in item.applies_to:
        return None
    if item.cluster is not None and item.cluster != profile.cluster:
        return None
    answer = responses.get(item.code)
    if answer == NOT_APPLICABLE:
        return None
    if item.kind == ItemKind.FIGURE:
        if item.denominator is None and item.previous is None:
            return None
        return figure_value(item, responses) or 0.0
    shown = is_applicable(item, profile, responses)
    return item_value(item, answer) if shown and answer is not None else 0.0


def score_card_v2(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses
) -> ScoreCard:
    """Version-2 scores (0-100): as :func:`score_card`, over the dimensions marked ``scored``
    only, leaving out "does not apply" answers and plain figures; rates and year-on-year
    figures are valued as MIIT values them (``miit.figure_value``, "don't know" = 0)."""
    indicator_scores: dict[str, float] = {}
    dimension_scores: dict[str, float] = {}
    weights: list[tuple[float, float]] = []
    for dim in instrument.dimensions:
        if not dim.scored:
            continue
        parts: list[tuple[float, float]] = []
        for ind in dim.indicators:
            values = [v for i in ind.items if (v := _value_v2(i, profile, responses)) is not None]
            if values:
                indicator_scores[ind.code] = round(100 * sum(values) / len(values), 2)
                parts.append((indicator_scores[ind.code], ind.weight))
        dimension_scores[dim.code] = round(_weighted_mean(parts), 2)
        weights.append((dimension_scores[dim.code], dim.weight))
    return ScoreCard(indicator_scores, dimension_scores, round(_weighted_mean(weights), 2))


def is_pilot(responses: Responses) -> bool:
    """Is the firm on the pilot city's list of firms to transform (its own answer)?"""
    answer = responses.get(PILOT_ANSWER[0])
    return isinstance(answer, tuple) and PILOT_ANSWER[1] in answer


def score_v2(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses
) -> AssessmentResult:
    """Score a complete dmi-v2 response set: index, stage (``stages_v2``), MIIT level and the
    borderline findings (one answer from another stage or MIIT level).

    Raises
    ------
    IncompleteResponseError
        A required item that applies has no answer; ``missing`` lists them in order.
    InstrumentVersionError
        The instrument carries no MIIT indicators (scenario items and points).
    """
    visible = _complete_answers(instrument, profile, responses)
    try:
        miit = assess_miit(instrument, profile, visible, pilot=is_pilot(visible))
    except ValueError as exc:
        raise InstrumentVersionError(str(exc)) from exc
    card = score_card_v2(instrument, profile, visible)
    staged = _staged(instrument, profile, visible, card, SCORING_VERSION_2, assign_stage_v2)
    return replace(staged, miit=miit, borderline=borderline_v2(instrument, profile, visible, card))


#: Every scoring version ever published -> its scoring function. A published version's function
#: never changes; a new model is a new entry, and re-scoring a round under it is deliberate.
#: Read-only: the web app copies it into its own table (``webapp.registries.scorers``).
Scorer = Callable[[Instrument, EnterpriseProfile, Responses], AssessmentResult]
SCORERS: Mapping[str, Scorer] = MappingProxyType(
    {SCORING_VERSION: score, SCORING_VERSION_2: score_v2}
)
#: The scoring version new assessments of each instrument version are scored with.
SCORING_FOR_INSTRUMENT: Mapping[str, str] = MappingProxyType(
    {"1": SCORING_VERSION, "2": SCORING_VERSION_2}
)


def scoring_version_for(instrument: Instrument) -> str:
    """The scoring version results of ``instrument`` are computed with, read off its content so
    that a version an administrator publishes later is scored by the model its items fit:
    version 2 (MIIT level, ``stages_v2``) when it carries MIIT scenario items (dmi v2 and its
    successors), else version 1 (dmi v1). Agrees with ``SCORING_FOR_INSTRUMENT`` on the
    packaged files."""
    has_scenarios = any(i.scenario for i in instrument.items)
    return SCORING_VERSION_2 if has_scenarios else SCORING_VERSION


def scores_instrument(version: str, instrument: Instrument) -> bool:
    """Whether scoring version ``version`` may score answers to ``instrument``.

    A scoring version's family is its part before the first "." ("2" of "2.1"): a later
    revision of a rule ("1.1") scores the questionnaires its family scores. ``version`` may
    score ``instrument`` when its family is the instrument's own scoring version
    (``scoring_version_for``), so version 2's MIIT rule (which reads scenario items and
    figures) never scores version-1 answers, nor version 1's rule version-2 answers.
    """
    return version.split(".", 1)[0] == scoring_version_for(instrument)


def scorer(version: str, scorers: Mapping[str, Scorer] = SCORERS) -> Scorer:
    """The scoring function of a published version, looked up in ``scorers``.

    Raises
    ------
    InstrumentVersionError
        No such scoring version.
    """
    try:
        return scorers[version]
    except KeyError:
        raise InstrumentVersionError(
            f"no scoring version {version!r}; known: {sorted(scorers)}"
        ) from None


@dataclass(frozen=True)
class ExtremeAnswers:
    """The least or the ``most`` mature answers to a version for one enterprise, and the stage
    and MIIT level (0-4, an index of ``MIIT_LEVEL_CODES``) every scorer of the version must give
    them."""

    profile: EnterpriseProfile
    most: bool
    responses: Responses
    stage: Stage
    miit_level: int


def extreme_answers(instrument: Instrument) -> Iterator[ExtremeAnswers]:
    """For each production type in turn, the least mature answers (``least_mature_responses``),
    which must give S0 and 无等级, then the most mature ones, which must give the top stage and
    四级, of a small equipment maker in 厚街.

    A new version whose answers at either end get another stage or level no longer fits the
    gates, e.g. an item a gate reads was renamed or dropped; the MIIT level applies only to
    results that carry one (scoring version 2).
    """
    for production_type in ProductionType:
        profile = EnterpriseProfile(
            "C34", production_type, SizeClass.SMALL, "houjie", False, IndustryCluster.EQUIPMENT
        )
        least = least_mature_responses(instrument, profile)
        most = most_mature_responses(instrument, profile)
        yield ExtremeAnswers(profile, False, least, Stage.S0, 0)
        yield ExtremeAnswers(profile, True, most, max(Stage), len(MIIT_LEVEL_CODES) - 1)
