"""Consistency checks on instrument dmi v2: its own rule table, not version 1's."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from assessment.consistency import check_consistency
from assessment.instrument import least_mature_responses, load_instrument, most_mature_responses
from assessment.synthetic import synthetic_cohort
from tests.unit.profiles import FURNITURE

V2 = load_instrument("dmi", "2")
PROFILE = FURNITURE


def codes(overrides: dict[str, Any], base: str = "least") -> set[str]:
    start = least_mature_responses if base == "least" else most_mature_responses
    answers = {**start(V2, PROFILE), **overrides}
    return {w.code for w in check_consistency(V2, PROFILE, answers)}


def test_consistent_extremes_raise_nothing() -> None:
    assert codes({}) == set()
    assert codes({}, base="most") == set()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"FND-02": 10.0, "FND-03": 12.0}, "C-DIGITAL-TOTAL"),
        ({"FND-02": 10.0, "FND-03": 4.0, "FND-04": 5.0}, "C-NET-DIGITAL"),
        ({"FND-02": 10.0, "FND-03": 8.0, "FND-04": 6.0}, "C-NET-COLLECT"),
        ({"OPS-12": "L3", "INT-01": "L1"}, "C-SCENARIO-INTEGRATION"),  # review's firm E
        ({"INT-02": "L4", "FND-02": 100.0, "FND-04": 9.0}, "C-MES-MACHINES"),
        ({"OPS-13": "L2"}, "C-SYSTEMS-COVERAGE"),
    ],
)
def test_each_v2_contradiction_is_asked_back(overrides: dict[str, Any], code: str) -> None:
    assert code in codes(overrides)


def test_the_same_answers_without_the_contradiction_raise_nothing() -> None:
    assert codes({"OPS-12": "L3", "INT-01": "L2", "FND-06": "L2"}) == set()
    assert codes({"FND-02": 10.0, "FND-03": 8.0, "FND-04": 6.0, "FND-05": ("production",)}) == set()


def test_the_synthetic_v2_cohort_is_consistent() -> None:
    for firm in synthetic_cohort(V2, 120, 5):
        profile = replace(firm.profile, above_scale=False)
        assert check_consistency(V2, profile, firm.responses) == (), firm.name
