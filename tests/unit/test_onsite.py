"""The on-site rating's verified level (assessment.onsite): the MIIT rule of assessment.miit
applied to staff's scenario levels, reasons required for every change."""

from __future__ import annotations

import pytest

from assessment.miit import CONSTRAINED_SCENARIOS, miit_level
from assessment.onsite import Basis, RatingError, basis_of, rate
from assessment.types import ScenarioLevel


def scenarios(level: int) -> tuple[ScenarioLevel, ...]:
    """16 scenarios all at ``level``: the 10 constrained ones and 6 others."""
    codes = sorted(CONSTRAINED_SCENARIOS) + [f"other{i}" for i in range(6)]
    return tuple(ScenarioLevel(c, c, c, level, c in CONSTRAINED_SCENARIOS) for c in codes)


def test_unchanged_levels_verify_the_self_reported_level() -> None:
    own = scenarios(2)
    rating = rate(45.0, own, {s.code: s.level for s in own}, {})
    assert rating.level == rating.self_level == miit_level(45.0, own) == 2
    assert rating.changed == ()


def test_rating_constrained_scenarios_down_lowers_the_level_by_the_miit_rule() -> None:
    own = scenarios(2)
    # 8 of the 10 constrained scenarios only reach L1: 2 constrained at L2 < 3 required.
    down = {c: 1 for c in sorted(CONSTRAINED_SCENARIOS)[:8]}
    reasons = dict.fromkeys(down, "现场未见系统")
    rating = rate(45.0, own, down, reasons)
    assert (rating.self_level, rating.level) == (2, 1)
    assert {c.code for c in rating.changed} == set(down)
    assert all(c.self_level == 2 and c.level == 1 for c in rating.changed)
    assert rating.level == miit_level(45.0, rating.scenarios)


def test_raising_scenarios_cannot_beat_the_score_threshold() -> None:
    own = scenarios(1)
    up = {s.code: 4 for s in own}
    rating = rate(30.0, own, up, dict.fromkeys(up, "现场核实"))
    assert rating.level == 1  # 二级 needs 40 points whatever the scenarios


def test_a_change_without_a_reason_and_a_bad_level_are_refused() -> None:
    own = scenarios(2)
    with pytest.raises(RatingError) as refused:
        rate(45.0, own, {"finance": 1, "quality": 7, "unknown": 1}, {"finance": "  "})
    assert refused.value.missing_reasons == ("finance",)
    assert refused.value.bad_levels == ("quality", "unknown")


def test_the_strongest_basis_wins() -> None:
    assert basis_of(staff_validated=False, onsite_rated=False) == Basis.SELF_REPORTED
    assert basis_of(staff_validated=True, onsite_rated=False) == Basis.STAFF_VERIFIED
    assert basis_of(staff_validated=True, onsite_rated=True) == Basis.ONSITE_RATED
    assert basis_of(staff_validated=False, onsite_rated=True) == Basis.ONSITE_RATED
