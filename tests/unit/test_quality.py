"""Reliability and agreement figures on hand-made data."""

from __future__ import annotations

import numpy as np
import pytest

from assessment.instrument import least_mature_responses, load_instrument, most_mature_responses
from assessment.quality import cronbach_alpha, miit_tables, quality_report
from assessment.types import EnterpriseProfile, IndustryCluster, ProductionType, SizeClass


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
