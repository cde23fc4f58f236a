"""Transformation paths: rule-based labels, path segments recovered from planted paths, η²."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from assessment.instrument import load_instrument
from assessment.packages import PACKAGE_FOR_PATH, PACKAGES_BY_CODE
from assessment.paths import (
    PROFILE_COLUMNS,
    RULES_BY_CODE,
    PathCode,
    eta_squared,
    fit_path_model,
    path_of,
    profile_of,
)
from assessment.synthetic import synthetic_cohort

INSTRUMENT = load_instrument("dmi", "2")
FIVE = tuple(p for p in PathCode if p != PathCode.BALANCED)


def _scenarios(default: str, **levels: str) -> dict[str, object]:
    answers: dict[str, object] = {f"OPS-{n:02d}": default for n in range(1, 17)}
    answers.update({k.replace("_", "-"): v for k, v in levels.items()})
    return answers


def test_islands_needs_many_systems_and_no_interfaces() -> None:
    answers = _scenarios("L2", INT_01="L1")
    assert path_of(answers) == PathCode.ISLANDS
    assert path_of({**answers, "INT-01": "L2"}) != PathCode.ISLANDS
    three = _scenarios("L1", OPS_03="L2", OPS_11="L2", OPS_13="L2", INT_01="L0")
    assert path_of(three) != PathCode.ISLANDS  # three links are not "many"


def test_front_office_first_and_order_driven() -> None:
    front = _scenarios("L1", OPS_03="L2", OPS_13="L2", INT_01="L2")
    assert path_of(front) == PathCode.FRONT_OFFICE
    assert path_of({**front, "OPS-06": "L2"}) != PathCode.FRONT_OFFICE
    chain = _scenarios("L1", OPS_03="L3", OPS_05="L3", OPS_06="L3", INT_01="L2")
    assert path_of(chain) == PathCode.ORDER_DRIVEN
    assert path_of({**chain, "OPS-05": "L2"}) != PathCode.ORDER_DRIVEN


def test_equipment_first_reads_the_machine_figures() -> None:
    answers = {
        **_scenarios("L1"),
        "FND-02": 100.0,
        "FND-03": 60.0,
        "FND-04": 10.0,
        "FND-05": ("none",),
    }
    assert path_of(answers) == PathCode.EQUIPMENT_FIRST
    assert path_of({**answers, "FND-04": 30.0}) != PathCode.EQUIPMENT_FIRST
    assert path_of({**answers, "FND-05": ("production",)}) != PathCode.EQUIPMENT_FIRST


def test_organisation_bottleneck_and_the_remainder() -> None:
    answers = _scenarios("L1", OPS_03="L2", OPS_11="L2", OPS_06="L2", INT_01="L2")
    answers.update({"MGM-01": "L1", "MGM-03": "L1"})
    assert path_of(answers) == PathCode.ORGANISATION
    assert path_of({**answers, "MGM-03": "L3"}) == PathCode.BALANCED
    assert path_of({}) == PathCode.BALANCED  # nothing answered: no path, no error


def test_every_path_has_a_bilingual_name_a_source_and_a_package() -> None:
    for code in PathCode:
        rule = RULES_BY_CODE[code]
        assert rule.name.zh and rule.name.en and rule.source
        package = PACKAGE_FOR_PATH[code]
        assert PACKAGES_BY_CODE[package.code] is package and package.steps


def test_profile_reads_levels_and_machine_shares() -> None:
    answers = {**_scenarios("L4"), "FND-02": 10.0, "FND-03": 5.0, "FND-04": 0.0}
    profile = dict(zip((c.code for c in PROFILE_COLUMNS), profile_of(answers), strict=True))
    assert profile["shop"] == 100.0 and profile["digital"] == 50.0 and profile["networked"] == 0.0
    assert len(profile_of({})) == len(PROFILE_COLUMNS)


def test_eta_squared() -> None:
    assert eta_squared([1, 1, 5, 5], [0, 0, 1, 1]) == pytest.approx(1.0)
    assert eta_squared([1, 5, 1, 5], [0, 0, 1, 1]) == pytest.approx(0.0)
    assert eta_squared([3, 3], [0, 1]) == 0.0
    with pytest.raises(ValueError):
        eta_squared([1.0], [0, 1])


@pytest.mark.parametrize("maturity", [0.35, 0.5, 0.65])
def test_planted_paths_are_recovered_at_each_maturity_level(maturity: float) -> None:
    firms = list(synthetic_cohort(INSTRUMENT, 150, 11, maturity=maturity, paths=FIVE))
    x = np.array([profile_of(f.responses) for f in firms])
    columns = [c.code for c in PROFILE_COLUMNS]
    model = fit_path_model(x, columns, [path_of(f.responses) for f in firms], k_range=[5])
    assert adjusted_rand_score([f.planted for f in firms], model.labels) >= 0.8
    assert sum(s.size for s in model.segments) == len(firms)
    assert len({s.path for s in model.segments}) >= 4  # named by their members' paths


def test_paths_are_not_the_level() -> None:
    """Segments of a mixed-level cohort barely explain its level (personas: η² 0.86)."""
    firms = list(synthetic_cohort(INSTRUMENT, 200, 5, paths=FIVE))
    x = np.array([profile_of(f.responses) for f in firms])
    model = fit_path_model(
        x,
        [c.code for c in PROFILE_COLUMNS],
        [path_of(f.responses) for f in firms],
        index=x.mean(axis=1).tolist(),
        k_range=[5],
    )
    assert model.eta_squared_index is not None and model.eta_squared_index < 0.3


def test_fit_refuses_misaligned_paths() -> None:
    with pytest.raises(ValueError):
        fit_path_model(np.zeros((10, 3)), ["a", "b", "c"], [PathCode.BALANCED])
