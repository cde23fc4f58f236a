"""Plan-target indicators that an enterprise's answers meet or not.

Government reports track the share of enterprises meeting each indicator against the plans'
targets (``PLAN_TARGETS`` below, computed by ``webapp/services/aggregates.plan_targets``). Whether one assessment meets an indicator
depends on its answers alone, so it is decided once, when the answers become final (submit), and
stored beside the result: the dashboard then sums stored flags instead of reading every answer.

Sources:
- 东莞市信息化发展规划(2012-2020) 二(二): over 60% of large and medium enterprises with
  integrated information systems; over 50% using systems for supply-chain management;
- 东莞市数字经济发展规划(2022-2025) 四(五)2: 150,000 industrial enterprises on the cloud by 2025
  (上云用数赋智);
- 东莞市数字经济发展规划(2022-2025) 二(四), 四(一): every above-scale (规上) industrial enterprise
  transformed (the diagnosis coverage target, 100%).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.conditions import level_of
from assessment.localised import Localised

#: The questionnaire version whose items define an indicator when a caller names none.
LATEST_VERSION = "2"


@dataclass(frozen=True)
class AnswerIndicator:
    """An indicator met when a single-choice item is answered at a minimum level ("L0".."L4")
    or higher. The item differs by questionnaire version (``rules``: version -> (item code,
    minimum level)): dmi v1 and v2 ask the same thing with different items, and reuse some codes
    with other meanings, so a rule is always read for the assessment's own version. ``key``
    names the indicator in code and storage."""

    key: str
    rules: Mapping[str, tuple[str, int]]

    def rule(self, version: str) -> tuple[str, int]:
        """(item code, minimum level) on questionnaire ``version``; the latest version's rule
        for a version published later with the same items."""
        return self.rules.get(version, self.rules[LATEST_VERSION])

    def met(self, responses: Mapping[str, object], version: str) -> bool:
        """Whether ``responses`` (item code -> stored answer) of an assessment on questionnaire
        ``version`` meet the indicator; an unanswered item or an answer that is not a level does
        not."""
        item, minimum = self.rule(version)
        return level_of(responses.get(item)) >= minimum


#: Information systems integrated across departments: INT-01 at L3 or above on both versions;
#: plan 2012-2020 二(二).
INTEGRATED = AnswerIndicator("integrated", {"1": ("INT-01", 3), "2": ("INT-01", 3)})
#: A system in use for supply-chain management: v1 MGT-04 at L2+; v2 INT-05 at L2+ (orders,
#: forecasts, quality and delivery in the chain leader's SRM platform or better); plan
#: 2012-2020 二(二).
SUPPLY_CHAIN = AnswerIndicator("supply_chain", {"1": ("MGT-04", 2), "2": ("INT-05", 2)})
#: Business systems on the cloud (上云用云): v1 INF-02 at L2+; v2 INT-07 at L1+ (SaaS in use or
#: more); plan 2022-2025 四(五)2.
CLOUD = AnswerIndicator("cloud", {"1": ("INF-02", 2), "2": ("INT-07", 1)})

ANSWER_INDICATORS: tuple[AnswerIndicator, ...] = (INTEGRATED, SUPPLY_CHAIN, CLOUD)


def indicators_met(responses: Mapping[str, object], version: str) -> dict[str, bool]:
    """``{indicator key: met}`` for every indicator in ``ANSWER_INDICATORS``, for an assessment
    on questionnaire ``version`` ("1", "2", ...)."""
    return {indicator.key: indicator.met(responses, version) for indicator in ANSWER_INDICATORS}


@dataclass(frozen=True)
class PlanTarget:
    """One row of the government's plan-target table: what is measured, the plan's target and
    where the plan says so.

    ``target_pct`` is a percentage in [0, 100], or None when the plan sets a count rather than
    a share. ``indicator`` is the answer indicator counted (None for the coverage row, which
    counts assessed enterprises). The texts are ``Localised``; ``texts(locale)`` reads all
    three in one language.
    """

    key: str
    target_pct: int | None
    indicator: AnswerIndicator | None
    name: Localised
    definition: Localised
    source: Localised

    def texts(self, locale: object) -> tuple[str, str, str]:
        """(name, definition, source) for ``locale`` (``Localised.for_locale``: English for an
        English locale, Chinese for every other)."""
        return (
            self.name.for_locale(locale),
            self.definition.for_locale(locale),
            self.source.for_locale(locale),
        )


def _share_definition(indicator: AnswerIndicator, of_zh: str, of_en: str) -> Localised:
    item, minimum = indicator.rule(LATEST_VERSION)
    level = f"L{minimum}"
    return Localised(
        zh=f"{item} ≥ {level} 的{of_zh}占比（第一版问卷按其对应题目）",
        en=f"share {of_en}with {item} at {level} or above (questionnaire v1: its own item)",
    )


#: The plan-target table, in the order the reports show it.
PLAN_TARGETS: tuple[PlanTarget, ...] = (
    PlanTarget(
        "above_scale_coverage",
        100,
        None,
        Localised(zh="规上企业诊断覆盖率", en="Above-scale enterprises assessed"),
        Localised(
            zh="已提交评估的规上企业 / 平台登记的规上企业",
            en="submitted above-scale / above-scale registered on the platform",
        ),
        Localised(
            zh="东莞市数字经济发展规划(2022-2025) 二(四)、四(一)：规上工业企业全面数字化转型",
            en="Dongguan digital economy plan 2022-2025, 2 (4) and 4 (1): every above-scale "
            "industrial enterprise transformed",
        ),
    ),
    PlanTarget(
        INTEGRATED.key,
        60,
        INTEGRATED,
        Localised(
            zh="大中型企业信息系统集成应用率",
            en="Large and medium enterprises with integrated systems",
        ),
        _share_definition(INTEGRATED, "大中型企业", "of large/medium "),
        Localised(
            zh="东莞市信息化发展规划(2012-2020) 二(二)：>60%",
            en="Dongguan informatisation plan 2012-2020, 2 (2): >60%",
        ),
    ),
    PlanTarget(
        SUPPLY_CHAIN.key,
        50,
        SUPPLY_CHAIN,
        Localised(
            zh="供应链管理系统应用率", en="Enterprises using systems for supply-chain management"
        ),
        _share_definition(SUPPLY_CHAIN, "企业", ""),
        Localised(
            zh="东莞市信息化发展规划(2012-2020) 二(二)：>50%",
            en="Dongguan informatisation plan 2012-2020, 2 (2): >50%",
        ),
    ),
    PlanTarget(
        CLOUD.key,
        None,
        CLOUD,
        Localised(zh="上云用云企业占比", en="Enterprises using cloud for business systems"),
        _share_definition(CLOUD, "企业", ""),
        Localised(
            zh="东莞市数字经济发展规划(2022-2025) 四(五)2：2025 年带动 15 万家工业企业上云用云",
            en="Dongguan digital economy plan 2022-2025, 4 (5) 2: 150,000 industrial "
            "enterprises on the cloud by 2025",
        ),
    ),
)
