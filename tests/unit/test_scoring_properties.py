"""Properties of the scoring model, checked with hypothesis on instrument v1 (issue: a model
centres and government can trust): bounds, monotonicity, determinism, cumulative gates, skip
logic. Each property runs 500 generated examples in CI (a fifth in the quick loop: tests/examples.py)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.instrument import is_applicable, load_instrument, missing_items
from assessment.scoring import score
from assessment.stages import GATES
from assessment.types import (
    EnterpriseProfile,
    IndustryCluster,
    ItemKind,
    ProductionType,
    SizeClass,
    Stage,
)
from tests.examples import examples
from tests.unit.answer_strategies import choice_answer

INSTRUMENT = load_instrument("dmi", "1")
EXAMPLES = settings(
    max_examples=examples(500), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def assessments(draw):  # type: ignore[no-untyped-def]
    """A profile and a complete, valid response set for it (skip logic respected)."""
    ptype = draw(st.sampled_from(list(ProductionType)))
    profile = EnterpriseProfile(
        "C21", ptype, SizeClass.SMALL, "houjie", True, IndustryCluster.FURNITURE
    )
    responses: dict[str, str | tuple[str, ...] | float] = {}
    for item in INSTRUMENT.items:
        if not is_applicable(item, profile, responses):
            continue
        responses[item.code] = draw(answer_for(item))
    return profile, responses


def answer_for(item):  # type: ignore[no-untyped-def]
    choice = choice_answer(item)
    if choice is not None:
        return choice
    low, high = item.minimum or 0.0, item.maximum or 100.0
    return st.floats(low, high, allow_nan=False).map(lambda x: round(x, 1))


def more_mature(item, answer):  # type: ignore[no-untyped-def]
    """Every answer to ``item`` that is at least as mature as ``answer`` and differs from it."""
    if item.kind == ItemKind.SINGLE:
        value = item.option(answer).value
        return [o.code for o in item.options if o.value > value]
    if item.kind == ItemKind.MULTI:
        chosen = set(answer) - {"none"}
        real = [o.code for o in item.options if o.code != "none"]
        return [
            tuple(c for c in real if c in chosen | {extra}) for extra in real if extra not in chosen
        ]
    return [float(item.maximum)] if answer < item.maximum else []


def complete(profile, responses):  # type: ignore[no-untyped-def]
    """Answer items that a changed answer revealed with their least mature option."""
    out = dict(responses)
    for item in missing_items(INSTRUMENT, profile, out):
        out[item.code] = min(item.options, key=lambda o: o.value).code
    return out


@EXAMPLES
@given(assessments())
def test_bounds(case) -> None:  # type: ignore[no-untyped-def]
    profile, responses = case
    result = score(INSTRUMENT, profile, responses)
    assert 0 <= result.scorecard.maturity_index <= 100
    assert all(0 <= v <= 100 for v in result.scorecard.dimension_scores.values())
    assert all(0 <= v <= 100 for v in result.scorecard.indicator_scores.values())
    assert result.stage.stage in set(Stage)


@EXAMPLES
@given(assessments(), st.data())
def test_a_more_mature_answer_never_lowers_anything(case, data) -> None:  # type: ignore[no-untyped-def]
    profile, responses = case
    before = score(INSTRUMENT, profile, responses)
    code = data.draw(st.sampled_from(sorted(responses)))
    item = INSTRUMENT.item(code)
    options = more_mature(item, responses[code])
    if not options:
        return
    better = data.draw(st.sampled_from(options))
    after = score(INSTRUMENT, profile, complete(profile, {**responses, code: better}))
    assert after.scorecard.maturity_index >= before.scorecard.maturity_index
    assert after.stage.stage >= before.stage.stage
    for dim, value in before.scorecard.dimension_scores.items():
        assert after.scorecard.dimension_scores[dim] >= value


@EXAMPLES
@given(assessments())
def test_same_answers_give_byte_identical_results(case) -> None:  # type: ignore[no-untyped-def]
    profile, responses = case
    first = json.dumps(score(INSTRUMENT, profile, responses).to_dict(), sort_keys=True)
    shuffled = dict(reversed(list(responses.items())))
    assert json.dumps(score(INSTRUMENT, profile, shuffled).to_dict(), sort_keys=True) == first


@EXAMPLES
@given(assessments())
def test_gates_are_cumulative(case) -> None:  # type: ignore[no-untyped-def]
    profile, responses = case
    result = score(INSTRUMENT, profile, responses)
    for rule in GATES:
        if rule.gate.stage <= result.stage.stage:
            assert rule.gate.code in result.stage.met
    if result.stage.stage < Stage.S3:
        following = Stage(result.stage.stage + 1)
        assert result.stage.unmet_next
        assert all(g.stage == following for g in result.stage.unmet_next)


@EXAMPLES
@given(assessments(), st.data())
def test_answers_to_items_that_do_not_apply_change_nothing(case, data) -> None:  # type: ignore[no-untyped-def]
    profile, responses = case
    hidden = [i for i in INSTRUMENT.items if not is_applicable(i, profile, responses)]
    if not hidden:
        return
    extra = {i.code: data.draw(answer_for(i)) for i in hidden}
    assert score(INSTRUMENT, profile, {**responses, **extra}) == score(
        INSTRUMENT, profile, responses
    )
