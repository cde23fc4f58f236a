"""Reliability and agreement figures on hand-made data."""

from __future__ import annotations

import numpy as np
import pytest

from assessment.instrument import (
    current_instrument,
    least_mature_responses,
    load_instrument,
    most_mature_responses,
)
from assessment.quality import (
    agreement,
    answer_agreement,
    cronbach_alpha,
    miit_tables,
    quality_report,
    response_rates,
)
from assessment.types import EnterpriseProfile, IndustryCluster, ProductionType, SizeClass
from tests.unit.profiles import FURNITURE as PROFILE


def test_cronbach_alpha_hand_computed() -> None:
    # Two items, item variances 1 and 1, total variance 4 -> alpha = 2 * (1 - 2/4) = 1.0
    assert cronbach_alpha(np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])) == pytest.approx(1.0)
    # Uncorrelated items -> alpha near 0 (here exactly 0: total variance = sum of variances)
    assert cronbach_alpha(
        np.array([[1.0, 2.0], [2.0, 1.0], [1.0, 1.0], [2.0, 2.0]])
    ) == pytest.approx(0.0)
    assert cronbach_alpha(np.array([[1.0], [2.0]])) is None


def test_report_flags_constant_items_and_computes_kappa() -> None:
    instrument = load_instrument("dmi", "1")
    p = EnterpriseProfile(
        "C21", ProductionType.DISCRETE, SizeClass.SMALL, "houjie", True, IndustryCluster.FURNITURE
    )
    low, high = least_mature_responses(instrument, p), most_mature_responses(instrument, p)
    responses = [low] * 10 + [high] * 10
    report = quality_report(
        instrument,
        responses,
        ["S0"] * 10 + ["S3"] * 10,
        [[]] * 20,
        {},
        staff_stages=["S0"] * 10 + ["S3"] * 9 + ["S2"],
    )
    assert report.n == 20 and report.stage_shares["S0"] == 0.5
    assert report.near_constant == {"INT-02": 1.0}  # only the 10 with an MES answer it, alike
    assert 0.8 < report.kappa < 1.0 and report.labelled == 20
    assert report.confusion[2][3] == 1  # staff S2, model S3
    constant = quality_report(instrument, [low] * 12, ["S0"] * 12, [[]] * 12, {})
    assert "ORG-01" in constant.near_constant and constant.kappa is None


def test_miit_tables_give_level_shares_in_order_and_every_stage_level_cell() -> None:
    shares, table = miit_tables(["S0", "S1", "S1", "S2"], ["none", "1", "2", "2"])
    assert list(shares) == ["none", "1", "2", "3", "4"]
    assert shares == {"none": 0.25, "1": 0.25, "2": 0.5, "3": 0.0, "4": 0.0}
    assert table["S1"] == {"none": 0, "1": 1, "2": 1, "3": 0, "4": 0}
    assert table["S3"] == dict.fromkeys(["none", "1", "2", "3", "4"], 0)
    empty_shares, empty_table = miit_tables([], [])
    assert empty_shares == {} and all(sum(row.values()) == 0 for row in empty_table.values())


def test_agreement_gives_kappa_the_table_and_exact_share() -> None:
    both = agreement(["S1", "S2", "S2", "S0"], ["S1", "S2", "S3", "S0"], ["S0", "S1", "S2", "S3"])
    assert both.n == 4 and both.exact == 0.75
    assert both.confusion is not None and both.confusion[2][3] == 1  # first S2, second S3
    assert both.kappa is not None and 0.5 < both.kappa < 1.0
    same = agreement(["2", "2"], ["2", "2"], ["none", "1", "2"])
    assert same.kappa is None and same.exact == 1.0
    assert agreement([], [], ["S0"]).exact is None


def test_response_rates_count_blanks_and_dont_know_over_firms_the_item_applies_to() -> None:
    instrument = current_instrument()
    full = most_mature_responses(instrument, PROFILE)
    figure = next(i.code for i in instrument.items if i.kind.value == "figure" and i.code in full)
    blank = next(i.code for i in instrument.items if i.required and i.code in full)
    one = {**full, figure: "unknown"}
    two = {k: v for k, v in full.items() if k != blank}
    rates = {r.code: r for r in response_rates(instrument, [PROFILE, PROFILE], [one, two])}
    assert rates[figure].dont_know == 0.5 and rates[figure].missing == 0.0
    assert rates[blank].missing == 0.5 and rates[blank].offered == 2
    assert answer_agreement([(one, one)]) == 1.0
    assert answer_agreement([(full, one)]) == (len(full) - 1) / len(full)
