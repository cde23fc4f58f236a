"""A seeded, internally consistent synthetic cohort for demos, tests and benchmarks.

Each enterprise gets a latent maturity ``theta`` in [0, 1] (larger enterprises tend to be more
mature); every answer is drawn around it, then ``IMPLICATIONS`` are enforced by raising the
prerequisite answers, so that no generated enterprise reports, say, MES exchanging data with ERP
while having no ERP. Only items that apply to the enterprise are answered.

On instrument version 2 (``_answer_v2``) each firm also follows a planted transformation path
(``V2_PATHS``, the paths of ``assessment.paths``: front office first, equipment first and data
blind, islands of systems, organisation bottleneck, order-driven integration, or balanced), as
offsets by area (``V2_GROUPS``: front office, shop floor, product life cycle, foundations,
management, integration) and by item, plus its own noise, drawn once per firm, so that its MIIT
score, scenario levels and stage are not one latent trait: a trading-minded firm can run ERP
everywhere with a paper shop floor, a subcontractor the reverse. Derived answers stay consistent with the scenarios (information-
system coverage counts the scenarios at L2, automatic collection follows the scenarios at L3,
networked machines are digital machines).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from assessment.classification import (
    CLUSTER_DIVISIONS,
    CLUSTER_TOWNS,
    MANUFACTURING_DIVISIONS,
    TOWNS,
    classify,
)
from assessment.instrument import NONE_OPTION, is_applicable
from assessment.paths import PathCode
from assessment.types import (
    Better,
    EnterpriseProfile,
    IndustryCluster,
    Instrument,
    ItemKind,
    ProductionType,
    Responses,
    SizeClass,
)
from assessment.uscc import make_uscc

#: If the first answer is at least the given level, the second must be at least its level.
#: Levels are those of the option codes "L0".."L4" that every single-choice item uses.
IMPLICATIONS: tuple[tuple[str, int, str, int], ...] = (
    ("INT-02", 3, "MGT-01", 2),  # MES-ERP interface -> an ERP exists
    ("PRO-02", 3, "MGT-01", 2),  # MES integrated with ERP -> an ERP exists
    ("PRO-02", 3, "INT-01", 2),
    ("INT-01", 3, "MGT-01", 2),  # management systems integrated -> they exist
    ("INT-01", 3, "MGT-04", 2),
    ("INT-01", 3, "MGT-06", 2),
    ("INT-04", 3, "INT-01", 2),  # connected to suppliers -> connected inside first
    ("INT-05", 3, "INT-01", 2),
    ("INN-01", 4, "INT-01", 3),  # own platform serving the chain -> integrated inside
    ("INN-01", 4, "INT-04", 3),
    ("DAT-05", 3, "DAT-04", 2),  # data platform -> master data in order
    ("INN-02", 3, "DAT-05", 2),
    ("RND-03", 3, "RND-01", 2),
)
#: Item difficulty relative to the latent maturity: basics come early, chain integration and
#: platforms late (so S3 stays rare, as in MIIT's and acatech's published distributions).
DIFFICULTY = {
    "ORG-01": -0.15,
    "MGT-01": -0.1,
    "MGT-03": -0.1,
    "MGT-06": -0.05,
    "INT-03": 0.12,
    "INT-04": 0.18,
    "INT-05": 0.18,
    "INN-01": 0.2,
    "INN-02": 0.2,
    "INN-03": 0.2,
    "DAT-05": -0.1,
    "INT-01": -0.1,
    "PRO-02": -0.1,
    "PRO-03": -0.1,
}
#: Transformation paths seen in practice: some firms digitise management first (ERP, OA, CRM),
#: others the shop floor first (automation, MES, machine data). Offsets to the latent maturity
#: by dimension, drawn once per enterprise; they give the cohort structure beyond one level.
ARCHETYPES: tuple[dict[str, float], ...] = (
    {},
    {"MGT": 0.15, "ORG": 0.1, "INF": 0.05, "PRO": -0.15, "DAT": -0.15, "RND": -0.05},
    {"PRO": 0.15, "DAT": 0.15, "RND": 0.05, "MGT": -0.15, "ORG": -0.1, "INT": -0.05},
)
_CLUSTER_WEIGHTS = {
    IndustryCluster.ELECTRONICS: 0.24,
    IndustryCluster.EQUIPMENT: 0.2,
    IndustryCluster.TEXTILES: 0.14,
    IndustryCluster.FOOD: 0.1,
    IndustryCluster.FURNITURE: 0.14,
    IndustryCluster.OTHER: 0.18,
}
_SYLLABLES = "宏信达盛隆泰华立鑫源创美恒升捷联顺德嘉丰永富安新锦通卓越优精科"
_TRADES = {
    IndustryCluster.ELECTRONICS: ("电子", "电子科技", "智能科技", "通讯设备"),
    IndustryCluster.EQUIPMENT: ("精密机械", "自动化设备", "机电", "智能装备"),
    IndustryCluster.TEXTILES: ("服饰", "制衣", "纺织", "鞋业"),
    IndustryCluster.FOOD: ("食品", "饮料", "粮油", "烘焙食品"),
    IndustryCluster.FURNITURE: ("家具", "家居", "木业", "实业"),
    IndustryCluster.OTHER: ("塑胶制品", "五金制品", "包装材料", "新材料"),
}
_TOWN_BY_CODE = {t.code: t for t in TOWNS}

#: Version 2: the area each item (or item-code prefix) belongs to, for per-firm offsets.
V2_GROUPS: dict[str, str] = {
    "OPS-01": "life",
    "OPS-02": "life",
    "OPS-04": "life",
    "OPS-03": "office",
    "OPS-11": "office",
    "OPS-12": "office",
    "OPS-13": "office",
    "OPS-14": "office",
    "OPS-15": "office",
    "OPS-16": "office",
    "OPS-05": "shop",
    "OPS-06": "shop",
    "OPS-07": "shop",
    "OPS-08": "shop",
    "OPS-09": "shop",
    "OPS-10": "shop",
    "INT-02": "shop",
    "INT-03": "shop",
    "FND": "base",
    "MGM": "mgmt",
    "INT": "integ",
    "CLU": "shop",
}
#: Version 2 planted transformation paths (``assessment.paths``): offsets by area, by item
#: code (which win over the area's), and two special keys: ``net`` shifts the networked share of
#: digital machines, ``cap`` caps the scenario levels (islands of systems: systems in every link,
#: none working with another, so no scenario reaches L3, MIIT's "与其他系统协同").
V2_PATHS: dict[PathCode, dict[str, float]] = {
    PathCode.BALANCED: {},
    PathCode.FRONT_OFFICE: {
        "office": 0.25,
        "OPS-03": 0.4,
        "INT-06": 0.3,
        "shop": -0.35,
        "base": -0.15,
        "life": -0.1,
    },
    PathCode.EQUIPMENT_FIRST: {
        "base": 0.35,
        "net": -0.7,
        "shop": 0.05,
        "office": -0.2,
        "integ": -0.2,
    },
    PathCode.ISLANDS: {"office": 0.3, "shop": 0.15, "integ": -0.4, "cap": 2.0},
    PathCode.ORGANISATION: {"mgmt": -0.5, "office": 0.15, "shop": 0.05, "base": 0.05},
    PathCode.ORDER_DRIVEN: {
        "OPS-03": 0.45,
        "OPS-05": 0.5,
        "OPS-06": 0.45,
        "INT-01": 0.3,
        "INT-05": 0.35,
        "FUR-01": 0.3,
        "office": -0.15,
        "mgmt": -0.05,
        "base": -0.1,
        "life": -0.1,
    },
}
_PATH_WEIGHTS = (0.3, 0.14, 0.14, 0.14, 0.14, 0.14)
#: Version 2 difficulty by item: integration, chain and platform late, office basics early.
V2_DIFFICULTY = {
    "OPS-13": -0.15,
    "OPS-15": -0.12,
    "OPS-12": -0.05,
    "OPS-03": -0.05,
    "OPS-09": 0.05,
    "OPS-10": 0.08,
    "OPS-02": 0.08,
    "OPS-16": 0.05,
    "INT-04": 0.15,
    "INT-05": 0.12,
    "INT-07": 0.2,
    "INT-08": 0.25,
}
#: Scenario item -> the automatic-collection link (FND-05 option) it implies at L3.
_SCENARIO_LINK = {
    "OPS-01": "product_design",
    "OPS-02": "process_design",
    "OPS-03": "marketing",
    "OPS-04": "service",
    "OPS-05": "planning",
    "OPS-06": "production",
    "OPS-07": "quality",
    "OPS-08": "equipment",
    "OPS-09": "safety",
    "OPS-10": "energy",
    "OPS-11": "purchasing",
    "OPS-12": "warehouse",
    "OPS-13": "finance",
    "OPS-14": "hr",
}


@dataclass(frozen=True)
class SyntheticEnterprise:
    """One generated enterprise with its answers; ``revenue_wan`` in 万元."""

    name: str
    uscc: str
    industry_code: str
    production_type: ProductionType
    town: str
    employees: int
    revenue_wan: float
    responses: Responses
    #: Answers in later rounds (one per extra round), as the enterprise progresses.
    later: tuple[Responses, ...] = ()
    #: The transformation path planted in the answers (version 2; ``BALANCED`` on version 1).
    planted: PathCode = PathCode.BALANCED

    @property
    def profile(self) -> EnterpriseProfile:
        """The profile the answers were drawn for: cluster, size class and 规上 by ``classify``."""
        derived = classify(self.industry_code, self.employees, self.revenue_wan)
        return EnterpriseProfile(
            self.industry_code,
            self.production_type,
            derived.size_class,
            self.town,
            derived.above_scale,
            derived.cluster,
        )


def _levels(item_options: int, theta: float, rng: np.random.Generator) -> int:
    top = item_options - 1
    # Plain min/max, not np.clip: this runs ~70 times per enterprise and np.clip on a scalar
    # costs ~30x more.
    return min(max(round(theta * top + rng.normal(0.0, 0.5)), 0), top)


def _profile_fields(rng: np.random.Generator) -> tuple[IndustryCluster, str, ProductionType, str]:
    clusters = list(_CLUSTER_WEIGHTS)
    cluster = clusters[rng.choice(len(clusters), p=list(_CLUSTER_WEIGHTS.values()))]
    if cluster == IndustryCluster.OTHER:
        taken = set().union(*CLUSTER_DIVISIONS.values())
        divisions = sorted(set(MANUFACTURING_DIVISIONS) - taken)
    else:
        divisions = sorted(CLUSTER_DIVISIONS[cluster])
    industry = divisions[rng.integers(len(divisions))]
    if cluster == IndustryCluster.FOOD or industry in {"C25", "C26", "C27", "C28"}:
        ptype = ProductionType.PROCESS if rng.random() < 0.7 else ProductionType.MIXED
    else:
        roll = rng.random()
        ptype = (
            ProductionType.DISCRETE
            if roll < 0.82
            else (ProductionType.MIXED if roll < 0.95 else ProductionType.PROCESS)
        )
    core = CLUSTER_TOWNS.get(cluster, ())
    if core and rng.random() < 0.6:
        town = core[rng.integers(len(core))]
    else:
        town = TOWNS[rng.integers(len(TOWNS))].code
    return cluster, industry, ptype, town


_Answers = dict[str, str | tuple[str, ...] | float]


@dataclass(frozen=True)
class _Firm:
    """What stays fixed about a synthetic firm across its rounds: its profile, its employees
    and its archetype offsets (version 1: ``ARCHETYPES``) or path offsets (version 2:
    :func:`v2_offsets`), by dimension, area or item code."""

    profile: EnterpriseProfile
    employees: int
    path: dict[str, float]


def _answer(
    instrument: Instrument, firm: _Firm, theta: float, rng: np.random.Generator
) -> _Answers:
    """Version-1 answers around ``theta``, applicable or not (the caller drops the rest)."""
    profile, employees, path = firm.profile, firm.employees, firm.path
    levels: dict[str, int] = {}
    answers: dict[str, str | tuple[str, ...] | float] = {}
    for item in instrument.items:
        if profile.production_type not in item.applies_to:
            continue
        if item.kind == ItemKind.SINGLE:
            shifted = theta + path.get(item.dimension, 0.0) - DIFFICULTY.get(item.code, 0.0)
            ordered = sorted(item.options, key=lambda o: o.value)
            levels[item.code] = int(ordered[_levels(len(ordered), shifted, rng)].code[1])
        elif item.kind == ItemKind.MULTI:
            real = [o.code for o in item.options if o.code != NONE_OPTION]
            shifted = theta + path.get(item.dimension, 0.0) - DIFFICULTY.get(item.code, 0.0)
            chosen = tuple(c for c in real if rng.random() < 0.1 + 0.8 * shifted)
            answers[item.code] = chosen or (NONE_OPTION,)
        else:
            answers[item.code] = _number(
                item.code, theta + path.get(item.dimension, 0.0), employees, rng
            )
    for _ in range(3):  # enforce the implications; raising only, so this settles quickly
        for first, at_least, second, needed in IMPLICATIONS:
            if levels.get(first, -1) >= at_least and second in levels:
                levels[second] = max(levels[second], needed)
    for code, value in levels.items():
        answers[code] = f"L{value}"
    _consistent_data(answers, levels)
    return answers


def _round_answers(
    instrument: Instrument,
    answer: Callable[[Instrument, _Firm, float, np.random.Generator], _Answers],
    firm: _Firm,
    theta: float,
    revenue: float,
    rng: np.random.Generator,
) -> _Answers:
    """One round's responses of ``firm`` at maturity ``theta``: ``answer``'s draws (``_answer``
    or ``_answer_v2``) kept where the item applies, plus on version 2 the KPI baselines
    (``revenue`` in 万元 per year)."""
    answers = answer(instrument, firm, theta, rng)
    responses = {
        code: value
        for code, value in answers.items()
        if is_applicable(instrument.item(code), firm.profile, answers)
    }
    if instrument.version == "2":
        responses |= kpi_baselines(firm.profile, theta, revenue / firm.employees, rng)
    return responses


def _v2_group(code: str) -> str:
    return V2_GROUPS.get(code) or V2_GROUPS.get(code.split("-")[0], "base")


def v2_offsets(
    rng: np.random.Generator, paths: tuple[PathCode, ...] | None = None
) -> tuple[PathCode, dict[str, float]]:
    """A firm's planted path for version 2 and its offsets: the path's (:data:`V2_PATHS`), each
    area's plus the firm's own noise (sd 0.08). The path is drawn with ``_PATH_WEIGHTS``, or
    evenly among ``paths`` when given."""
    if paths:
        code = paths[int(rng.integers(len(paths)))]
    else:
        code = list(V2_PATHS)[int(rng.choice(len(V2_PATHS), p=_PATH_WEIGHTS))]
    planted = V2_PATHS[code]
    areas = ("life", "office", "shop", "base", "mgmt", "integ")
    offsets = dict(planted)
    offsets.update({a: planted.get(a, 0.0) + float(rng.normal(0.0, 0.08)) for a in areas})
    return code, offsets


def _answer_v2(
    instrument: Instrument, firm: _Firm, theta: float, rng: np.random.Generator
) -> _Answers:
    """Version-2 answers around ``theta``, applicable or not (the caller drops the rest);
    ``firm.path`` holds the firm's offsets by area (:func:`v2_offsets`)."""
    profile, employees, offsets = firm.profile, firm.employees, firm.path
    answers: dict[str, str | tuple[str, ...] | float] = {}

    def shifted(code: str) -> float:
        default = 0.1 if code.startswith("OPS") else 0.0  # scenarios: L3 and L4 are rare
        offset = offsets.get(code, offsets.get(_v2_group(code), 0.0))
        return theta + offset - V2_DIFFICULTY.get(code, default)

    for item in instrument.items:
        if not is_applicable(item, profile, answers) and item.show_if is None:
            continue
        if item.kind == ItemKind.SINGLE:
            ordered = [o for o in sorted(item.options, key=lambda o: o.value) if o.code != "na"]
            at = _levels(len(ordered), shifted(item.code), rng)
            if item.scenario and "cap" in offsets:
                at = min(at, int(offsets["cap"]))
            answers[item.code] = ordered[at].code
            if item.option("na") and rng.random() < 0.3:
                answers[item.code] = "na"  # 代工 firms; firms without consumer sales
        elif item.kind == ItemKind.MULTI:
            real = [o.code for o in item.options if o.code != NONE_OPTION]
            if all(o.value == 0 for o in item.options):  # profile lists: a few picks
                picks = rng.choice(len(real), size=int(rng.integers(0, 4)), replace=False)
                answers[item.code] = tuple(real[i] for i in sorted(picks)) or (NONE_OPTION,)
                continue
            p = 0.05 + 0.85 * shifted(item.code)
            answers[item.code] = tuple(c for c in real if rng.random() < p) or (NONE_OPTION,)
        elif item.kind == ItemKind.NUMBER:
            share = min(max(shifted(item.code) + rng.normal(0, 0.15), 0.0), 1.0)
            top = item.bands[-1][0] * 1.5 if item.bands else 100.0
            answers[item.code] = round(share * top, 1)
    _figures_v2(instrument, profile, answers, theta, offsets, employees, rng)
    _consistent_v2(answers, profile)
    return answers


def _figures_v2(
    instrument: Instrument,
    profile: EnterpriseProfile,
    answers: dict[str, str | tuple[str, ...] | float],
    theta: float,
    offsets: dict[str, float],
    employees: int,
    rng: np.random.Generator,
) -> None:
    """Machines (total, digital, networked), year-on-year results and KPI baselines."""
    base = theta + offsets.get("base", 0.0)
    total = max(1, round(employees * float(rng.uniform(0.1, 0.6))))
    digital = round(total * min(max(base * 0.9 + rng.normal(0, 0.15), 0.0), 1.0))
    net = base * 0.8 + offsets.get("net", 0.0)
    networked = round(digital * min(max(net + rng.normal(0, 0.2), 0.0), 1.0))
    answers.update({"FND-02": float(total), "FND-03": float(digital), "FND-04": float(networked)})
    improve = 0.25 + 0.5 * theta
    for item in instrument.items:
        if item.kind != ItemKind.FIGURE or item.previous is None:
            continue
        if rng.random() < 0.35 - 0.25 * theta:  # "don't know", more often in weaker firms
            continue
        low, high = item.minimum or 0.0, item.maximum or 100.0
        last = round(float(rng.uniform(low + 0.2 * (high - low), low + 0.5 * (high - low))), 2)
        roll = rng.random()
        step = 0.0 if roll < 0.1 else (0.03 if roll < 0.1 + improve else -0.03)
        sign = 1.0 if item.better == Better.HIGHER else -1.0
        answers[item.previous] = last
        answers[item.code] = round(min(max(last * (1 + sign * step), low), high), 2)


def kpi_baselines(
    profile: EnterpriseProfile,
    theta: float,
    revenue_per_person_wan: float,
    rng: np.random.Generator,
) -> dict[str, float]:
    """Version-2 KPI figures (PRF-03..PRF-08) a firm of maturity ``theta`` in [0, 1] gives,
    each given with probability 0.25 + 0.5 x theta (weaker firms more often do not know it).

    Levels are assumptions of the synthetic cohort, chosen to be plausible for Dongguan
    manufacturing SMEs, not statistics: on-time delivery 78-96% (PRF-03, %), inventory days
    75 -> 35 for discrete and 50 -> 25 for process firms as maturity rises (PRF-04, days),
    first-pass yield 90-98% (PRF-05, %), OEE 45-75% (PRF-06, %), output per person = the firm's
    revenue / employees (PRF-07, 万元 per person, ``revenue_per_person_wan``), energy per
    output about 0.04 tce per 万元 for discrete and 0.15 for process firms, lower in mature
    ones (PRF-08); each with noise.
    """
    process = profile.production_type == ProductionType.PROCESS
    noise = rng.normal(0.0, 1.0, size=6)
    spread = rng.lognormal(0.0, 0.25, size=3)
    figures = {
        "PRF-03": np.clip(78 + 18 * theta + 4 * noise[0], 50, 99.5),
        "PRF-04": np.clip(
            ((50 - 25 * theta) if process else (75 - 40 * theta)) * spread[0], 7, 180
        ),
        "PRF-05": np.clip(90 + 8 * theta + 2 * noise[1], 70, 99.8),
        "PRF-06": np.clip(45 + 30 * theta + 6 * noise[2], 25, 90),
        "PRF-07": revenue_per_person_wan * spread[1] ** 0.4,
        "PRF-08": (0.15 if process else 0.04) * (1.2 - 0.4 * theta) * spread[2],
    }
    given = rng.random(size=len(figures)) < 0.25 + 0.5 * theta
    return {
        code: float(f"{value:.3g}")
        for (code, value), shown in zip(figures.items(), given, strict=True)
        if shown
    }


def _consistent_v2(
    answers: dict[str, str | tuple[str, ...] | float], profile: EnterpriseProfile
) -> None:
    """Derived answers follow the scenarios (see the module docstring)."""
    machines, networked = answers.get("FND-02"), answers.get("FND-04")
    if isinstance(machines, float) and isinstance(networked, float) and machines > 0:
        if networked < 0.1 * machines and answers.get("INT-02") == "L4":
            answers["INT-02"] = "L3"  # MES talking to machines needs networked machines
    production = answers.get("OPS-06")
    if isinstance(answers.get("INT-02"), str) and int(str(answers["INT-02"])[1]) >= 3:
        if isinstance(production, str) and production[0] == "L" and int(production[1]) < 2:
            answers["OPS-06"] = "L2"  # MES on every line manages production
    scen = {f"OPS-{n:02d}": answers.get(f"OPS-{n:02d}") for n in range(1, 17)}
    levels = {
        c: int(str(a)[1]) if isinstance(a, str) and a[0] == "L" else 0 for c, a in scen.items()
    }
    if isinstance(answers.get("INT-01"), str):  # integrated suites exist only with systems
        integrated = sum(levels[c] >= 3 for c in ("OPS-03", "OPS-11", "OPS-12", "OPS-13"))
        at_two = sum(levels[c] >= 2 for c in ("OPS-03", "OPS-11", "OPS-12", "OPS-13"))
        top = 4 if integrated >= 3 else 3 if at_two >= 3 else 2 if at_two >= 2 else 1
        floor = 2 if integrated else 0  # a scenario working with other systems has interfaces
        current = int(str(answers["INT-01"])[1])
        answers["INT-01"] = f"L{max(min(current, top), floor)}"
    systems = sum(level >= 2 for level in levels.values())
    coverage = 0 if systems == 0 else 1 if systems == 1 else 2 if systems < 13 else 3
    answers["FND-06"] = f"L{4 if systems == 16 else coverage}"
    collected = {link for code, link in _SCENARIO_LINK.items() if levels[code] >= 3}
    if levels["OPS-14"] >= 2:
        collected.add("hr")  # attendance terminals feed the HR system
    order = list(_SCENARIO_LINK.values())
    answers["FND-05"] = tuple(c for c in order if c in collected) or (NONE_OPTION,)


def _number(code: str, theta: float, employees: int, rng: np.random.Generator) -> float:
    if code == "ORG-04":
        return float(min(max(round(theta * 4 + rng.normal(0, 0.6), 1), 0), 30))
    if code == "ORG-05":
        return float(max(0, round(employees * (0.002 + 0.02 * theta) + rng.normal(0, 1))))
    return float(min(max(round(theta * 95 + rng.normal(0, 12)), 0), 100))


def _consistent_data(
    answers: dict[str, str | tuple[str, ...] | float], levels: dict[str, int]
) -> None:
    # Networked machines are a subset of digital machines.
    if isinstance(answers.get("DAT-01"), float) and isinstance(answers.get("DAT-02"), float):
        answers["DAT-02"] = min(float(answers["DAT-02"]), float(answers["DAT-01"]))  # type: ignore[arg-type]
    collected = set(answers.get("DAT-03", ())) - {NONE_OPTION}  # type: ignore[arg-type]
    networked = answers.get("DAT-02")
    if isinstance(networked, float) and networked >= 40:
        collected |= {"output", "machine"}  # networked machines report their output and state
    if levels.get("PRO-05", -1) >= 3:
        collected.add("machine")
    if levels.get("PRO-06", -1) >= 3:
        collected.add("energy")
    if "DAT-03" in answers:
        order = ("output", "machine", "quality", "energy", "material")
        answers["DAT-03"] = tuple(c for c in order if c in collected) or (NONE_OPTION,)


def synthetic_cohort(
    instrument: Instrument,
    n: int,
    seed: int,
    rounds: int = 1,
    first_serial: int = 1,
    maturity: float | None = None,
    paths: tuple[PathCode, ...] | None = None,
) -> Iterator[SyntheticEnterprise]:
    """Generate ``n`` enterprises deterministically from ``seed``.

    ``maturity`` (0-1), when given, replaces the size-driven latent maturity by that value plus
    noise (sd 0.05): a cohort of one level, to test that paths are found at any level.
    ``paths`` (version 2) plants only these paths, evenly; by default 30% balanced firms and
    14% on each of the five paths.

    Employees are log-normal (median ~80), revenue tracks employees (万元); the latent maturity
    rises with size. On instrument dmi-v1 this gives roughly S0 25%, S1 50%, S2 20%, S3 4%
    (seed 7, n = 1000), S1 being the most common stage as in MIIT's published SME results.
    """
    rng = np.random.default_rng(seed)
    used_names: set[str] = set()
    for serial in range(first_serial, first_serial + n):
        cluster, industry, ptype, town = _profile_fields(rng)
        employees = int(np.clip(rng.lognormal(np.log(80), 1.0), 5, 20000))
        revenue = float(round(employees * rng.lognormal(np.log(45), 0.5), 1))
        classification = classify(industry, employees, revenue)
        size = classification.size_class
        base = {
            SizeClass.MICRO: 0.3,
            SizeClass.SMALL: 0.45,
            SizeClass.MEDIUM: 0.6,
            SizeClass.LARGE: 0.72,
        }[size]
        centre, spread = (base, 0.25) if maturity is None else (maturity, 0.05)
        theta = float(np.clip(centre + rng.normal(0, spread), 0.0, 1.0))
        profile = EnterpriseProfile(
            industry, ptype, size, town, classification.above_scale, classification.cluster
        )
        path = ARCHETYPES[int(rng.choice(len(ARCHETYPES), p=[0.4, 0.3, 0.3]))]
        answer, planted = _answer, PathCode.BALANCED
        if instrument.version == "2":  # draws only for v2, so v1 cohorts stay as they were
            (planted, path), answer = v2_offsets(rng, paths), _answer_v2
        firm = _Firm(profile, employees, path)
        responses = _round_answers(instrument, answer, firm, theta, revenue, rng)
        later = []
        for _ in range(rounds - 1):  # a year of work: most firms progress a little
            theta = float(np.clip(theta + rng.normal(0.06, 0.05), 0.0, 1.0))
            later.append(_round_answers(instrument, answer, firm, theta, revenue, rng))
        town_zh = _TOWN_BY_CODE[town].name_zh.removesuffix("镇").removesuffix("街道")
        trade = _TRADES[cluster][rng.integers(4)]
        word = "".join(_SYLLABLES[i] for i in rng.choice(len(_SYLLABLES), 2, replace=False))
        name = f"东莞市{town_zh}{word}{trade}有限公司"
        if name in used_names:
            name = f"东莞市{town_zh}{word}{trade}（{serial}）有限公司"
        used_names.add(name)
        yield SyntheticEnterprise(
            name=name,
            uscc=make_uscc(f"91441900MA{serial:07d}"),
            industry_code=industry,
            production_type=ptype,
            town=town,
            employees=employees,
            revenue_wan=revenue,
            responses=responses,
            later=tuple(later),
            planted=planted,
        )
