"""Cost sharing estimates (plan 四 (二) 1: 赋能中心让一点、政府补一点、企业出一点)."""

from __future__ import annotations

import pytest

from assessment.costs import CostShares, enterprise_cost


def test_enterprise_share_of_price_band() -> None:
    shares = CostShares(10, 30, 60)
    assert enterprise_cost("5to20", True, shares) == (3.0, 12.0)  # 60 % of 5-20 万元
    assert enterprise_cost("5to20", False, shares) == (4.5, 18.0)  # no subsidy: 90 %


def test_shares_must_add_up() -> None:
    with pytest.raises(ValueError):
        CostShares(20, 30, 60)
    with pytest.raises(ValueError):
        CostShares(-10, 50, 60)
