"""The roadmap: sequenced, sized and costed steps built from a dmi-v2 assessment (issue 19).

Input: the instrument, profile and visible answers, the scoring-version-2 result (stage and
MIIT level), the firm's figures (revenue, optionally its yearly digital spend), the catalogue
and the support programmes. Output: :class:`Roadmap`, pure values in both languages.

Order of the steps (each capability appears once, in the first phase that calls for it, with
every reason that calls for it):

1. **consolidate the current stage**: scenarios of the S1 links (finance, purchasing, warehouse,
   planning, production, quality) still on paper or spreadsheets (MIIT L0/L1), and information
   security when a network- or data-security measure is missing;
2. **the gap to the next MIIT level** (``MiitResult.next[0]``: 二级 first for pilot firms): the
   first ``scenarios_missing`` candidate scenarios raised to the rule's scenario level;
3. **the next Dongguan stage's unmet gates** (``stages_v2``);
4. **the pain points** the firm ticked (PRF-02);
5. **the industry module** of its cluster (CLU items below L2).

A capability's prerequisites that the firm lacks are inserted before it (reason: "needed
first"). Horizons: 0-3 months quick wins, 3-12 months projects, 12-24 months integration and
platforms; a step is never in an earlier horizon than its prerequisites, and steps are listed
by horizon, then in the order above, so no step comes before a prerequisite.

Rules: never a step for a capability the firm already has (:func:`has_capability`); never a
product whose capabilities include one the firm has; products match by capability and
scenario, not gate tag; the security step's products come from 工控安全 providers.

Sizing (the product's own rule, an assumption to be calibrated on pilot projects): each
capability has a price band for a reference firm of 5,000 万元 revenue; it is scaled by
sqrt(revenue / 5000), kept within the size class's range (:data:`SIZE_FACTORS`). A
subscription's band is per year and counts for the months from the horizon's start to month
24. The firm's yearly digital spend is the explicit figure when given, else MGM-05 (share of
revenue over three years) x revenue, else :data:`ASSUMED_SPEND_SHARE` of revenue; the roadmap
is flagged when its 24-month total exceeds :data:`FLAG_MULTIPLE` times that yearly spend.
A product matched to several steps (one cloud ERP for finance, purchasing and warehouse) is
costed once: the first step whose lead product it is carries the cost, a later step that
matches it leads with it too, says "与第 N 步同一产品" and adds nothing to the totals, the
cost sharing or the programmes' caps.
Payback: the step's cost over a yearly benefit stated per capability as a share of revenue.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assessment.catalogue import PRICE_BANDS, Catalogue, ProviderType, Solution
from assessment.localised import LabelledIntEnum, Localised, Named
from assessment.miit import PILOT_TARGET
from assessment.programmes import (
    CostShare,
    FirmStanding,
    PathPosition,
    Programme,
    eligible,
    pays_for,
    pilot_position,
    share_cost,
)
from assessment.types import (
    MIIT_LEVEL_LABELS,
    AssessmentResult,
    EnterpriseProfile,
    Instrument,
    Responses,
    SizeClass,
)


class Horizon(LabelledIntEnum):
    """When a step starts: 1 = months 0-3, 2 = months 3-12, 3 = months 12-24."""

    QUICK = 1, "0-3 个月：见效快的轻量应用", "0-3 months: quick wins"
    PROJECT = 2, "3-12 个月：改造项目", "3-12 months: projects"
    PLATFORM = 3, "12-24 个月：集成与平台", "12-24 months: integration and platforms"

    @property
    def start_month(self) -> int:
        """The month (0-based) the horizon starts."""
        return {1: 0, 2: 3, 3: 12}[int(self)]


class Phase(LabelledIntEnum):
    """Why a step is on the roadmap, in the order the issue sets."""

    CONSOLIDATE = 1, "巩固当前阶段", "Consolidate the current stage"
    MIIT_GAP = 2, "补齐工信部等级差距", "Close the gap to the next MIIT level"
    STAGE_GATE = 3, "迈向东莞下一阶段", "Meet the next Dongguan stage's gates"
    PAIN_POINT = 4, "解决痛点", "Relieve the pain points"
    INDUSTRY = 5, "行业专项", "Industry-specific"
    PREREQUISITE = 6, "前置条件", "Prerequisite"


@dataclass(frozen=True)
class Capability(Named):
    """A capability a step builds.

    ``held_if``: the firm has it when ANY (item, level) holds (the answer "L<n>" with n >= level);
    "na" (does not apply) counts as held (no step for a scenario the firm does not run).
    ``applies_if``: the capability is considered only when this item is answered at this level
    or above (e.g. omnichannel stock only for firms that sell retail). ``cost_wan`` (low, high)
    for the reference firm, per year when ``price_model`` is "subscription". ``kpi`` (PRF item,
    relative change, e.g. -0.15 = 15% lower). ``benefit_share`` (low, high) yearly benefit as a
    share of revenue, stated in ``assumption_zh``/``assumption_en``.
    """

    code: str
    name_zh: str
    name_en: str
    held_if: tuple[tuple[str, int], ...]
    horizon: Horizon
    cost_wan: tuple[float, float]
    price_model: str
    benefit_share: tuple[float, float]
    assumption_zh: str
    assumption_en: str
    prerequisites: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()
    kpi: tuple[str, float] | None = None
    applies_if: tuple[str, int] | None = None
    provider_type: ProviderType | None = None


#: The packaged capability table (:func:`load_capabilities` reads it).
CAPABILITIES_FILE = Path(__file__).resolve().parent / "roadmap_capabilities.toml"
_SUB, _ONE = "subscription", "one_off"  # the price models of a capability
_HORIZONS = {"quick": Horizon.QUICK, "project": Horizon.PROJECT, "platform": Horizon.PLATFORM}


def _pair(value: Sequence[object] | None) -> tuple[str, Any] | None:
    return None if value is None else (str(value[0]), value[1])


def load_capabilities(path: Path = CAPABILITIES_FILE) -> dict[str, Capability]:
    """The capabilities of a TOML table (default: the packaged ``roadmap_capabilities.toml``).

    Returns ``{code: Capability}`` in the file's order (the listing order within a phase). Each
    ``[[capability]]`` names one of the file's ``[benefits.<name>]`` tables (share of revenue
    ``[low, high]`` and the assumption in both languages) and a horizon ``quick``/``project``/
    ``platform``. The bands are the product's own assumptions (module docstring).

    Raises ``KeyError`` for an unknown benefit or horizon name and ``ValueError`` for a
    provider type the catalogue does not know; ``tomllib.TOMLDecodeError`` for a malformed file.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    benefits = data["benefits"]
    capabilities = {}
    for row in data["capability"]:
        benefit = benefits[row["benefit"]]
        provider = row.get("provider_type")
        capabilities[row["code"]] = Capability(
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            held_if=tuple((item, level) for item, level in row["held_if"]),
            horizon=_HORIZONS[row["horizon"]],
            cost_wan=(row["cost_wan"][0], row["cost_wan"][1]),
            price_model=row["price_model"],
            benefit_share=(benefit["share"][0], benefit["share"][1]),
            assumption_zh=benefit["assumption_zh"],
            assumption_en=benefit["assumption_en"],
            prerequisites=tuple(row.get("prerequisites", ())),
            scenarios=tuple(row.get("scenarios", ())),
            kpi=_pair(row.get("kpi")),
            applies_if=_pair(row.get("applies_if")),
            provider_type=None if provider is None else ProviderType(provider),
        )
    return capabilities


#: The capabilities the roadmap knows, by code (order = listing order within a phase).
CAPABILITIES: Mapping[str, Capability] = load_capabilities()
#: Capabilities a catalogue product may name that no roadmap step builds (line automation of a
#: robot cell, AI visual inspection), with their names: known codes for the catalogue's checks
#: and listings, never matched.
UNPLANNED_CAPABILITIES: Mapping[str, Localised] = {
    "automation": Localised("产线自动化", "Line automation"),
    "ai_quality": Localised("AI 视觉质检", "AI visual inspection"),
}


def capability_name(code: str) -> Localised | None:
    """The name of a capability a catalogue product may name (``CAPABILITIES`` or
    ``UNPLANNED_CAPABILITIES``), or None for an unknown code."""
    if code in CAPABILITIES:
        return CAPABILITIES[code].name
    return UNPLANNED_CAPABILITIES.get(code)


#: Scenario item of each MIIT scenario, and the capability that raises it to L2 and to L3.
SCENARIO_ITEM = {
    "product_design": "OPS-01",
    "process_design": "OPS-02",
    "marketing": "OPS-03",
    "service": "OPS-04",
    "planning": "OPS-05",
    "production": "OPS-06",
    "quality": "OPS-07",
    "equipment": "OPS-08",
    "safety": "OPS-09",
    "energy": "OPS-10",
    "purchasing": "OPS-11",
    "warehouse": "OPS-12",
    "finance": "OPS-13",
    "hr": "OPS-14",
    "office": "OPS-15",
    "decision": "OPS-16",
}
SCENARIO_L2 = {
    "product_design": "design",
    "process_design": "process_design",
    "marketing": "sales",
    "service": "service",
    "planning": "planning",
    "production": "production",
    "quality": "quality",
    "equipment": "equipment",
    "safety": "safety",
    "energy": "energy",
    "purchasing": "purchasing",
    "warehouse": "warehouse",
    "finance": "finance",
    "hr": "hr",
    "office": "office",
    "decision": "decision",
}
#: At L3 MIIT asks for integration (office scenarios) or automatic collection (shop floor).
SCENARIO_L3 = {
    "marketing": "integration",
    "planning": "integration",
    "purchasing": "integration",
    "warehouse": "integration",
    "finance": "integration",
    "office": "integration",
    "production": "shopfloor_data",
    "quality": "shopfloor_data",
    "equipment": "shopfloor_data",
    "energy": "shopfloor_data",
    "decision": "integration",
}
#: The S1 links: consolidated first when still on paper or spreadsheets.
CONSOLIDATE_SCENARIOS = ("finance", "purchasing", "warehouse", "planning", "production", "quality")
#: Unmet stage gate -> capabilities that meet it (stages_v2.GATES_V2 conditions).
GATE_CAPABILITIES: Mapping[str, tuple[str, ...]] = {
    "S1.SYSTEMS": ("finance", "purchasing", "warehouse"),
    "S2.INTEG": ("integration",),
    "S2.PROD": ("production", "shopfloor_data"),
    "S2.DATA": ("equipment", "shopfloor_data"),
    "S2.BI": ("decision",),
    "S3.E2E": ("supply_chain",),
    "S3.PLATFORM": ("platform",),
    "S3.DATAINNOV": ("decision",),
}
#: Pain point (PRF-02 option) -> capabilities that relieve it, most direct first.
PAIN_CAPABILITIES: Mapping[str, tuple[str, ...]] = {
    "delivery": ("planning", "production"),
    "labour": ("production", "tex_piece"),
    "quality": ("quality", "ele_trace", "fod_recipe"),
    "inventory": ("warehouse", "purchasing", "tex_omni"),
    "energy": ("energy",),
    "audit": ("supply_chain", "fod_trace", "ele_trace"),
    "cost": ("finance", "decision"),
}
CLUSTER_CAPABILITIES: Mapping[str, tuple[str, ...]] = {
    "textiles": ("tex_cad", "tex_piece", "tex_omni", "tex_quick"),
    "electronics": ("ele_trace", "ele_test"),
    "equipment": ("eqp_design", "eqp_project", "eqp_remote"),
    "food": ("fod_ccp", "fod_recipe", "fod_trace"),
    "furniture": ("fur_dealer", "fur_cnc", "fur_trace"),
}
#: Revenue scaling clamp by size class (reference: 5,000 万元 revenue = 1.0).
SIZE_FACTORS: Mapping[SizeClass, tuple[float, float]] = {
    SizeClass.MICRO: (0.3, 0.6),
    SizeClass.SMALL: (0.5, 1.2),
    SizeClass.MEDIUM: (1.0, 2.5),
    SizeClass.LARGE: (2.0, 5.0),
}
REFERENCE_REVENUE_WAN = 5000.0
#: Yearly digital spend assumed when the firm gives none (share of revenue).
ASSUMED_SPEND_SHARE = 0.003
#: A roadmap costing more than this many times the yearly digital spend is flagged.
FLAG_MULTIPLE = 3.0
#: The roadmap's span in months.
SPAN_MONTHS = 24
MAX_PRODUCTS = 3


def _level(responses: Responses, code: str) -> int | None:
    """The level n of an "L<n>" answer; -1 for "na"; None when unanswered."""
    answer = responses.get(code)
    if answer == "na":
        return -1
    if isinstance(answer, str) and len(answer) == 2 and answer[0] == "L" and answer[1].isdigit():
        return int(answer[1])
    return None


def _measures(responses: Responses, code: str) -> tuple[str, ...]:
    """The measures ticked in a multiple-choice answer, without "none"."""
    answer = responses.get(code)
    return tuple(a for a in answer if a != "none") if isinstance(answer, tuple) else ()


def security_missing(responses: Responses) -> bool:
    """True when the network-security (FND-07) or data-security (FND-08) answer lists no
    measure ("none" or unanswered)."""
    return not _measures(responses, "FND-07") or not _measures(responses, "FND-08")


def applies(cap: Capability, responses: Responses) -> bool:
    """Is ``cap`` relevant to this firm: one of its items is answered (cluster modules and
    production-type items are asked only where they apply) and ``applies_if`` holds?"""
    if cap.code == "security":
        return True
    if not any(_level(responses, code) is not None for code, _ in cap.held_if):
        return False
    if cap.applies_if is not None:
        reached = _level(responses, cap.applies_if[0])
        return reached is not None and reached >= cap.applies_if[1]
    return True


def has_capability(cap: Capability, responses: Responses) -> bool:
    """Does the firm already have ``cap`` (see :class:`Capability`; security: both FND-07 and
    FND-08 list a measure)? "na" counts as had: the firm does not run that scenario."""
    if cap.code == "security":
        return not security_missing(responses)
    for code, needed in cap.held_if:
        reached = _level(responses, code)
        if reached is not None and (reached == -1 or reached >= needed):
            return True
    return False


@dataclass(frozen=True)
class FirmFigures:
    """The firm's figures: revenue in 万元 (> 0), employees, and its yearly digital spend in
    万元 when it stated one (else derived, see the module docstring)."""

    revenue_wan: float
    employees: int
    digital_spend_wan: float | None = None


@dataclass(frozen=True)
class KpiMove:
    """The KPI a step moves: the PRF item, its name and unit, the relative change, and the
    firm's baseline -> target when it gave a baseline (else both None)."""

    item: str
    name: Localised
    unit: Localised
    change: float
    baseline: float | None
    target: float | None


@dataclass(frozen=True)
class MatchedProduct:
    """A catalogue solution matched to a step, with its provider and the provider's roles."""

    code: str
    name: Localised
    provider_code: str
    provider: Localised
    provider_roles: tuple[Localised, ...]
    price_band: str
    price_model: str
    delivery_weeks: int
    is_demo: bool


@dataclass(frozen=True)
class RoadmapStep:
    """One step. Money in 万元: ``budget_wan`` (low, high) per year for subscriptions, else
    once; ``total_wan`` the midpoint over the months left in the 24-month span; ``payback_months``
    (low, high) under ``payback_assumption``; ``cost_share`` splits ``total_wan``.

    ``covered_by`` is the capability of the earlier step whose lead product (``products[0]``)
    this step shares, with ``covered_text`` saying so ("与第 2 步同一产品…"); such a step costs
    0 (``total_wan`` and ``cost_share`` are zero) because the product is costed once, on the
    first step that uses it. None on a step that carries its own cost."""

    capability: str
    name: Localised
    horizon: Horizon
    phase: Phase
    why: tuple[Localised, ...]
    prerequisites: tuple[str, ...]
    kpi: KpiMove | None
    budget_wan: tuple[float, float]
    price_model: str
    total_wan: float
    payback_months: tuple[float, float]
    payback_assumption: Localised
    products: tuple[MatchedProduct, ...]
    cost_share: CostShare
    covered_by: str | None = None
    covered_text: Localised | None = None


@dataclass(frozen=True)
class Roadmap:
    """The steps in order, the 24-month total in 万元 against the yearly digital spend
    (``spend_estimated`` when derived from MGM-05 or assumed), ``multiple`` = total / spend,
    ``flagged`` when above :data:`FLAG_MULTIPLE`, the eligible programmes and the firm's
    position on the pilot path (None when not a pilot-industry firm)."""

    steps: tuple[RoadmapStep, ...]
    total_wan: float
    digital_spend_wan: float
    spend_source: Localised
    multiple: float
    flagged: bool
    flag_text: Localised | None
    programmes: tuple[Programme, ...]
    pilot: PathPosition | None
    firm_pays_wan: float
    subsidy_wan: float
    provider_discount_wan: float

    def by_horizon(self, horizon: Horizon) -> tuple[RoadmapStep, ...]:
        """The steps of one horizon, in order."""
        return tuple(s for s in self.steps if s.horizon == horizon)


def size_factor(revenue_wan: float, size: SizeClass) -> float:
    """sqrt(revenue / 5000 万元) clamped to the size class's range (:data:`SIZE_FACTORS`)."""
    low, high = SIZE_FACTORS[size]
    return min(max(math.sqrt(max(revenue_wan, 0.0) / REFERENCE_REVENUE_WAN), low), high)


def digital_spend(firm: FirmFigures, responses: Responses) -> tuple[float, Localised]:
    """The firm's yearly digital spend in 万元 and where it comes from: the stated figure, else
    MGM-05 (% of revenue, three-year average) x revenue, else :data:`ASSUMED_SPEND_SHARE`."""
    if firm.digital_spend_wan is not None and firm.digital_spend_wan > 0:
        return firm.digital_spend_wan, Localised("企业填报", "as stated by the firm")
    share = responses.get("MGM-05")
    if isinstance(share, int | float) and share > 0:
        spend = round(firm.revenue_wan * float(share) / 100.0, 2)
        return spend, Localised(
            f"按近三年数字化投入占营业收入 {float(share):g}% 估算",
            f"estimated from digital investment of {float(share):g}% of revenue (three years)",
        )
    spend = round(firm.revenue_wan * ASSUMED_SPEND_SHARE, 2)
    return spend, Localised(
        f"未填报，按营业收入的 {ASSUMED_SPEND_SHARE:.1%} 假设",
        f"not given; assumed at {ASSUMED_SPEND_SHARE:.1%} of revenue",
    )


def kpi_target(baseline: float, change: float, maximum: float | None) -> float:
    """The KPI a step aims at from the firm's ``baseline`` (> 0) and the capability's relative
    ``change`` (+0.05 = 5% more, -0.1 = 10% less), three significant digits (the precision
    a firm states its figures with).

    On a bounded figure (``maximum``, e.g. 100 for a percentage) a rise closes at most half of
    the remaining gap: 97% on-time delivery with +8% aims at 98.5%, not at a capped 100%
    (no project makes a figure perfect); a baseline so close to the bound that the rounded
    target would reach it stays the target. An unbounded figure moves by ``change`` in full.
    """
    target = baseline * (1 + change)
    if maximum is not None and change > 0:
        target = min(target, baseline + (maximum - baseline) / 2)
    rounded = float(f"{target:.3g}")
    return baseline if maximum is not None and rounded >= maximum else rounded


def _kpi(cap: Capability, instrument: Instrument, responses: Responses) -> KpiMove | None:
    if cap.kpi is None:
        return None
    code, change = cap.kpi
    item = instrument.item(code)
    baseline = responses.get(code)
    target: float | None = None
    base: float | None = None
    if isinstance(baseline, int | float) and baseline > 0:
        base = float(baseline)
        target = kpi_target(base, change, item.maximum)
    return KpiMove(
        code,
        Localised(item.text_zh, item.text_en),
        Localised(item.unit_zh, item.unit_en),
        change,
        base,
        target,
    )


class _Builder:
    """Collects steps in phase order with their reasons (see the module docstring)."""

    def __init__(self, responses: Responses) -> None:
        self.responses = responses
        self.order: list[str] = []
        self.phase: dict[str, Phase] = {}
        self.why: dict[str, list[Localised]] = {}

    def add(self, code: str, phase: Phase, why: Localised, stack: tuple[str, ...] = ()) -> None:
        cap = CAPABILITIES[code]
        if not applies(cap, self.responses) or has_capability(cap, self.responses):
            return
        if code in self.phase:
            if why not in self.why[code]:
                self.why[code].append(why)
            return
        for pre in cap.prerequisites:
            if pre not in stack:
                self.add(
                    pre,
                    Phase.PREREQUISITE,
                    Localised(
                        f"“{cap.name_zh}”的前置条件：需先具备此能力",
                        f"Needed first for '{cap.name_en}'",
                    ),
                    (*stack, code),
                )
        self.order.append(code)
        self.phase[code] = phase
        self.why[code] = [why]


def _situation(instrument: Instrument, responses: Responses, item_code: str) -> Localised:
    """The firm's own answer to an item, as "<item name>: <chosen option>"."""
    item = instrument.item(item_code)
    answer = responses.get(item_code)
    option = item.option(answer) if isinstance(answer, str) else None
    if option is None:
        return Localised(f"{item.text_zh}：未作答", f"{item.text_en}: not answered")
    name_zh = item.text_zh.lstrip("★").removesuffix("？").removesuffix("做到哪一步")
    name_en = item.text_en.lstrip("★").removesuffix("?")
    return Localised(f"现状（{name_zh}）：{option.text_zh}", f"Today ({name_en}): {option.text_en}")


def _scenario_names(result: AssessmentResult) -> dict[str, tuple[str, str]]:
    assert result.miit is not None
    return {s.code: (s.name_zh, s.name_en) for s in result.miit.scenarios}


def _collect(
    instrument: Instrument,
    profile: EnterpriseProfile,
    responses: Responses,
    result: AssessmentResult,
) -> _Builder:
    assert result.miit is not None
    b = _Builder(responses)
    names = _scenario_names(result)
    levels = {s.code: s.level for s in result.miit.scenarios}
    # 1. consolidate: S1 links on paper or spreadsheets, and security.
    paper = [s for s in CONSOLIDATE_SCENARIOS if s in levels and levels[s] <= 1]
    for s in paper:
        # The firm's own answer first, then what it lacks; the other links below level 2 are
        # named once each, so a step reads as this firm's situation, not a template.
        situation = _situation(instrument, responses, SCENARIO_ITEM[s])
        others = [names[o] for o in paper if o != s]
        also_zh = f"（同样尚未达到的还有{'、'.join(o[0] for o in others)}）" if others else ""
        also_en = f" (also below that level: {', '.join(o[1] for o in others)})" if others else ""
        b.add(
            SCENARIO_L2[s],
            Phase.CONSOLIDATE,
            Localised(
                f"{situation.zh}；{names[s][0]}尚未达到用信息系统规范管理（工信部场景二级），"
                f"先把这一环管起来{also_zh}",
                f"{situation.en}; {names[s][1]} is not yet managed in an information system "
                f"(MIIT scenario level 2): put this link in order first{also_en}",
            ),
        )
    if security_missing(responses):
        missing = [
            label
            for code, label in (
                ("FND-07", ("网络安全", "network")),
                ("FND-08", ("数据安全", "data")),
            )
            if not _measures(responses, code)
        ]
        b.add(
            "security",
            Phase.CONSOLIDATE,
            Localised(
                f"企业在{'和'.join(m[0] for m in missing)}方面还没有任何措施；系统上线前先做安全基线",
                f"The firm has no {' or '.join(m[1] for m in missing)}-security measure yet; "
                "set a security baseline before more systems go live",
            ),
        )
    # 2. the gap to the next MIIT level.
    if result.miit.next:
        gap = result.miit.next[0]
        label_zh, label_en = MIIT_LEVEL_LABELS[gap.target]
        pilot_zh = (
            "（试点企业验收要求）"
            if gap.target == PILOT_TARGET and len(result.miit.next) > 1
            else ""
        )
        pilot_en = " (the pilot's acceptance level)" if pilot_zh else ""
        for s in gap.candidates[: gap.scenarios_missing]:
            if gap.scenario_level <= 2:
                cap = SCENARIO_L2.get(s)
            elif gap.scenario_level == 3:
                cap = SCENARIO_L3.get(s) if levels.get(s, 0) >= 2 else SCENARIO_L2.get(s)
            else:
                cap = None
            if cap is None:
                continue
            b.add(
                cap,
                Phase.MIIT_GAP,
                Localised(
                    f"距工信部{label_zh}{pilot_zh}还差 {gap.scenarios_missing} 个场景达到"
                    f"{gap.scenario_level}级（约束性 {gap.constrained_missing} 个）、"
                    f"{gap.points_missing:g} 分；{names[s][0]}目前为 {levels.get(s, 0)} 级",
                    f"For MIIT {label_en}{pilot_en} {gap.scenarios_missing} more scenarios must "
                    f"reach level {gap.scenario_level} ({gap.constrained_missing} constrained) and "
                    f"{gap.points_missing:g} points are missing; {names[s][1]} is at level "
                    f"{levels.get(s, 0)}",
                ),
            )
    # 3. the next stage's unmet gates.
    for gate in result.stage.unmet_next:
        for cap in GATE_CAPABILITIES.get(gate.code, ()):
            b.add(
                cap,
                Phase.STAGE_GATE,
                Localised(
                    f"东莞下一阶段（{gate.stage.code}）的条件尚未满足：{gate.text_zh}",
                    f"Dongguan's next stage ({gate.stage.code}) asks: {gate.text_en}",
                ),
            )
    # 4. pain points.
    pains = responses.get("PRF-02")
    pain_item = instrument.item("PRF-02")
    for pain in pains if isinstance(pains, tuple) else ():
        option = pain_item.option(pain)
        if option is None:
            continue
        for cap in PAIN_CAPABILITIES.get(pain, ()):
            b.add(
                cap,
                Phase.PAIN_POINT,
                Localised(
                    f"企业选择的痛点：{option.text_zh}", f"Pain point ticked: {option.text_en}"
                ),
            )
    # 5. the industry module.
    for cap in CLUSTER_CAPABILITIES.get(profile.cluster.value, ()):
        item_code = CAPABILITIES[cap].held_if[0][0]
        b.add(cap, Phase.INDUSTRY, _situation(instrument, responses, item_code))
    return b


def _fits(s: Solution, cap: Capability, profile: EnterpriseProfile, held: set[str]) -> bool:
    return (
        not s.retired
        and cap.code in s.capabilities
        and not (s.capabilities & held)
        and (not s.scenarios or not cap.scenarios or bool(s.scenarios & set(cap.scenarios)))
        and (not s.clusters or profile.cluster in s.clusters)
        and (not s.production_types or profile.production_type in s.production_types)
        and (not s.size_classes or profile.size_class in s.size_classes)
    )


def match_products(
    cap: Capability,
    horizon: Horizon,
    profile: EnterpriseProfile,
    held: set[str],
    catalogue: Catalogue,
) -> tuple[Solution, ...]:
    """Up to :data:`MAX_PRODUCTS` solutions that build ``cap`` and none of the ``held``
    capabilities, fit the firm's cluster, production type and size, and (for a step with a
    ``provider_type``, e.g. security) come from a provider of that type. Ranked: cluster-specific
    first, then "小快轻准" products in the quick-win horizon, then the cheaper band, then code."""
    bands = list(PRICE_BANDS)
    found = []
    for s in catalogue.solutions:
        if not _fits(s, cap, profile, held):
            continue
        provider = catalogue.provider(s.provider)
        if provider is None or provider.retired:
            continue
        if cap.provider_type is not None and cap.provider_type not in provider.provider_types:
            continue
        found.append(s)
    found.sort(
        key=lambda s: (
            not s.clusters,
            horizon == Horizon.QUICK and not s.light_fast,
            bands.index(s.price_band),
            s.code,
        )
    )
    return tuple(found[:MAX_PRODUCTS])


def _product(s: Solution, catalogue: Catalogue) -> MatchedProduct:
    provider = catalogue.provider(s.provider)
    assert provider is not None  # match_products keeps only solutions with a provider
    return MatchedProduct(
        s.code,
        s.name,
        provider.code,
        provider.name,
        tuple(t.label for t in sorted(provider.provider_types)),
        s.price_band,
        s.price_model,
        s.delivery_weeks,
        provider.is_demo,
    )


def _step_numbers(ordered: Sequence[str], horizons: Mapping[str, Horizon]) -> dict[str, int]:
    """Each capability's step number within its horizon (1-based), as the pages number them."""
    numbers: dict[str, int] = {}
    for code in ordered:
        numbers[code] = sum(1 for c in numbers if horizons[c] == horizons[code]) + 1
    return numbers


def _covered(
    product: Solution,
    carriers: Mapping[str, str],
    numbers: Mapping[str, int],
    horizons: Mapping[str, Horizon],
    horizon: Horizon,
) -> Localised:
    """The text of a step whose product an earlier step already costs: "step N" in the same
    horizon, "step H.N" (horizon.step, as the 改造需求清单 numbers them) across horizons."""
    carrier = carriers[product.code]
    carrier_horizon = horizons[carrier]
    label = str(numbers[carrier])
    if carrier_horizon != horizon:
        label = f"{int(carrier_horizon)}.{label}"
    name = product.name
    return Localised(
        f"与第 {label} 步同一产品（{name.zh}），费用已计入第 {label} 步，本步不再计费",
        f"Covered by the same product as step {label} ({name.en}); its cost is counted there "
        "and this step adds none",
    )


def firm_standing(
    profile: EnterpriseProfile, responses: Responses, result: AssessmentResult
) -> FirmStanding:
    """The facts programme eligibility looks at, from the profile, PRF-01 and the MIIT level."""
    certs = responses.get("PRF-01")
    held = frozenset(c for c in certs if c != "none") if isinstance(certs, tuple) else frozenset()
    level = result.miit.level if result.miit is not None else 0
    return FirmStanding(
        profile.industry_code,
        profile.cluster,
        profile.size_class,
        "pilot_list" in held,
        level,
        held,
    )


def build_roadmap(
    instrument: Instrument,
    profile: EnterpriseProfile,
    responses: Responses,
    result: AssessmentResult,
    firm: FirmFigures,
    catalogue: Catalogue,
    programmes: Sequence[Programme] = (),
) -> Roadmap:
    """The firm's roadmap (see the module docstring for order, sizing and rules).

    ``responses`` are the visible answers the result was scored on; ``result`` a scoring
    version 2 result. Raises ``ValueError`` when ``result`` carries no MIIT result (version 1).
    """
    if result.miit is None:
        raise ValueError("the roadmap needs a version-2 result with a MIIT level")
    builder = _collect(instrument, profile, responses, result)
    held = {c for c, cap in CAPABILITIES.items() if has_capability(cap, responses)}
    factor = size_factor(firm.revenue_wan, profile.size_class)
    standing = firm_standing(profile, responses, result)
    open_programmes = tuple(p for p in programmes if eligible(p, standing))
    caps_left = {p.code: p.cap_wan for p in open_programmes}
    horizons: dict[str, Horizon] = {}
    for code in builder.order:
        cap = CAPABILITIES[code]
        before = [horizons[p] for p in cap.prerequisites if p in horizons]
        horizons[code] = max([cap.horizon, *before])
    ordered = sorted(builder.order, key=lambda c: (horizons[c], builder.order.index(c)))
    numbers = _step_numbers(ordered, horizons)
    carriers: dict[str, str] = {}  # lead product code -> the capability whose step costs it
    steps: list[RoadmapStep] = []
    for code in ordered:
        cap = CAPABILITIES[code]
        horizon = horizons[code]
        low, high = (round(v * factor, 1) for v in cap.cost_wan)
        years = (SPAN_MONTHS - horizon.start_month) / 12 if cap.price_model == _SUB else 1.0
        total = round((low + high) / 2 * years, 1)
        benefit_low = firm.revenue_wan * cap.benefit_share[0]
        benefit_high = firm.revenue_wan * cap.benefit_share[1]
        payback = (
            round(12 * low / benefit_high, 1) if benefit_high > 0 else math.inf,
            round(12 * high / benefit_low, 1) if benefit_low > 0 else math.inf,
        )
        solutions = match_products(cap, horizon, profile, held, catalogue)
        shared = next((s for s in solutions if s.code in carriers), None)
        if shared is not None:
            solutions = (shared, *(s for s in solutions if s is not shared))
            total = 0.0
        elif solutions:
            carriers[solutions[0].code] = code
        first = solutions[0] if solutions else None
        paying = [
            p
            for p in open_programmes
            if first is not None
            and pays_for(
                p, cloud_voucher=first.cloud_voucher, in_pilot_directory=first.in_pilot_directory
            )
        ]
        covered = _covered(shared, carriers, numbers, horizons, horizon) if shared else None
        if covered is not None:
            share = CostShare(0.0, 0.0, 0.0, 0.0, None, covered.zh, covered.en)
        else:
            share = share_cost(total, first.provider_discount if first else 0.0, paying, caps_left)
        if share.programme_code is not None:
            caps_left[share.programme_code] -= share.programme
        steps.append(
            RoadmapStep(
                capability=code,
                name=cap.name,
                horizon=horizon,
                phase=builder.phase[code],
                why=tuple(builder.why[code]),
                prerequisites=tuple(p for p in cap.prerequisites if p in horizons),
                kpi=_kpi(cap, instrument, responses),
                budget_wan=(low, high),
                price_model=cap.price_model,
                total_wan=total,
                payback_months=payback,
                payback_assumption=Localised(cap.assumption_zh, cap.assumption_en),
                products=tuple(_product(s, catalogue) for s in solutions),
                cost_share=share,
                covered_by=carriers[shared.code] if shared is not None else None,
                covered_text=covered,
            )
        )
    total = round(sum(s.total_wan for s in steps), 1)
    spend, source = digital_spend(firm, responses)
    multiple = round(total / spend, 2) if spend > 0 else math.inf
    flagged = multiple > FLAG_MULTIPLE
    firm_pays = round(sum(s.cost_share.firm for s in steps), 1)
    flag = (
        Localised(
            f"路线图 24 个月合计约 {total:.1f} 万元，是目前每年数字化投入（{spend:.1f} 万元）的 "
            f"{multiple:.1f} 倍（扣除让利和补助后企业自付约 {firm_pays:.1f} 万元）：请先做 0-3 "
            "个月的步骤，再按效果和补助决定后续项目",
            f"The 24-month roadmap totals about ¥{total * 10:,.0f}k, {multiple:.1f} times the "
            f"current yearly digital spend (¥{spend * 10:,.0f}k; the firm's own share after "
            f"discounts and support is about ¥{firm_pays * 10:,.0f}k): start with the 0-3 "
            "month steps and decide the later projects on their results and the support obtained",
        )
        if flagged
        else None
    )
    pilot = next((p for p in open_programmes if p.steps and p.pilot_list), None)
    position = pilot_position(pilot, on_list=standing.pilot_list) if pilot is not None else None
    return Roadmap(
        steps=tuple(steps),
        total_wan=total,
        digital_spend_wan=spend,
        spend_source=source,
        multiple=multiple,
        flagged=flagged,
        flag_text=flag,
        programmes=open_programmes,
        pilot=position,
        firm_pays_wan=firm_pays,
        subsidy_wan=round(sum(s.cost_share.programme for s in steps), 1),
        provider_discount_wan=round(sum(s.cost_share.provider for s in steps), 1),
    )


@dataclass(frozen=True)
class RoadmapCheck:
    """Invariant counts over one roadmap, by horizon: steps, steps for a capability the firm
    had, steps before one of their prerequisites (or in an earlier horizon), steps with a
    matched product; and whether a firm with a missing security measure lacks the step."""

    steps: Mapping[Horizon, int]
    already_had: Mapping[Horizon, int]
    out_of_order: Mapping[Horizon, int]
    with_product: Mapping[Horizon, int]
    security_gap: bool


def check_roadmap(roadmap: Roadmap, responses: Responses) -> RoadmapCheck:
    """Count :class:`RoadmapCheck`'s invariants independently of how the roadmap was built."""
    zero = dict.fromkeys(Horizon, 0)
    steps, had, disorder, product = dict(zero), dict(zero), dict(zero), dict(zero)
    position = {s.capability: (i, s.horizon) for i, s in enumerate(roadmap.steps)}
    for i, step in enumerate(roadmap.steps):
        cap = CAPABILITIES[step.capability]
        steps[step.horizon] += 1
        had[step.horizon] += has_capability(cap, responses)
        product[step.horizon] += bool(step.products)
        for pre in cap.prerequisites:
            if has_capability(CAPABILITIES[pre], responses):
                continue
            if not applies(CAPABILITIES[pre], responses):
                continue
            where = position.get(pre)
            if where is None or where[0] > i or where[1] > step.horizon:
                disorder[step.horizon] += 1
    gap = security_missing(responses) and "security" not in position
    return RoadmapCheck(steps, had, disorder, product, gap)


def _money(wan: float) -> Localised:
    return Localised(f"{wan:.1f} 万元", f"¥{wan * 10:,.0f}k")


def roadmap_lines(roadmap: Roadmap, locale: object) -> list[str]:
    """The roadmap as plain text lines in the locale's language (for the CLI and the note;
    pages and the PDF render the same values)."""

    def t(text: Localised) -> str:
        return text.for_locale(locale)

    out: list[str] = []
    for horizon in Horizon:
        steps = roadmap.by_horizon(horizon)
        if not steps:
            continue
        out.append(f"== {t(horizon.label)} ==")
        for n, step in enumerate(steps, 1):
            model = Localised("订阅（每年）", "subscription (per year)")
            if step.price_model == _ONE:
                model = Localised("一次性", "one-off")
            out.append(f"{n}. {t(step.name)} [{t(step.phase.label)}]")
            out.extend(f"   - {t(Localised('原因', 'Why'))}: {t(w)}" for w in step.why)
            if step.prerequisites:
                names = [t(CAPABILITIES[p].name) for p in step.prerequisites]
                out.append(f"   - {t(Localised('前置', 'After'))}: {'; '.join(names)}")
            if step.kpi is not None:
                k = step.kpi
                moved = f"{t(k.name)} {k.change:+.0%}"
                if k.baseline is not None and k.target is not None:
                    moved += f" ({k.baseline:g} → {k.target:g} {t(k.unit)})"
                out.append(f"   - KPI: {moved}")
            low, high = step.budget_wan
            cost = (
                f"{t(_money(low))}-{t(_money(high))}, {t(model)}; "
                f"{t(Localised('24 个月合计', '24-month total'))} {t(_money(step.total_wan))}"
            )
            if step.covered_text is not None:
                cost = t(step.covered_text)
            out.append(f"   - {t(Localised('预算', 'Budget'))}: {cost}")
            out.append(
                f"   - {t(Localised('回收期', 'Payback'))}: {step.payback_months[0]:g}-"
                f"{step.payback_months[1]:g} {t(Localised('个月', 'months'))} "
                f"({t(step.payback_assumption)})"
            )
            if step.covered_text is None:
                out.append(
                    f"   - {t(Localised('费用分担', 'Cost sharing'))}: {t(step.cost_share.rule)}"
                )
            for p in step.products:
                roles = "/".join(t(r) for r in p.provider_roles)
                out.append(
                    f"   - {t(Localised('产品', 'Product'))}: {t(p.name)} — {t(p.provider)} ({roles})"
                )
    out.append(
        f"{t(Localised('合计', 'Total'))}: {t(_money(roadmap.total_wan))}; "
        f"{t(Localised('每年数字化投入', 'yearly digital spend'))} "
        f"{t(_money(roadmap.digital_spend_wan))} ({t(roadmap.spend_source)}); "
        f"{roadmap.multiple:.1f}x; {t(Localised('企业自付', 'the firm pays'))} "
        f"{t(_money(roadmap.firm_pays_wan))}, {t(Localised('补助', 'support'))} "
        f"{t(_money(roadmap.subsidy_wan))}, {t(Localised('服务商让利', 'provider discounts'))} "
        f"{t(_money(roadmap.provider_discount_wan))}"
    )
    if roadmap.flag_text is not None:
        out.append(f"! {t(roadmap.flag_text)}")
    if roadmap.pilot is not None and roadmap.pilot.next is not None:
        nxt = roadmap.pilot.next
        out.append(
            f"{t(roadmap.pilot.programme.name)}: {t(Localised('下一步', 'next step'))} "
            f"{t(nxt.name)}; {t(Localised('需准备', 'bring'))}: {t(nxt.bring)}"
        )
    return out
