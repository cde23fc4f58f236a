"""Stage gates for instrument dmi v2 (scoring version 2); version 1 keeps ``stages.GATES``.

What changed against version 1, following the domain review §2.4 and the Dongguan plan
2022-2025 四 (一):

- no organisational veto: who leads (MGM-03) and online office work are roadmap steps, not S1
  gates (the plan *encourages* a "一把手" lead; it defines S1 by systems in single links);
- S1 = 四(一)1 "通过部署信息系统深化数字技术在单项业务环节的应用": at least 3 MIIT scenarios at
  L2 (managed by an information system), at least one of them finance, purchasing, warehouse or
  production (planning or production control);
- every S2 gate has more than one route, so no single answer of an otherwise top firm moves it
  below S2: integration by INT-01 at L3 OR 3 integration scenarios at L3; production by MES on
  every line, OR (process and mixed plants) DCS/SCADA on every unit with electronic batch records
  and automatic collection, OR production control at L3 with automatic collection; data by the
  networked share of machines OR real-time equipment data, with collection in 3 shop-floor links
  OR 3 shop-floor scenarios at L3; decisions by decision support at L2 OR finance at L3 with
  integrated systems;
- no index gate: on the synthetic cohort an index gate decided almost nothing (see
  docs/methodology.md); the MIIT level carries the score-based classification beside the stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.conditions import (
    AllOf,
    AnyOf,
    AtLeast,
    Chosen,
    CountAtLeast,
    Facts,
    NumberAtLeast,
    RateAtLeast,
)
from assessment.localised import Localised
from assessment.miit import scenario_levels
from assessment.stages import (
    PLAN_1,
    PLAN_2,
    PLAN_3,
    PLATFORM_GATE,
    GateRule,
    assign_stage_with,
    gate_rule,
)
from assessment.types import (
    EnterpriseProfile,
    Instrument,
    Responses,
    ScenarioLevel,
    Stage,
    StageResult,
)

#: The 16 scenario items of dmi v2 in instrument order (OPS-01 产品设计 .. OPS-16 决策支持).
SCENARIO_ITEMS = tuple(f"OPS-{n:02d}" for n in range(1, 17))
FINANCE, PURCHASING, WAREHOUSE, PLANNING, PRODUCTION = (
    "OPS-13",
    "OPS-11",
    "OPS-12",
    "OPS-05",
    "OPS-06",
)
QUALITY, EQUIPMENT, ENERGY, DECISION = "OPS-07", "OPS-08", "OPS-10", "OPS-16"
#: Scenarios whose MIIT L3 descriptor is integration with other systems (营销、计划、生产、采购、
#: 仓储、财务、协同办公).
INTEGRATION_SCENARIOS = ("OPS-03", PLANNING, PRODUCTION, PURCHASING, WAREHOUSE, FINANCE, "OPS-15")
#: Shop-floor links in the automatic-collection item FND-05.
SHOP_FLOOR_LINKS = frozenset({"planning", "production", "quality", "equipment", "safety", "energy"})
#: Shop-floor scenarios whose MIIT L3 descriptor includes automatic data collection.
SHOP_FLOOR_SCENARIOS = (PRODUCTION, QUALITY, EQUIPMENT, ENERGY)
NEW_MODELS = frozenset({"networked", "custom", "service", "shared"})
MIIT_SCENARIOS = "工信部 中小企业数字化水平评测指标(2024) 经营场景一级至四级描述"

GATES_V2: tuple[GateRule, ...] = (
    gate_rule(
        "S1.SYSTEMS",
        Stage.S1,
        "至少 3 个业务场景用信息系统规范管理（二级及以上），其中至少一个是财务、采购、仓储或生产",
        "At least 3 business scenarios managed in an information system (level 2 or above), "
        "at least one of them finance, purchasing, warehouse or production",
        f"{PLAN_1}；{MIIT_SCENARIOS}",
        AllOf(
            (
                CountAtLeast(SCENARIO_ITEMS, 2, 3),
                AnyOf(
                    tuple(
                        AtLeast(code, 2)
                        for code in (FINANCE, PURCHASING, WAREHOUSE, PLANNING, PRODUCTION)
                    )
                ),
            )
        ),
    ),
    gate_rule(
        "S2.INTEG",
        Stage.S2,
        "主要管理业务数据自动共享（系统集成达到三级），或至少 3 个业务场景与其他系统数字化协同",
        "The main business data is shared automatically (integration at level 3), or at least 3 "
        "business scenarios work digitally with other systems",
        PLAN_2,
        AnyOf((AtLeast("INT-01", 3), CountAtLeast(INTEGRATION_SCENARIOS, 3, 3))),
    ),
    gate_rule(
        "S2.PROD",
        Stage.S2,
        "生产由系统管控：MES 覆盖全部产线；或流程型企业 DCS/SCADA 覆盖全部工段、使用电子批记录并"
        "自动采集生产数据；或生产管控达到三级并自动采集生产数据",
        "Production is run by systems: MES on every line; or, in process plants, DCS/SCADA on "
        "every unit with electronic batch records and automatic collection; or production "
        "control at level 3 with automatic collection",
        PLAN_2,
        AnyOf(
            (
                AtLeast("INT-02", 3),
                AllOf(
                    (
                        AtLeast("INT-03", 3),
                        AnyOf(
                            (Chosen("FND-05", frozenset({"production"}), 1), AtLeast(PRODUCTION, 3))
                        ),
                    )
                ),
                AllOf((AtLeast(PRODUCTION, 3), Chosen("FND-05", frozenset({"production"}), 1))),
            )
        ),
    ),
    gate_rule(
        "S2.DATA",
        Stage.S2,
        "设备联网率达到 40% 或设备运行数据实时采集，并且至少 3 个车间环节自动采集数据（全要素数据采集）",
        "At least 40% of machines networked or machine data collected in real time, and data "
        "collected automatically in at least 3 shop-floor links",
        PLAN_2,
        AllOf(
            (
                AnyOf((RateAtLeast("FND-04", "FND-02", 40.0), AtLeast(EQUIPMENT, 3))),
                AnyOf(
                    (
                        Chosen("FND-05", SHOP_FLOOR_LINKS, 3),
                        CountAtLeast(SHOP_FLOOR_SCENARIOS, 3, 3),
                    )
                ),
            )
        ),
    ),
    gate_rule(
        "S2.BI",
        Stage.S2,
        "系统整合关键业务数据支持决策（决策支持二级及以上），或业财一体支持经营分析",
        "Systems join key business data for decisions (decision support at level 2 or above), "
        "or finance integrated with operations supports business analysis",
        PLAN_2,
        AnyOf((AtLeast(DECISION, 2), AllOf((AtLeast(FINANCE, 3), AtLeast("INT-01", 3))))),
    ),
    gate_rule(
        "S3.E2E",
        Stage.S3,
        "研发、生产、服务数据贯通，并与主要客户和供应商系统自动交换数据（端到端、横向集成）",
        "Data continuous from design to service, and own systems exchanging data automatically "
        "with key customers and suppliers (end-to-end and horizontal integration)",
        PLAN_3,
        AllOf((AtLeast("INT-04", 3), AtLeast("INT-05", 3))),
    ),
    GateRule(PLATFORM_GATE, AtLeast("INT-07", 3)),
    gate_rule(
        "S3.DATAINNOV",
        Stage.S3,
        "数据平台模拟优化决策（决策支持三级及以上），或至少 2 个业务场景用模型或人工智能优化（四级）",
        "A data platform simulates and optimises decisions (decision support at level 3 or "
        "above), or models or AI optimise at least 2 scenarios (level 4)",
        PLAN_3,
        AnyOf((AtLeast(DECISION, 3), CountAtLeast(SCENARIO_ITEMS, 4, 2))),
    ),
    gate_rule(
        "S3.NEWMODEL",
        Stage.S3,
        "新模式（网络化协同、个性化定制、服务化延伸或共享制造）收入达到营业收入的 10%",
        "New models (networked collaboration, customisation, service extension or shared "
        "manufacturing) bring at least 10% of revenue",
        PLAN_3,
        AllOf((Chosen("INT-08", NEW_MODELS, 1), NumberAtLeast("INT-09", 10.0))),
    ),
)

GATE_V2_BY_CODE = {rule.gate.code: rule.gate for rule in GATES_V2}


def assign_stage_v2(facts: Facts) -> StageResult:
    """The highest stage whose version-2 gates, and all lower stages' gates, are met."""
    return assign_stage_with(GATES_V2, facts)


@dataclass(frozen=True)
class StageNarrative:
    """What the stage text may say about a firm, taken from its own answers so that the text
    never contradicts them (an S0 firm with systems in two links is told which two).

    Scenario codes by level reached: ``tools`` at L1 only, ``systems`` at L2 or above,
    ``integrated`` at L3 or above, ``model_driven`` at L4; ``text`` joins them into sentences
    naming the scenarios, in both languages.
    """

    stage: Stage
    tools: tuple[str, ...]
    systems: tuple[str, ...]
    integrated: tuple[str, ...]
    model_driven: tuple[str, ...]
    text: Localised


def stage_narrative(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses, stage: Stage
) -> StageNarrative:
    """The facts behind a version-2 stage, as scenario lists and one paragraph per language."""
    levels = scenario_levels(instrument, profile, responses)

    def named(at_least: int, below: int = 5) -> tuple[ScenarioLevel, ...]:
        return tuple(s for s in levels if at_least <= s.level < below)

    tools, systems, integrated, models = named(1, 2), named(2), named(3), named(4)

    def listing(zh: str, en: str, scenarios: tuple[ScenarioLevel, ...]) -> Localised:
        return Localised(
            f"{zh}：{'、'.join(s.name_zh for s in scenarios)}。",
            f"{en}: {', '.join(s.name_en for s in scenarios)}.",
        )

    sentences: list[Localised] = []
    if systems:
        sentences.append(
            listing("用信息系统规范管理的业务场景", "Managed in information systems", systems)
        )
    else:
        sentences.append(
            Localised(
                "还没有业务场景用信息系统规范管理。",
                "No business scenario is managed in an information system yet.",
            )
        )
    if tools:
        sentences.append(
            listing("用表格等工具辅助的场景", "Supported by spreadsheets or similar tools", tools)
        )
    if integrated:
        sentences.append(
            listing("已与其他系统数字化协同的场景", "Working with other systems", integrated)
        )
    elif systems:
        sentences.append(
            Localised(
                "各系统之间的数据仍靠人工传递，还没有场景与其他系统协同。",
                "Data still moves between the systems by hand; no scenario works with others.",
            )
        )
    if models:
        sentences.append(listing("用模型或人工智能优化的场景", "Optimised by models or AI", models))
    return StageNarrative(
        stage,
        tuple(s.code for s in tools),
        tuple(s.code for s in systems),
        tuple(s.code for s in integrated),
        tuple(s.code for s in models),
        Localised("".join(t.zh for t in sentences), " ".join(t.en for t in sentences)),
    )
