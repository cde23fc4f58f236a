"""Plan targets the government figures track, and the answer indicators behind some of them.

Government reports show each target beside the share (or count) of enterprises meeting it
(computed by ``webapp/services/aggregates.plan_targets`` from a statistics release). Whether one
assessment meets an answer indicator depends on its answers alone, so it is decided once, when
the answers become final (submit), and stored beside the result: a release sums stored flags
instead of reading every answer. Pilot targets count referral outcomes (projects completed,
re-assessments after the project), frozen in the release as well
(``webapp/services/referral_outcomes``).

Target sets (``TARGET_SETS``): a release records the set it was cut with
(``summary["target_set"]``) and is always shown with that set, so a frozen release keeps the
meaning it was published with; releases cut before sets were recorded used ``LEGACY_SET``.

Sources of the current set (``CURRENT_SET``):
- 东莞市数字经济发展规划(2022-2025) 二(四) 发展目标: 到2025年实现规上企业数字化转型升级全覆盖;
- the same plan, 四(五) 推进工业互联网创新发展, 企业"上云用数赋智": 到2025年带动15万家工业企业
  上云用云 (a count of firms: the share is shown without a percentage target);
- 东莞市中小企业数字化转型城市试点 (first national batch, 2023; pilot to 31 Dec 2025): about 720
  SMEs transformed in the pilot industries 智能移动终端, 食品饮料, 纺织服装, each accepted after the
  project by an assessment on the MIIT 2024 indicators at 数字化水平二级 or above (工信厅企业〔2024〕
  56号; city calls for the pilot's transformation projects).
The 2022-2025 plan sets no share for integrated systems or supply-chain systems: those two
indicators are kept only for releases cut under the expired 东莞市信息化发展规划(2012-2020).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from assessment.conditions import level_of
from assessment.localised import Localised
from assessment.types import IndustryCluster

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


#: The pilot's industries (细分行业) as the platform's clusters: 智能移动终端 is counted by the
#: electronics cluster (GB/T 4754 C39, which also holds other electronics), 食品饮料 by food
#: (C13-C15), 纺织服装 by textiles (C17-C19). Source: the pilot's calls (see the module).
PILOT_INDUSTRIES: dict[IndustryCluster, Localised] = {
    IndustryCluster.ELECTRONICS: Localised("智能移动终端", "smart mobile terminals"),
    IndustryCluster.FOOD: Localised("食品饮料", "food and beverages"),
    IndustryCluster.TEXTILES: Localised("纺织服装", "textiles and garments"),
}
#: Firms the pilot aims to transform, all pilot industries together (no split is published).
PILOT_FIRMS_TARGET = 720


class Unit(StrEnum):
    """What a target's value and target are: a percentage in [0, 100] or a number of firms."""

    PERCENT = "percent"
    FIRMS = "firms"


@dataclass(frozen=True)
class PlanTarget:
    """One row of the government's plan-target table: what is measured, the plan's target and
    where the plan says so.

    ``unit`` says whether the value and ``target`` are percentages in [0, 100] or numbers of
    firms; ``target`` is None when the plan sets none for this row. What is counted:
    ``indicator`` (an answer indicator over assessed enterprises), or ``outcome`` (the names of
    a release's referral-outcome counts: (numerator, denominator), denominator None for a
    count), or neither (the coverage row, which counts assessed above-scale enterprises). The
    texts are ``Localised``; ``texts(locale)`` reads all three in one language.
    """

    key: str
    target: int | None
    unit: Unit
    name: Localised
    definition: Localised
    source: Localised
    indicator: AnswerIndicator | None = None
    outcome: tuple[str, str | None] | None = None

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


def pilot_completed_key(cluster: IndustryCluster | None = None) -> str:
    """The referral-outcome count of pilot-industry firms whose project was completed: of one
    pilot industry (``cluster``, one of ``PILOT_INDUSTRIES``) or of all (None)."""
    return f"pilot_completed_{cluster.value}" if cluster else "pilot_completed"


#: Referral-outcome counts of pilot-industry firms re-assessed after a completed project, and
#: of those at MIIT 二级 or above then.
PILOT_REASSESSED = "pilot_reassessed"
PILOT_AT_LEVEL2 = "pilot_at_level2"

_PLAN_2022 = "东莞市数字经济发展规划(2022-2025)"
_PLAN_2022_EN = "Dongguan digital economy plan 2022-2025"
_PILOT = "东莞市中小企业数字化转型城市试点"
_PILOT_EN = "Dongguan SME digital-transformation pilot city"

COVERAGE = PlanTarget(
    "above_scale_coverage",
    100,
    Unit.PERCENT,
    Localised(zh="规上企业诊断覆盖率", en="Above-scale enterprises assessed"),
    Localised(
        zh="已提交评估的规上企业 / 平台登记的规上企业",
        en="submitted above-scale / above-scale registered on the platform",
    ),
    Localised(
        zh=f"{_PLAN_2022} 二(四)：到2025年实现规上企业数字化转型升级全覆盖",
        en=f"{_PLAN_2022_EN}, 2 (4): every above-scale enterprise transformed by 2025",
    ),
)


def _pilot_industry_target(cluster: IndustryCluster, industry: Localised) -> PlanTarget:
    return PlanTarget(
        pilot_completed_key(cluster),
        None,
        Unit.FIRMS,
        Localised(
            zh=f"试点行业完成改造的企业：{industry.zh}",
            en=f"Pilot firms transformed: {industry.en}",
        ),
        Localised(
            zh=f"本批次诊断后对接项目已完成的{cluster.label.zh}集群企业（家）",
            en=f"{cluster.label.en} cluster firms whose project (referred after "
            "this round's diagnosis) is completed (firms)",
        ),
        Localised(
            zh=f"{_PILOT}：试点细分行业{industry.zh}（各行业目标未分列，合计约 "
            f"{PILOT_FIRMS_TARGET} 家）",
            en=f"{_PILOT_EN}: pilot industry {industry.en} (no target per industry is "
            f"published; about {PILOT_FIRMS_TARGET} firms in all)",
        ),
        outcome=(pilot_completed_key(cluster), None),
    )


def _cloud_target(source: Localised) -> PlanTarget:
    """The cloud-use share row (no share target: the plan counts firms), citing ``source``.

    Both target sets carry this row; only the wording of the citation differs (the legacy set
    keeps the text releases cut before target sets were recorded showed).
    """
    return PlanTarget(
        CLOUD.key,
        None,
        Unit.PERCENT,
        Localised(zh="上云用云企业占比", en="Enterprises using cloud for business systems"),
        _share_definition(CLOUD, "企业", ""),
        source,
        indicator=CLOUD,
    )


#: The current set: 2022-2025 plan and the pilot, in the order the reports show it.
CURRENT_TARGETS: tuple[PlanTarget, ...] = (
    COVERAGE,
    _cloud_target(
        Localised(
            zh=f"{_PLAN_2022} 四(五)：到2025年带动15万家工业企业上云用云（目标为家数，未设占比）",
            en=f"{_PLAN_2022_EN}, 4 (5): 150,000 industrial enterprises on the cloud by 2025 "
            "(a number of firms; no share is set)",
        )
    ),
    PlanTarget(
        pilot_completed_key(),
        PILOT_FIRMS_TARGET,
        Unit.FIRMS,
        Localised(zh="试点行业完成改造的企业", en="Pilot firms transformed"),
        Localised(
            zh="本批次诊断后对接项目已完成的三个试点行业集群企业（家）",
            en="firms in the three pilot-industry clusters whose project (referred after this "
            "round's diagnosis) is completed (firms)",
        ),
        Localised(
            zh=f"{_PILOT}：试点期至2025年底，改造约 {PILOT_FIRMS_TARGET} 家中小企业",
            en=f"{_PILOT_EN}: about {PILOT_FIRMS_TARGET} SMEs transformed by the end of 2025",
        ),
        outcome=(pilot_completed_key(), None),
    ),
    *(_pilot_industry_target(c, industry) for c, industry in PILOT_INDUSTRIES.items()),
    PlanTarget(
        "pilot_level_two",
        100,
        Unit.PERCENT,
        Localised(
            zh="试点企业改造后达到数字化水平二级及以上占比",
            en="Pilot firms at MIIT level 2 or above after the project",
        ),
        Localised(
            zh="项目完成后已复评的试点行业企业中，复评工信部等级 ≥ 二级的占比",
            en="share of pilot-industry firms re-assessed after a completed project whose MIIT "
            "level was 2 or above",
        ),
        Localised(
            zh=f"{_PILOT}：改造后按中小企业数字化水平评测指标（2024年版）评测，达到二级及以上方可验收",
            en=f"{_PILOT_EN}: projects are accepted at MIIT 2024 level 2 or above after the "
            "project",
        ),
        outcome=(PILOT_AT_LEVEL2, PILOT_REASSESSED),
    ),
)

_PLAN_2012 = "东莞市信息化发展规划(2012-2020) 二(二)"
_PLAN_2012_EN = "Dongguan informatisation plan 2012-2020, 2 (2)"

#: The set of releases cut before target sets were recorded (the expired 2012-2020 shares and
#: the cloud share as then cited); shown only for those releases.
LEGACY_TARGETS: tuple[PlanTarget, ...] = (
    COVERAGE,
    PlanTarget(
        INTEGRATED.key,
        60,
        Unit.PERCENT,
        Localised(
            zh="大中型企业信息系统集成应用率",
            en="Large and medium enterprises with integrated systems",
        ),
        _share_definition(INTEGRATED, "大中型企业", "of large/medium "),
        Localised(zh=f"{_PLAN_2012}：>60%", en=f"{_PLAN_2012_EN}: >60%"),
        indicator=INTEGRATED,
    ),
    PlanTarget(
        SUPPLY_CHAIN.key,
        50,
        Unit.PERCENT,
        Localised(
            zh="供应链管理系统应用率", en="Enterprises using systems for supply-chain management"
        ),
        _share_definition(SUPPLY_CHAIN, "企业", ""),
        Localised(zh=f"{_PLAN_2012}：>50%", en=f"{_PLAN_2012_EN}: >50%"),
        indicator=SUPPLY_CHAIN,
    ),
    _cloud_target(
        Localised(
            zh=f"{_PLAN_2022} 四(五)：2025 年带动 15 万家工业企业上云用云",
            en=f"{_PLAN_2022_EN}, 4 (5): 150,000 industrial enterprises on the cloud by 2025",
        )
    ),
)

#: Target sets by the name a release records.
CURRENT_SET = "2022-2025"
LEGACY_SET = "2012-2020"
TARGET_SETS: dict[str, tuple[PlanTarget, ...]] = {
    CURRENT_SET: CURRENT_TARGETS,
    LEGACY_SET: LEGACY_TARGETS,
}


def targets_of(target_set: str | None) -> tuple[PlanTarget, ...]:
    """The targets of a release's recorded ``target_set`` (None: a release cut before sets were
    recorded, i.e. ``LEGACY_SET``). Raises ``KeyError`` for an unknown set name."""
    return TARGET_SETS[target_set or LEGACY_SET]
