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

from collections.abc import Callable, Mapping
from types import MappingProxyType

from assessment.conditions import Facts
from assessment.errors import IncompleteResponseError, InstrumentVersionError
from assessment.instrument import is_applicable, item_value, missing_items
from assessment.stages import assign_stage
from assessment.types import (
    AssessmentResult,
    EnterpriseProfile,
    Instrument,
    Responses,
    ScoreCard,
)

SCORING_VERSION = "1"


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
    missing = missing_items(instrument, profile, responses)
    if missing:
        raise IncompleteResponseError([i.code for i in missing])
    visible = {
        i.code: responses[i.code]
        for i in instrument.items
        if i.code in responses and is_applicable(i, profile, responses)
    }
    card = score_card(instrument, profile, visible)
    facts = Facts(instrument, profile, visible, card.maturity_index, card.dimension_scores)
    return AssessmentResult(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        scoring_version=SCORING_VERSION,
        scorecard=card,
        stage=assign_stage(facts),
    )


#: Every scoring version ever published -> its scoring function. A published version's function
#: never changes; a new model is a new entry, and re-scoring a round under it is deliberate.
#: Read-only: the web app copies it into its own table (``webapp.registries.scorers``).
Scorer = Callable[[Instrument, EnterpriseProfile, Responses], AssessmentResult]
SCORERS: Mapping[str, Scorer] = MappingProxyType({SCORING_VERSION: score})


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
