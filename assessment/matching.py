"""Match an assessed enterprise to solutions, service providers and enabling centres.

Pure and explainable: every score is a sum of the terms in ``WEIGHTS`` and every match carries
its reasons in words. Sources: the plan asks centres to "强化与制造业企业有效供需对接" and
providers to offer "小快轻准" solutions to SMEs (Dongguan plan 2022-2025 四 (二) 1 and 3,
四 (三) 2).

Ranking
-------
Solution score = 3 x (unmet next-stage gates it closes) + 1 x (weak dimensions it serves: those
of the task list and the two lowest-scoring) + 1 if it is made for the enterprise's cluster
+ 0.5 if it is 小快轻准 and the enterprise is small or micro + 0.5 if a subsidy or cloud voucher
applies + 0.5 if it is meant for the enterprise's stage. A solution meant for stages more than
one above the enterprise's is left out. A solution that closes no gap and
serves no weak dimension is never recommended, however well it fits otherwise; a gap no eligible
solution closes is reported in ``uncovered``.
Provider score = its best solution's score + 1 if it serves the enterprise's town + 1 if it
specialises in the cluster. At most ``MAX_PER_PROVIDER`` solutions per provider, so one provider
does not fill the list while others fit.
Centre score = 4 for a 专业型 centre of the enterprise's cluster, + 2 if it serves the town,
+ 1 per unmet gate it helps with, + 0.5 per weak dimension; a 平台型 centre gets + 2 when a gap
is about platforms, cloud or data; a 标杆型 centre + 1 when the next stage is S2 or S3.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assessment.catalogue import (
    Catalogue,
    CentreType,
    EnablingCentre,
    ServiceProvider,
    Solution,
)
from assessment.classification import TOWNS
from assessment.localised import Localised, Named, join_list
from assessment.types import AssessmentResult, EnterpriseProfile, SizeClass, Task

WEIGHTS = {
    "gate": 3.0,
    "dimension": 1.0,
    "cluster_solution": 1.0,
    "light_fast_small": 0.5,
    "support": 0.5,
    "stage": 0.5,
    "provider_town": 1.0,
    "provider_cluster": 1.0,
    "centre_cluster": 4.0,
    "centre_town": 2.0,
    "centre_gate": 1.0,
    "centre_dimension": 0.5,
    "platform_gap": 2.0,
    "benchmark": 1.0,
}
MAX_PER_PROVIDER = 2
#: Besides the task list's dimensions, this many lowest-scoring dimensions count as weak.
WEAKEST_DIMENSIONS = 2
PLATFORM_GAPS = frozenset({"S2.DATA", "S2.BI", "S3.PLATFORM", "S3.DATAINNOV"})

#: Short names of the gaps, for reasons.
GAP_NAMES: dict[str, tuple[str, str]] = {
    "S1.SYSTEMS": ("业务环节信息系统", "information systems in the business links"),
    "S1.LEAD": ("数字化转型组织与负责人", "transformation leadership"),
    "S1.OFFICE": ("在线办公与线上营销", "online office work and sales"),
    "S2.INTEG": ("管理系统集成", "integration of management systems"),
    "S2.PROD": ("生产管控（MES）与自动化", "shop-floor control (MES) and automation"),
    "S2.DATA": ("设备联网与生产数据采集", "machine networking and production data collection"),
    "S2.BI": ("数据平台与决策分析", "data platform and decision analytics"),
    "S3.E2E": ("端到端与产业链集成", "end-to-end and supply-chain integration"),
    "S3.PLATFORM": ("工业互联网平台应用", "industrial internet platform use"),
    "S3.DATAINNOV": ("数据驱动的智能优化", "data-driven optimisation"),
    "S3.NEWMODEL": ("新模式新业态", "new business models"),
}
_TOWN_NAMES = {t.code: t.name for t in TOWNS}


def _town_name(code: str) -> Localised:
    """The town's name in both languages; an unknown code stands for itself in both."""
    return _TOWN_NAMES.get(code, Localised(code, code))


@dataclass(frozen=True)
class Match(Named):
    """One recommendation: a catalogue entry (``code``, its name), what ``kind`` of entry it is,
    its ``score`` (points, higher first; ``WEIGHTS``), the ``reasons`` that explain it, each in
    both languages, and for a solution the code of its ``provider``."""

    code: str
    name_zh: str
    name_en: str
    kind: Localised
    score: float
    reasons: tuple[Localised, ...]
    provider: str | None = None


@dataclass(frozen=True)
class Recommendations:
    centres: tuple[Match, ...]
    providers: tuple[Match, ...]
    solutions: tuple[Match, ...]
    #: Unmet gate codes that no eligible solution in the catalogue closes.
    uncovered: tuple[str, ...]


def _fits(values: frozenset, value: object) -> bool:  # type: ignore[type-arg]
    return not values or value in values


def _eligible(
    s: Solution,
    profile: EnterpriseProfile,
    result: AssessmentResult,
    providers: Mapping[str, ServiceProvider],
) -> bool:
    provider = providers.get(s.provider)
    return (
        not s.retired
        and provider is not None
        and not provider.retired
        and _fits(s.clusters, profile.cluster)
        and _fits(s.production_types, profile.production_type)
        and _fits(s.size_classes, profile.size_class)
        and (not s.stages or result.stage.stage >= min(s.stages) - 1)
    )


def _names(codes: Sequence[str], dim_names: Mapping[str, tuple[str, str]]) -> Localised:
    zh = [GAP_NAMES[c][0] if c in GAP_NAMES else dim_names.get(c, (c, c))[0] for c in codes]
    en = [GAP_NAMES[c][1] if c in GAP_NAMES else dim_names.get(c, (c, c))[1] for c in codes]
    return Localised(join_list(zh, "zh"), join_list(en, "en"))


def recommend(
    profile: EnterpriseProfile,
    result: AssessmentResult,
    tasks: Sequence[Task],
    catalogue: Catalogue,
    *,
    dimension_names: Mapping[str, tuple[str, str]] | None = None,
    max_centres: int = 3,
    max_providers: int = 4,
    max_solutions: int = 6,
) -> Recommendations:
    """Ranked centres, providers and solutions for the enterprise's gaps.

    Parameters
    ----------
    tasks : sequence of Task
        The task list; its dimensions are the "weak dimensions" solutions may serve.
    dimension_names : mapping, optional
        Dimension code -> (中文, English) for reasons; codes are shown when absent.
    """
    names = dimension_names or {}
    gates = [g.code for g in result.stage.unmet_next if g.code in GAP_NAMES]
    scores = result.scorecard.dimension_scores
    weakest = sorted(scores, key=lambda c: (scores[c], c))[:WEAKEST_DIMENSIONS]
    dims = list(dict.fromkeys([t.dimension for t in tasks] + weakest))
    providers = {p.code: p for p in catalogue.providers}
    small = profile.size_class in (SizeClass.SMALL, SizeClass.MICRO)

    scored: list[tuple[float, Solution, list[str], list[str]]] = []
    for s in catalogue.solutions:
        if not _eligible(s, profile, result, providers):
            continue
        closes = [g for g in gates if g in s.gates]
        serves = [d for d in dims if d in s.dimensions]
        if not closes and not serves:
            continue
        points = WEIGHTS["gate"] * len(closes) + WEIGHTS["dimension"] * len(serves)
        if s.clusters and profile.cluster in s.clusters:
            points += WEIGHTS["cluster_solution"]
        if s.light_fast and small:
            points += WEIGHTS["light_fast_small"]
        if s.subsidy_eligible or s.cloud_voucher:
            points += WEIGHTS["support"]
        if result.stage.stage in s.stages:
            points += WEIGHTS["stage"]
        scored.append((points, s, closes, serves))
    scored.sort(key=lambda x: (-x[0], x[1].code))

    covered = {g for _, _, closes, _ in scored for g in closes}
    uncovered = tuple(g for g in gates if g not in covered)

    solutions: list[Match] = []
    per_provider: dict[str, int] = {}
    best_by_provider: dict[str, tuple[float, Solution, list[str], list[str]]] = {}
    for entry in scored:
        points, s, closes, serves = entry
        best_by_provider.setdefault(s.provider, entry)
        if len(solutions) >= max_solutions or per_provider.get(s.provider, 0) >= MAX_PER_PROVIDER:
            continue
        per_provider[s.provider] = per_provider.get(s.provider, 0) + 1
        solutions.append(_solution_match(s, points, closes, serves, profile, names))

    provider_matches = sorted(
        (
            _provider_match(providers[code], entry, profile, names)
            for code, entry in best_by_provider.items()
        ),
        key=lambda m: (-m.score, m.code),
    )[:max_providers]
    centres = _rank_centres(catalogue.centres, profile, result, gates, dims, names)[:max_centres]
    return Recommendations(tuple(centres), tuple(provider_matches), tuple(solutions), uncovered)


def _solution_match(
    s: Solution,
    points: float,
    closes: list[str],
    serves: list[str],
    profile: EnterpriseProfile,
    names: Mapping[str, tuple[str, str]],
) -> Match:
    gaps = _names(closes or serves, names)
    reasons = [Localised(f"针对您的差距：{gaps.zh}", f"addresses your gap in {gaps.en}")]
    if s.clusters and profile.cluster in s.clusters:
        cluster = profile.cluster.label
        reasons.append(Localised(f"面向{cluster.zh}行业", f"made for {cluster.en}"))
    if s.light_fast:
        reasons.append(Localised("“小快轻准”产品", "a light, fast, low-cost product"))
    if s.cloud_voucher:
        reasons.append(Localised("可使用上云服务券", "cloud vouchers apply"))
    kind = Localised("解决方案", "Solution")
    return Match(s.code, s.name_zh, s.name_en, kind, points, tuple(reasons), provider=s.provider)


def _provider_match(
    p: ServiceProvider,
    entry: tuple[float, Solution, list[str], list[str]],
    profile: EnterpriseProfile,
    names: Mapping[str, tuple[str, str]],
) -> Match:
    points, s, closes, serves = entry
    gaps = _names(closes or serves, names)
    reasons = [
        Localised(
            f"覆盖您在{gaps.zh}方面的差距（{s.name_zh}）",
            f"covers your gap in {gaps.en} ({s.name_en})",
        )
    ]
    if p.towns and profile.town in p.towns:
        town = _town_name(profile.town)
        points += WEIGHTS["provider_town"]
        reasons.append(Localised(f"在{town.zh}提供服务", f"serves {town.en}"))
    if p.clusters and profile.cluster in p.clusters:
        points += WEIGHTS["provider_cluster"]
        cluster = profile.cluster.label
        reasons.append(Localised(f"专注{cluster.zh}行业", f"specialises in {cluster.en}"))
    kinds = [t.label for t in sorted(p.provider_types, key=lambda t: t.value)]
    kind = Localised("、".join(k.zh for k in kinds), ", ".join(k.en for k in kinds))
    return Match(p.code, p.name_zh, p.name_en, kind, points, tuple(reasons))


def _rank_centres(
    centres: Sequence[EnablingCentre],
    profile: EnterpriseProfile,
    result: AssessmentResult,
    gates: list[str],
    dims: list[str],
    names: Mapping[str, tuple[str, str]],
) -> list[Match]:
    matches = []
    next_stage = result.stage.stage.next
    for c in centres:
        if c.retired or not _fits(c.clusters, profile.cluster):
            continue
        points = 0.0
        reasons: list[Localised] = []
        if c.centre_type == CentreType.SPECIALISED and profile.cluster in c.clusters:
            points += WEIGHTS["centre_cluster"]
            cluster = profile.cluster.label
            reasons.append(
                Localised(
                    f"专业服务{cluster.zh}产业集群", f"specialised in the {cluster.en} cluster"
                )
            )
        if c.towns and profile.town in c.towns:
            town = _town_name(profile.town)
            points += WEIGHTS["centre_town"]
            reasons.append(Localised(f"服务{town.zh}的企业", f"serves enterprises in {town.en}"))
        helps = [g for g in gates if g in c.gates]
        serves = [d for d in dims if d in c.dimensions]
        points += WEIGHTS["centre_gate"] * len(helps) + WEIGHTS["centre_dimension"] * len(serves)
        if helps or serves:
            gaps = _names(helps or serves, names)
            reasons.append(Localised(f"可协助解决：{gaps.zh}", f"helps with {gaps.en}"))
        if c.centre_type == CentreType.PLATFORM:
            if set(gates) & PLATFORM_GAPS or "INF" in dims:
                points += WEIGHTS["platform_gap"]
            reasons.append(
                Localised("提供平台、上云和数据服务", "offers platform, cloud and data services")
            )
        if c.centre_type == CentreType.BENCHMARK:
            if next_stage is not None and next_stage >= 2:
                points += WEIGHTS["benchmark"]
            reasons.append(
                Localised("可组织标杆企业参观学习", "arranges visits to benchmark factories")
            )
        matches.append(
            Match(c.code, c.name_zh, c.name_en, c.centre_type.label, points, tuple(reasons))
        )
    return sorted(matches, key=lambda m: (-m.score, m.code))
