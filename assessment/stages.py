"""Stage gates S1-S3 in one table, and the rule that assigns a stage.

The rule (following MIIT 中小企业数字化水平评测指标 2024's "score plus scenario" levels and the
cumulative levels of GB/T 39116/39117): an enterprise is at the highest stage k for which every
gate of stages 1..k is met; an enterprise failing any S1 gate is at S0 (起步建设). Each stage has
capability gates taken from the Dongguan plan 2022-2025, 四 (一) 1-3, and an index gate.

Index thresholds: 20 / 45 / 70. MIIT 2024 places its levels at 20/40/60/80 on a 100-point score
of basics, management and results; our index also weighs production, integration and new models,
which SMEs reach later, so the upper thresholds sit 5-10 points above MIIT's second and third
levels. They are a calibration choice to revisit against staff-validated stages.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.conditions import (
    AllOf,
    AnyOf,
    AtLeast,
    Chosen,
    Condition,
    CountAtLeast,
    Facts,
    IndexAtLeast,
    NumberAtLeast,
)
from assessment.types import Gate, Stage, StageResult

#: Items that rate one business link on the MIIT L0-L4 pattern (L2 = managed by a system).
BUSINESS_LINKS = (
    "MGT-01",
    "MGT-02",
    "MGT-03",
    "MGT-04",
    "MGT-05",
    "MGT-06",
    "MGT-07",
    "RND-01",
    "RND-02",
    "RND-03",
    "PRO-01",
    "PRO-02",
    "PRO-04",
    "PRO-05",
    "PRO-06",
    "PRO-07",
)
NEW_MODELS = frozenset({"networked", "custom", "service", "shared", "flexible"})
AUTO_COLLECTED = frozenset({"output", "machine", "quality", "energy", "material"})

PLAN_1 = "东莞市数字经济发展规划(2022-2025) 四(一)1 单项覆盖型企业数字化"
PLAN_2 = "东莞市数字经济发展规划(2022-2025) 四(一)2 集成提升型企业数字化"
PLAN_3 = "东莞市数字经济发展规划(2022-2025) 四(一)3 创新突破型企业数字化"
MIIT = "工信部 中小企业数字化水平评测指标(2024) 等级判定：总分阈值+场景条件"


@dataclass(frozen=True)
class GateRule:
    """A gate and the condition that meets it."""

    gate: Gate
    condition: Condition


def gate_rule(code: str, stage: Stage, zh: str, en: str, source: str, cond: Condition) -> GateRule:
    """A :class:`GateRule` from its parts (the tables read better this way)."""
    return GateRule(Gate(code, stage, zh, en, source), cond)


#: S3's platform gate: both instrument versions ask it, each of its own item.
PLATFORM_GATE = Gate(
    "S3.PLATFORM",
    Stage.S3,
    "深度使用工业互联网平台或自主开发工业 APP，或自建平台",
    "Deep use of an industrial internet platform, own industrial apps, or an own platform",
    PLAN_3,
)

GATES: tuple[GateRule, ...] = (
    gate_rule(
        "S1.SYSTEMS",
        Stage.S1,
        "至少 3 个业务环节（如财务、进销存、销售、生产计划）用信息系统管理，而不只是纸质或表格",
        "At least 3 business links (e.g. finance, stock, sales, production planning) are managed "
        "in an information system, not only on paper or in spreadsheets",
        PLAN_1,
        CountAtLeast(BUSINESS_LINKS, 2, 3),
    ),
    gate_rule(
        "S1.LEAD",
        Stage.S1,
        "指定了数字化转型负责人（“一把手”负责制）",
        "A named digital-transformation lead, with top-management ownership",
        PLAN_1,
        AtLeast("ORG-01", 2),
    ),
    gate_rule(
        "S1.OFFICE",
        Stage.S1,
        "在线办公审批、线上销售接单或远程协作至少用上一项",
        "Online office approvals, online order-taking or remote collaboration in use",
        PLAN_1,
        AnyOf((AtLeast("MGT-03", 2), AtLeast("MGT-06", 2), AtLeast("INT-05", 2))),
    ),
    gate_rule(
        "S1.INDEX",
        Stage.S1,
        "成熟度指数达到 20",
        "Maturity index of at least 20",
        MIIT,
        IndexAtLeast(20.0),
    ),
    gate_rule(
        "S2.INTEG",
        Stage.S2,
        "主要管理系统（ERP、CRM、SCM、财务等）之间数据自动共享、统一编码，各部门不再重复录入",
        "The main management systems (ERP, CRM, SCM, finance…) share data automatically with "
        "common codes; departments no longer re-type data",
        PLAN_2,
        AtLeast("INT-01", 3),
    ),
    gate_rule(
        "S2.PROD",
        Stage.S2,
        "MES 覆盖全部产线并与 ERP、设备自动交换数据，主要工序使用自动化设备",
        "MES covers all production lines and exchanges data with ERP and machines "
        "automatically; the main operations are automated",
        PLAN_2,
        AllOf((AtLeast("PRO-02", 3), AtLeast("PRO-03", 2))),
    ),
    gate_rule(
        "S2.DATA",
        Stage.S2,
        "关键设备联网率达到 40%，且至少 3 类生产数据自动采集（全要素数据采集）",
        "At least 40% of key equipment networked, and at least 3 kinds of production data "
        "collected automatically",
        PLAN_2,
        AllOf((NumberAtLeast("DAT-02", 40.0), Chosen("DAT-03", AUTO_COLLECTED, 3))),
    ),
    gate_rule(
        "S2.BI",
        Stage.S2,
        "用数据平台汇集多部门数据，支持跨部门经营决策",
        "A data platform joins data of several departments and supports decisions across them",
        PLAN_2,
        AtLeast("DAT-05", 3),
    ),
    gate_rule(
        "S2.INDEX",
        Stage.S2,
        "成熟度指数达到 45",
        "Maturity index of at least 45",
        MIIT,
        IndexAtLeast(45.0),
    ),
    gate_rule(
        "S3.E2E",
        Stage.S3,
        "研发、生产、服务数据全生命周期贯通，并与主要供应商和客户系统对接（端到端、横向集成）",
        "Data continuous from design to service, and systems connected with key suppliers and "
        "customers (end-to-end and horizontal integration)",
        PLAN_3,
        AllOf((AtLeast("INT-03", 3), AtLeast("INT-04", 3), AtLeast("INT-05", 3))),
    ),
    GateRule(PLATFORM_GATE, AtLeast("INN-01", 3)),
    gate_rule(
        "S3.DATAINNOV",
        Stage.S3,
        "用数据模型或人工智能优化生产经营（如预测性维护、智能排产、数字孪生）",
        "Data models or AI optimise operations (e.g. predictive maintenance, smart scheduling, "
        "digital twins)",
        PLAN_3,
        AnyOf((AtLeast("DAT-05", 4), AtLeast("INN-02", 3))),
    ),
    gate_rule(
        "S3.NEWMODEL",
        Stage.S3,
        "至少开展一种新模式：网络化协同、个性化定制、服务化延伸、共享制造或柔性生产",
        "At least one new model in operation: networked collaboration, customisation, service "
        "extension, shared manufacturing or flexible production",
        PLAN_3,
        Chosen("INN-03", NEW_MODELS, 1),
    ),
    gate_rule(
        "S3.INDEX",
        Stage.S3,
        "成熟度指数达到 70",
        "Maturity index of at least 70",
        MIIT,
        IndexAtLeast(70.0),
    ),
)


def gates_of(stage: Stage, gates: tuple[GateRule, ...] = GATES) -> tuple[GateRule, ...]:
    """The rules of ``stage`` in ``gates`` (by default version 1's table), in table order."""
    return tuple(rule for rule in gates if rule.gate.stage == stage)


def assign_stage(facts: Facts) -> StageResult:
    """The highest stage whose gates, and all lower stages' gates, are met (version-1 table).

    Returns the gate codes met (all stages) and the unmet gates of the next stage, in table
    order; ``unmet_next`` is empty at S3.
    """
    return assign_stage_with(GATES, facts)


def assign_stage_with(gates: tuple[GateRule, ...], facts: Facts) -> StageResult:
    """:func:`assign_stage` over any gate table (each scoring version has its own)."""
    met = tuple(rule.gate.code for rule in gates if rule.condition.holds(facts))
    reached = Stage.S0
    for stage in (Stage.S1, Stage.S2, Stage.S3):
        if all(rule.gate.code in met for rule in gates_of(stage, gates)):
            reached = stage
        else:
            break
    following = reached.next
    unmet = (
        tuple(rule.gate for rule in gates_of(following, gates) if rule.gate.code not in met)
        if following is not None
        else ()
    )
    return StageResult(reached, met, unmet)
