"""Plan-target indicators that an enterprise's answers meet or not.

Government reports track the share of enterprises meeting each indicator against the plans'
targets (``webapp/services/aggregates.plan_targets``). Whether one assessment meets an indicator
depends on its answers alone, so it is decided once, when the answers become final (submit), and
stored beside the result: the dashboard then sums stored flags instead of reading every answer.

Sources:
- 东莞市信息化发展规划(2012-2020) 二(二): over 60% of large and medium enterprises with
  integrated information systems; over 50% using systems for supply-chain management;
- 东莞市数字经济发展规划(2022-2025) 四(五)2: 150,000 industrial enterprises on the cloud by 2025
  (上云用数赋智).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.conditions import level_of


@dataclass(frozen=True)
class AnswerIndicator:
    """An indicator met when the single-choice ``item`` is answered at level ``minimum``
    ("L0".."L4") or higher; ``key`` names it in code and storage."""

    key: str
    item: str
    minimum: int

    def met(self, responses: Mapping[str, object]) -> bool:
        """Whether ``responses`` (item code -> stored answer) meet the indicator; an unanswered
        item or an answer that is not a level does not."""
        return level_of(responses.get(self.item)) >= self.minimum


#: Information systems integrated across departments (INT-01 at L3 or above); plan 2012-2020 二(二).
INTEGRATED = AnswerIndicator("integrated", "INT-01", 3)
#: A system in use for supply-chain management (MGT-04 at L2 or above); plan 2012-2020 二(二).
SUPPLY_CHAIN = AnswerIndicator("supply_chain", "MGT-04", 2)
#: Business systems on the cloud (INF-02 at L2 or above); plan 2022-2025 四(五)2.
CLOUD = AnswerIndicator("cloud", "INF-02", 2)

ANSWER_INDICATORS: tuple[AnswerIndicator, ...] = (INTEGRATED, SUPPLY_CHAIN, CLOUD)


def indicators_met(responses: Mapping[str, object]) -> dict[str, bool]:
    """``{indicator key: met}`` for every indicator in ``ANSWER_INDICATORS``."""
    return {indicator.key: indicator.met(responses) for indicator in ANSWER_INDICATORS}
