"""The transformation task list (转型任务清单): next steps from the unmet gates, in order.

The Dongguan plan 四 (三) 1 asks for "差异化的转型任务清单" tailored to each enterprise. Each
unmet gate of the next stage expands into one or more steps; a step is skipped when its
``done`` condition already holds (you need an MES before integrating it with ERP, so "deploy
MES" is listed first only when there is no MES). Steps are ordered by ``rank``, which encodes the
prerequisites: organisation before systems, systems before integration, data collection before
analytics, internal integration before supply-chain integration.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.conditions import AtLeast, Chosen, Condition, Facts, NumberAtLeast
from assessment.stages import AUTO_COLLECTED
from assessment.types import (
    AssessmentResult,
    EnterpriseProfile,
    Instrument,
    Responses,
    Task,
    TitledTask,
)


@dataclass(frozen=True)
class Step(TitledTask):
    """One task template; listed unless ``done`` holds."""

    code: str
    gate: str
    rank: int
    dimension: str
    title_zh: str
    title_en: str
    detail_zh: str
    detail_en: str
    done: Condition | None = None


STEPS: tuple[Step, ...] = (
    Step(
        "T-LEAD",
        "S1.LEAD",
        10,
        "ORG",
        "明确数字化转型负责人",
        "Name a digital-transformation lead",
        "由企业主要负责人牵头，指定一名负责人统筹数字化工作，并写出一页纸的年度目标。",
        "Have the top manager own the programme, name one person to run it, and write one page "
        "of goals for the year.",
    ),
    Step(
        "T-SYS",
        "S1.SYSTEMS",
        20,
        "MGT",
        "在关键业务环节上线信息系统",
        "Put information systems into the key business links",
        "优先在财务、进销存和销售环节使用 ERP 或进销存软件（可选云上 SaaS，适用上云服务券），"
        "替代纸质单据和表格。",
        "Start with finance, stock and sales: use ERP or stock-control software (cloud SaaS "
        "qualifies for cloud vouchers) instead of paper and spreadsheets.",
    ),
    Step(
        "T-OFFICE",
        "S1.OFFICE",
        30,
        "MGT",
        "用上在线办公和线上营销",
        "Use online office work and online sales",
        "用钉钉、企业微信等实现在线审批和远程协作，并开通线上接单或营销渠道。",
        "Move approvals and collaboration online with DingTalk or WeCom, and open an online "
        "channel for orders or marketing.",
    ),
    Step(
        "T-DATA-NET",
        "S2.DATA",
        40,
        "DAT",
        "关键设备联网",
        "Network the key machines",
        "为关键设备加装数据采集网关或更换带通信接口的控制器，使联网率达到 40% 以上。",
        "Fit data gateways or controllers with a data interface to the key machines until at "
        "least 40% are networked.",
        NumberAtLeast("DAT-02", 40.0),
    ),
    Step(
        "T-DATA-AUTO",
        "S2.DATA",
        41,
        "DAT",
        "自动采集产量、设备状态和质量数据",
        "Collect output, machine and quality data automatically",
        "让产量、设备状态、质量检测等至少 3 类数据自动进入系统，不再人工抄录。",
        "Make at least three kinds of data - output, machine states, quality tests - flow into "
        "the systems without copying by hand.",
        Chosen("DAT-03", AUTO_COLLECTED, 3),
    ),
    Step(
        "T-MES",
        "S2.PROD",
        50,
        "PRO",
        "在主要产线部署 MES",
        "Deploy an MES on the main lines",
        "先在一条主力产线上线制造执行系统（MES），实现扫码派工和报工，再推广到全部产线。",
        "Start an MES on one main line with barcode dispatching and reporting, then roll it out "
        "to every line.",
        AtLeast("PRO-02", 2),
    ),
    Step(
        "T-AUTO",
        "S2.PROD",
        51,
        "PRO",
        "主要工序自动化改造",
        "Automate the main operations",
        "对主要工序进行数控化、自动化改造，可申请技术改造扶持。",
        "Convert the main operations to CNC or automated equipment; technical-upgrade subsidies "
        "apply.",
        AtLeast("PRO-03", 2),
    ),
    Step(
        "T-MES-ERP",
        "S2.PROD",
        52,
        "PRO",
        "MES 覆盖全部产线并与 ERP、设备集成",
        "Extend MES to all lines and integrate it with ERP and machines",
        "让 ERP 生产订单自动下达 MES、完工数据自动回传，设备数据直接进入 MES。",
        "Let ERP production orders reach MES and completions flow back automatically, with "
        "machine data going straight into MES.",
        AtLeast("PRO-02", 3),
    ),
    Step(
        "T-INTEG",
        "S2.INTEG",
        60,
        "INT",
        "打通主要管理系统的数据",
        "Connect the data of the main management systems",
        "统一物料、客户、供应商编码，通过接口让 ERP、CRM、SCM、财务之间自动共享数据。",
        "Unify material, customer and supplier codes and let ERP, CRM, SCM and finance share "
        "data automatically through interfaces.",
    ),
    Step(
        "T-BI",
        "S2.BI",
        70,
        "DAT",
        "建设数据平台支持经营决策",
        "Build a data platform for decisions",
        "把各系统数据汇集到数据平台或 BI 看板，建立管理层按数据决策的例会机制。",
        "Bring the systems' data into a data platform or BI dashboards and hold management "
        "meetings that decide from it.",
    ),
    Step(
        "T-E2E",
        "S3.E2E",
        80,
        "INT",
        "与上下游系统对接",
        "Connect with suppliers' and customers' systems",
        "与主要供应商、客户的系统对接订单、库存和交期数据，并贯通设计、生产、服务数据。",
        "Exchange orders, stock and delivery data with key suppliers' and customers' systems, "
        "and connect design, production and service data.",
    ),
    Step(
        "T-PLATFORM",
        "S3.PLATFORM",
        90,
        "INN",
        "深度应用工业互联网平台",
        "Use an industrial internet platform in depth",
        "在工业互联网平台上开展设备上云、协同制造等多项应用，或开发自己的工业 APP。",
        "Run several applications on an industrial internet platform - machines in the cloud, "
        "collaborative manufacturing - or develop your own industrial apps.",
    ),
    Step(
        "T-AI",
        "S3.DATAINNOV",
        100,
        "INN",
        "用数据模型和 AI 优化生产",
        "Optimise production with data models and AI",
        "从预测性维护、智能排产或 AI 质检中选一个场景试点，验证效果后推广。",
        "Pilot one use case - predictive maintenance, smart scheduling or AI inspection - and "
        "roll it out once it pays.",
    ),
    Step(
        "T-MODEL",
        "S3.NEWMODEL",
        110,
        "INN",
        "培育一种新模式",
        "Grow one new business model",
        "结合行业特点开展个性化定制、柔性生产或服务化延伸（如远程运维）。",
        "Start customisation, flexible production or service extension (e.g. remote "
        "maintenance) suited to the industry.",
    ),
)

_BY_GATE: dict[str, list[Step]] = {}
for _step in STEPS:
    _BY_GATE.setdefault(_step.gate, []).append(_step)

#: Index gates are met by raising the weakest dimensions.
_INDEX_GATES = {"S1.INDEX", "S2.INDEX", "S3.INDEX"}


def task_list(
    instrument: Instrument,
    profile: EnterpriseProfile,
    responses: Responses,
    result: AssessmentResult,
    *,
    weakest: int = 2,
) -> list[Task]:
    """Ordered tasks that close the unmet gates of the next stage.

    For an index gate, or at S3 where no gate is left, the ``weakest`` lowest-scoring dimensions
    below 100 each get a task to raise them (ties broken by dimension code).

    Parameters
    ----------
    instrument, profile, responses
        What ``result`` was scored from; ``responses`` decide which steps are already done.
    result : AssessmentResult
        Output of ``scoring.score``; its ``unmet_next`` gates drive the list.
    weakest : int
        How many low dimensions get a "raise this dimension" task.

    Returns
    -------
    list of Task
        In prerequisite order (``STEPS`` rank, then the dimension tasks), ``order`` 1..n; each
        task names the gate it closes (``None`` for dimension tasks at S3). Empty for an S3
        enterprise scoring 100 everywhere.
    """
    facts = Facts(
        instrument,
        profile,
        responses,
        result.scorecard.maturity_index,
        result.scorecard.dimension_scores,
    )
    unmet = [g.code for g in result.stage.unmet_next]
    steps = [
        s
        for code in unmet
        for s in _BY_GATE.get(code, ())
        if s.done is None or not s.done.holds(facts)
    ]
    steps.sort(key=lambda s: s.rank)
    tasks = [
        Task(s.code, s.title_zh, s.title_en, s.detail_zh, s.detail_en, s.dimension, s.gate, 0)
        for s in steps
    ]
    if not unmet or any(code in _INDEX_GATES for code in unmet):
        scores = result.scorecard.dimension_scores
        # A dimension already at 100 has nothing left to raise, even if it ties for weakest.
        below_top = [c for c in scores if scores[c] < 100.0]
        for code in sorted(below_top, key=lambda c: (scores[c], c))[:weakest]:
            dim = instrument.dimension(code)
            gate = next((c for c in unmet if c in _INDEX_GATES), None)
            tasks.append(
                Task(
                    f"T-DIM-{code}",
                    f"提升“{dim.name_zh}”",
                    f"Raise '{dim.name_en}'",
                    f"该维度得分 {scores[code]:.0f}，是您最薄弱的方面之一：{dim.description_zh}",
                    f"This dimension scores {scores[code]:.0f}, one of your weakest: "
                    f"{dim.description_en}",
                    code,
                    gate,
                    0,
                )
            )
    return [
        Task(t.code, t.title_zh, t.title_en, t.detail_zh, t.detail_en, t.dimension, t.gate, n)
        for n, t in enumerate(tasks, start=1)
    ]
