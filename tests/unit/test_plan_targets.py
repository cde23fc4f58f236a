"""Plan-target indicators read from answers (assessment/plan_targets.py)."""

from __future__ import annotations

import pytest

from assessment.instrument import load_instrument
from assessment.plan_targets import (
    ANSWER_INDICATORS,
    PLAN_TARGETS,
    indicators_met,
)


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


def test_plan_target_table_covers_every_answer_indicator_once_with_both_languages() -> None:
    counted = [t.indicator for t in PLAN_TARGETS if t.indicator is not None]
    assert counted == list(ANSWER_INDICATORS)
    assert len({t.key for t in PLAN_TARGETS}) == len(PLAN_TARGETS)
    for target in PLAN_TARGETS:
        assert target.target_pct is None or 0 < target.target_pct <= 100
        zh, en = target.texts("zh"), target.texts("en")
        assert all(zh) and all(en) and zh != en, target.key
        assert target.texts("fr") == zh  # a language without texts falls back to Chinese


def test_plan_target_definitions_name_the_indicator_item_and_level() -> None:
    by_key = {t.key: t for t in PLAN_TARGETS}
    assert by_key["integrated"].texts("zh")[1].startswith("INT-01 ≥ L3 的大中型企业占比")
    assert (
        by_key["integrated"]
        .texts("en")[1]
        .startswith("share of large/medium with INT-01 at L3 or above")
    )
    assert by_key["cloud"].texts("en")[1].startswith("share with INT-07 at L1 or above")
    assert [t.target_pct for t in PLAN_TARGETS] == [100, 60, 50, None]
