"""Plan-target indicators read from answers (assessment/plan_targets.py)."""

from __future__ import annotations

import pytest

from assessment.instrument import load_instrument
from assessment.plan_targets import (
    ANSWER_INDICATORS,
    CURRENT_SET,
    CURRENT_TARGETS,
    INTEGRATED,
    LEGACY_TARGETS,
    PILOT_AT_LEVEL2,
    PILOT_FIRMS_TARGET,
    PILOT_INDUSTRIES,
    PILOT_REASSESSED,
    SUPPLY_CHAIN,
    PlanTarget,
    Unit,
    indicators_met,
    pilot_completed_key,
    targets_of,
)
from assessment.types import IndustryCluster


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, {"integrated": False, "supply_chain": False, "cloud": False}),
        (
            {"INT-01": "L2", "MGT-04": "L1", "INF-02": "L1"},
            {"integrated": False, "supply_chain": False, "cloud": False},
        ),
        (
            {"INT-01": "L3", "MGT-04": "L2", "INF-02": "L2"},
            {"integrated": True, "supply_chain": True, "cloud": True},
        ),
        (
            {"INT-01": "L4", "MGT-04": "L4", "INF-02": "L4"},
            {"integrated": True, "supply_chain": True, "cloud": True},
        ),
        # not a level: a list, a number, an unknown code
        (
            {"INT-01": ["L3"], "MGT-04": 3.0, "INF-02": "LX"},
            {"integrated": False, "supply_chain": False, "cloud": False},
        ),
    ],
)
def test_each_indicator_is_met_from_its_threshold_up(answers, expected) -> None:  # type: ignore[no-untyped-def]
    assert indicators_met(answers, "1") == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"INT-01": "L2", "INT-05": "L1", "INT-07": "L0"}, (False, False, False)),
        ({"INT-01": "L3", "INT-05": "L2", "INT-07": "L1"}, (True, True, True)),
        # v1's items mean nothing on v2 (and v2's INT-05 is another question on v1)
        ({"MGT-04": "L4", "INF-02": "L4"}, (False, False, False)),
    ],
)
def test_version_2_answers_are_read_with_version_2_items(answers, expected) -> None:  # type: ignore[no-untyped-def]
    met = indicators_met(answers, "2")
    assert (met["integrated"], met["supply_chain"], met["cloud"]) == expected
    assert indicators_met({"INT-05": "L4", "INT-07": "L4"}, "1")["supply_chain"] is False


@pytest.mark.parametrize("version", ["1", "2"])
def test_every_indicator_names_a_single_choice_item_with_that_level(version: str) -> None:
    instrument = load_instrument("dmi", version)
    for indicator in ANSWER_INDICATORS:
        item, minimum = indicator.rule(version)
        codes = {o.code for o in instrument.item(item).options}
        assert f"L{minimum}" in codes, indicator
    assert {i.key for i in ANSWER_INDICATORS} == {"integrated", "supply_chain", "cloud"}


@pytest.mark.parametrize("targets", [CURRENT_TARGETS, LEGACY_TARGETS])
def test_every_target_set_counts_one_thing_per_row_in_both_languages(
    targets: tuple[PlanTarget, ...],
) -> None:
    assert len({t.key for t in targets}) == len(targets)
    for target in targets:
        assert (target.indicator is None) or (target.outcome is None), target.key
        if target.unit is Unit.PERCENT:
            assert target.target is None or 0 < target.target <= 100
        zh, en = target.texts("zh"), target.texts("en")
        assert all(zh) and all(en) and zh != en, target.key
        assert target.texts("fr") == zh  # a language without texts falls back to Chinese


def test_the_current_set_cites_the_2022_plan_and_the_pilot_never_the_expired_plan() -> None:
    sources = [t.texts("zh")[2] for t in CURRENT_TARGETS]
    assert not any("2012-2020" in s for s in sources)
    assert all("2022-2025" in s or "城市试点" in s for s in sources)
    # no share target the current plans do not set: integrated and supply-chain systems are gone
    assert {t.key for t in CURRENT_TARGETS}.isdisjoint({INTEGRATED.key, SUPPLY_CHAIN.key})


def test_the_pilot_rows_count_each_pilot_industry_and_the_share_at_level_two() -> None:
    by_key = {t.key: t for t in CURRENT_TARGETS}
    total = by_key[pilot_completed_key()]
    assert (total.target, total.unit, total.outcome) == (
        PILOT_FIRMS_TARGET,
        Unit.FIRMS,
        (pilot_completed_key(), None),
    )
    for cluster in PILOT_INDUSTRIES:
        row = by_key[pilot_completed_key(cluster)]
        assert row.unit is Unit.FIRMS and row.target is None  # no split per industry published
    assert set(PILOT_INDUSTRIES) == {
        IndustryCluster.ELECTRONICS,
        IndustryCluster.FOOD,
        IndustryCluster.TEXTILES,
    }
    level_two = by_key["pilot_level_two"]
    assert level_two.outcome == (PILOT_AT_LEVEL2, PILOT_REASSESSED) and level_two.target == 100


def test_a_release_is_read_with_the_set_it_recorded_and_an_old_one_with_the_legacy_set() -> None:
    assert targets_of(CURRENT_SET) is CURRENT_TARGETS
    assert targets_of(None) is LEGACY_TARGETS  # cut before sets were recorded
    assert [t.target for t in LEGACY_TARGETS] == [100, 60, 50, None]
    with pytest.raises(KeyError):
        targets_of("1999")


def test_plan_target_definitions_name_the_indicator_item_and_level() -> None:
    by_key = {t.key: t for t in LEGACY_TARGETS}
    assert by_key["integrated"].texts("zh")[1].startswith("INT-01 ≥ L3 的大中型企业占比")
    assert (
        by_key["integrated"]
        .texts("en")[1]
        .startswith("share of large/medium with INT-01 at L3 or above")
    )
    assert by_key["cloud"].texts("en")[1].startswith("share with INT-07 at L1 or above")
