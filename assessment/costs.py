"""Cost sharing: what an enterprise might pay for a solution.

The plan's principle "赋能中心让一点、政府补一点、企业出一点" (Dongguan plan 2022-2025 四 (二) 1):
the centre gives a discount, government subsidises eligible solutions, the enterprise pays the
rest. This fixed split estimates what the firm pays for the solutions listed in a version-1
report (which has no roadmap); every figure is an estimate from the solution's price band, never
a quote. A version-2 report's roadmap splits each step's cost by the product's provider discount
and the support programmes instead (``assessment.programmes.share_cost``).
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.catalogue import PRICE_BANDS


@dataclass(frozen=True)
class CostShares:
    """Percentages of a solution's price: centre discount, government subsidy, enterprise.

    Raises
    ------
    ValueError
        A negative share, or shares that do not add up to 100.
    """

    centre: float = 10.0
    government: float = 30.0
    enterprise: float = 60.0

    def __post_init__(self) -> None:
        values = (self.centre, self.government, self.enterprise)
        if any(v < 0 for v in values) or abs(sum(values) - 100.0) > 1e-6:
            raise ValueError("cost shares must be non-negative and add up to 100")


#: The split of the version-1 report's solution estimates (its cost note states it).
ESTIMATE_SHARES = CostShares()


def enterprise_cost(
    price_band: str, subsidy_eligible: bool, shares: CostShares
) -> tuple[float, float]:
    """Estimated (low, high) the enterprise pays, in 万元.

    Without subsidy eligibility the government share falls to the enterprise.

    Raises
    ------
    KeyError
        Unknown price band.
    """
    low, high = PRICE_BANDS[price_band]
    pays = shares.enterprise if subsidy_eligible else shares.enterprise + shares.government
    return round(low * pays / 100, 2), round(high * pays / 100, 2)
