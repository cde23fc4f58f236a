"""A seeded, internally consistent synthetic cohort for demos, tests and benchmarks.

Each enterprise gets a latent maturity ``theta`` in [0, 1] (larger enterprises tend to be more
mature); every answer is drawn around it, then ``IMPLICATIONS`` are enforced by raising the
prerequisite answers, so that no generated enterprise reports, say, MES exchanging data with ERP
while having no ERP. Only items that apply to the enterprise are answered.
"""

from __future__ import annotations

from collections.abc import Iterator
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
from assessment.types import (
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


def _answer(
    instrument: Instrument,
    profile: EnterpriseProfile,
    theta: float,
    employees: int,
    rng: np.random.Generator,
    path: dict[str, float],
) -> dict[str, str | tuple[str, ...] | float]:
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
    return {
        code: value
        for code, value in answers.items()
        if is_applicable(instrument.item(code), profile, answers)
    }


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
    instrument: Instrument, n: int, seed: int, rounds: int = 1, first_serial: int = 1
) -> Iterator[SyntheticEnterprise]:
    """Generate ``n`` enterprises deterministically from ``seed``.

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
        theta = float(np.clip(base + rng.normal(0, 0.25), 0.0, 1.0))
        profile = EnterpriseProfile(industry, ptype, size, town, classification.above_scale)
        path = ARCHETYPES[int(rng.choice(len(ARCHETYPES), p=[0.4, 0.3, 0.3]))]
        responses = _answer(instrument, profile, theta, employees, rng, path)
        later = []
        for _ in range(rounds - 1):  # a year of work: most firms progress a little
            theta = float(np.clip(theta + rng.normal(0.06, 0.05), 0.0, 1.0))
            later.append(_answer(instrument, profile, theta, employees, rng, path))
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
        )
