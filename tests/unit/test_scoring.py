"""Scoring on a hand-made instrument with hand-computed values, and on instrument v1."""

from __future__ import annotations

import pytest

from assessment.errors import IncompleteResponseError
from assessment.instrument import (
    least_mature_responses,
    load_instrument,
    missing_items,
    most_mature_responses,
    parse_instrument,
)
from assessment.scoring import extreme_answers, score, score_card, scorer, scoring_version_for
from assessment.types import (
    AssessmentResult,
    ProductionType,
    Stage,
)
from tests.unit.data_files import data_text
from tests.unit.profiles import small_furniture_maker as profile

#: A hand-made instrument: two dimensions, every item kind, a process-only item.
TINY = data_text("tiny-instrument.toml")


def test_hand_computed_scores() -> None:
    tiny = parse_instrument(TINY)
    answers = {"Q1": "b", "Q2": 15.0, "Q3": ("x", "y", "z"), "Q4": "b", "Q5": "a"}
    card = score_card(tiny, profile(), answers)
    # A.1 = mean(0.5, 0.5) = 50; A.2 = min(1, 1.2) = 100; A = (50*1 + 100*3)/4 = 87.5
    assert card.indicator_scores == {"A.1": 50.0, "A.2": 100.0, "B.1": 25.0}
    assert card.dimension_scores == {"A": 87.5, "B": 25.0}  # Q4 does not apply to discrete
    assert card.maturity_index == pytest.approx((87.5 * 3 + 25.0) / 4, abs=0.01)
    # For a process producer Q4 counts: B = mean(1, 0.25) = 62.5
    card = score_card(tiny, profile(ProductionType.PROCESS), answers)
    assert card.dimension_scores["B"] == 62.5


@pytest.mark.parametrize("ptype", list(ProductionType))
def test_extremes_reach_s3_and_s0(ptype: ProductionType) -> None:
    instrument = load_instrument("dmi", "1")
    top = score(instrument, profile(ptype), most_mature_responses(instrument, profile(ptype)))
    bottom = score(instrument, profile(ptype), least_mature_responses(instrument, profile(ptype)))
    assert top.stage.stage is Stage.S3 and top.scorecard.maturity_index >= 95
    assert bottom.stage.stage is Stage.S0 and bottom.scorecard.maturity_index <= 5
    assert all(0 <= v <= 100 for v in top.scorecard.dimension_scores.values())


def test_incomplete_responses_name_the_missing_items() -> None:
    instrument = load_instrument("dmi", "1")
    answers = dict(most_mature_responses(instrument, profile()))
    del answers["ORG-01"], answers["INN-06"]
    with pytest.raises(IncompleteResponseError) as info:
        score(instrument, profile(), answers)
    assert info.value.missing == ("ORG-01", "INN-06")


def test_answer_to_item_that_does_not_apply_changes_nothing() -> None:
    instrument = load_instrument("dmi", "1")
    answers = dict(least_mature_responses(instrument, profile()))
    before = score(instrument, profile(), answers)
    answers["RND-04"] = "L4"  # process-only item answered by a discrete producer
    answers["INT-02"] = "L4"  # hidden: no MES
    assert score(instrument, profile(), answers) == before


def test_result_round_trips_through_json_form() -> None:
    instrument = load_instrument("dmi", "1")
    result = score(instrument, profile(), most_mature_responses(instrument, profile()))
    assert AssessmentResult.from_dict(result.to_dict()) == result


def test_raising_any_single_answer_never_lowers_scores_or_stage() -> None:
    instrument = load_instrument("dmi", "1")
    p = profile(ProductionType.MIXED)
    base = dict(least_mature_responses(instrument, p))
    for code in ("ORG-01", "MGT-01", "MGT-03", "MGT-06", "PRO-02"):
        base[code] = "L2"
    base["INT-02"] = "L1"  # revealed by the MES answer
    reference = score(instrument, p, base)
    for item in instrument.items:
        if item.kind.value != "single" or item.code not in base:
            continue
        ordered = sorted(item.options, key=lambda o: o.value)
        current = item.option(str(base[item.code]))
        for better in (o for o in ordered if current is not None and o.value > current.value):
            answers = {**base, item.code: better.code}
            for revealed in missing_items(instrument, p, answers):  # e.g. INT-02 after an MES
                answers[revealed.code] = min(revealed.options, key=lambda o: o.value).code
            raised = score(instrument, p, answers)
            assert raised.scorecard.maturity_index >= reference.scorecard.maturity_index
            assert raised.stage.stage >= reference.stage.stage
            for dim, value in reference.scorecard.dimension_scores.items():
                assert raised.scorecard.dimension_scores[dim] >= value, (item.code, dim)


@pytest.mark.parametrize("version", ["1", "2"])
def test_packaged_versions_give_the_extreme_answers_their_stage_and_level(version: str) -> None:
    instrument = load_instrument("dmi", version)
    cases = list(extreme_answers(instrument))
    assert [(c.profile.production_type, c.most) for c in cases] == [
        (t, most) for t in ProductionType for most in (False, True)
    ]
    score_version = scorer(scoring_version_for(instrument))
    for case in cases:
        result = score_version(instrument, case.profile, case.responses)
        assert result.stage.stage is case.stage
        assert result.miit is None or result.miit.level == case.miit_level
        assert (result.miit is None) == (version == "1")
