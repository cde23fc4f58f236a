"""Plan-target indicators read from answers (assessment/plan_targets.py)."""

from __future__ import annotations

import pytest

from assessment.instrument import current_instrument
from assessment.plan_targets import (
    ANSWER_INDICATORS,
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
    assert indicators_met(answers) == expected


def test_every_indicator_names_a_single_choice_item_with_that_level() -> None:
    instrument = current_instrument()
    for indicator in ANSWER_INDICATORS:
        codes = {o.code for o in instrument.item(indicator.item).options}
        assert f"L{indicator.minimum}" in codes, indicator
    assert {i.key for i in ANSWER_INDICATORS} == {"integrated", "supply_chain", "cloud"}
