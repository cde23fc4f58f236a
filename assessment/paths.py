"""Transformation paths (转型路径): which way a firm went, not how far.

Two views, side by side:

- **Rule-based path labels** (:func:`path_of`), read from the answers of instrument dmi v2 and
  named in absolute terms, so a label means the same thing in every round. The five paths are the
  segments a consultant reads off the answers in the domain review (§4 "rule-based path segments
  tied to service packages", with the firm profiles of §2.3: C front office first, D equipment
  first, B organisation bottleneck, E order-driven integration), and the thresholds are MIIT
  2024's own scenario level descriptors (L2 = an information system manages the link, L3 = it
  works with other systems) and equipment bands (数字化率, 联网率) in 中小企业数字化水平评测指标
  (2024年版) (research notes, maturity-models §2). Each path maps to one service package
  (``assessment.packages``).
- **Statistical path segments** (:func:`fit_path_model`): k-means on each firm's profile *shape*
  (its scenario-group levels, integration, organisation and equipment figures minus its own
  mean, :func:`profile_of` and :func:`shape_matrix`), so firms
  of any level that went the same way fall together. The fit is ``clustering.fit_peer_model``'s
  (k by silhouette, bootstrap ARI for stability); each segment is named by the rule-based path
  most of its members follow, never by its position against the round's mean.

:func:`eta_squared` measures how much of the maturity index a segmentation explains: the
level-driven personas explain 0.86 of it on the synthetic cohort (domain review §4); path
segments should explain far less.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from assessment.clustering import K_RANGE, fit_peer_model
from assessment.localised import Localised
from assessment.stages_v2 import SCENARIO_ITEMS, SHOP_FLOOR_LINKS
from assessment.types import Answer, Responses

#: Front office (营销, 采购, 仓储, 财务, 人力, 办公, 决策) and shop floor (计划, 生产, 质量, 设备)
#: scenarios, grouped as MIIT 2024 groups its 16 scenarios (maturity-models §2).
FRONT_OFFICE = ("OPS-03", "OPS-11", "OPS-12", "OPS-13", "OPS-14", "OPS-15", "OPS-16")
SHOP_FLOOR = ("OPS-05", "OPS-06", "OPS-07", "OPS-08")
#: The order-to-production chain: sales and orders, planning, production control.
ORDER_CHAIN = ("OPS-03", "OPS-05", "OPS-06")


class PathCode(StrEnum):
    """A rule-based transformation path; ``BALANCED`` when no path rule holds."""

    ISLANDS = "islands"
    FRONT_OFFICE = "front_office"
    EQUIPMENT_FIRST = "equipment_first"
    ORGANISATION = "organisation"
    ORDER_DRIVEN = "order_driven"
    BALANCED = "balanced"


@dataclass(frozen=True)
class PathRule:
    """A path's fixed name, the rule in words and where the rule comes from."""

    code: PathCode
    name: Localised
    rule: Localised
    source: str


_MIIT = "中小企业数字化水平评测指标（2024年版）经营场景 L1-L4 描述与设备数字化率、联网率分档"
#: The rules in the order :func:`path_of` tries them (the first that holds names the path).
PATH_RULES: tuple[PathRule, ...] = (
    PathRule(
        PathCode.ORDER_DRIVEN,
        Localised("订单驱动集成", "Order-driven integration"),
        Localised(
            "销售订单、生产计划和生产管控都达到 L3（系统间协同），其他环节尚未跟上",
            "Orders, planning and production control at L3 (systems working together) "
            "while other links lag",
        ),
        f"domain review §2.3 firm E and §4 (E); {_MIIT}: L3 = 与其他系统协同",
    ),
    PathRule(
        PathCode.ISLANDS,
        Localised("信息孤岛", "Islands of systems"),
        Localised(
            "至少 4 个环节已用系统规范管理（L2），但系统之间不通（INT-01 ≤ L1）",
            "Systems manage at least 4 links (L2), but they do not exchange data (INT-01 ≤ L1)",
        ),
        f"domain review §4 (many L2 systems, INT-01 ≤ L1); {_MIIT}: L2 = 信息系统规范化管理",
    ),
    PathRule(
        PathCode.EQUIPMENT_FIRST,
        Localised("设备先行、数据盲", "Equipment first, data blind"),
        Localised(
            "至少 40% 的设备已数字化，但联网不足 20%，车间数据未自动采集",
            "At least 40% of machines are digital but under 20% are networked, and no "
            "shop-floor data is collected automatically",
        ),
        f"domain review §2.3 firm D and §4 (D: automated, 10% networked); {_MIIT}",
    ),
    PathRule(
        PathCode.FRONT_OFFICE,
        Localised("前台先行", "Front office first"),
        Localised(
            "销售和订单已用系统管理（L2 及以上），车间四个场景都还在 L1 及以下",
            "Sales and orders run on a system (L2 or above) while all four shop-floor "
            "scenarios are at L1 or below",
        ),
        f"domain review §2.3 firm C and §4 (C); {_MIIT}",
    ),
    PathRule(
        PathCode.ORGANISATION,
        Localised("组织瓶颈", "Organisation bottleneck"),
        Localised(
            "至少 3 个环节已用系统管理，但没有指定数字化负责人（MGM-03 ≤ L1），也未开始改造项目"
            "（MGM-01 ≤ L2）",
            "Systems manage at least 3 links, but nobody leads the transformation (MGM-03 ≤ "
            "L1) and no project has started (MGM-01 ≤ L2)",
        ),
        "domain review §2.3 firm B and §4 (B); MIIT 2024 数字化管理: 规划实施, 要素保障",
    ),
    PathRule(
        PathCode.BALANCED,
        Localised("均衡推进", "Balanced"),
        Localised(
            "没有一条路径规则成立：各环节大体同步", "No path rule holds: the links move together"
        ),
        "no rule (the remainder)",
    ),
)
RULES_BY_CODE: Mapping[PathCode, PathRule] = {r.code: r for r in PATH_RULES}


def level(answer: Answer | None) -> int:
    """The level 0-5 of a single-choice answer "L0".."L5"; anything else ("na", unanswered) 0."""
    if isinstance(answer, str) and len(answer) == 2 and answer[0] == "L" and answer[1].isdigit():
        return int(answer[1])
    return 0


def _share(responses: Responses, numerator: str, denominator: str) -> float | None:
    top, bottom = responses.get(numerator), responses.get(denominator)
    if isinstance(top, int | float) and isinstance(bottom, int | float) and bottom > 0:
        return float(top) / float(bottom)
    return None


def path_of(responses: Responses) -> PathCode:
    """The rule-based path of a dmi-v2 response set (rules and sources: :data:`PATH_RULES`,
    tried in that order). Never raises: missing answers count as level 0, so a v1 response
    set or an empty one is ``BALANCED``."""
    scenario = {code: level(responses.get(code)) for code in SCENARIO_ITEMS}
    at_two = sum(v >= 2 for v in scenario.values())
    if all(scenario[c] >= 3 for c in ORDER_CHAIN) and sum(v >= 3 for v in scenario.values()) < 8:
        return PathCode.ORDER_DRIVEN
    if at_two >= 4 and level(responses.get("INT-01")) <= 1:
        return PathCode.ISLANDS
    digital = _share(responses, "FND-03", "FND-02")
    networked = _share(responses, "FND-04", "FND-02")
    collected = responses.get("FND-05")
    shop_data = isinstance(collected, tuple) and bool(SHOP_FLOOR_LINKS & set(collected))
    if digital is not None and networked is not None:
        if digital >= 0.4 and networked < 0.2 and not shop_data:
            return PathCode.EQUIPMENT_FIRST
    if scenario["OPS-03"] >= 2 and max(scenario[c] for c in SHOP_FLOOR) <= 1:
        return PathCode.FRONT_OFFICE
    if at_two >= 3 and level(responses.get("MGM-03")) <= 1 and level(responses.get("MGM-01")) <= 2:
        return PathCode.ORGANISATION
    return PathCode.BALANCED


@dataclass(frozen=True)
class ProfileColumn:
    """One column of a firm's path profile (0-100): scenario groups as MIIT 2024 groups its 16
    scenarios (level x 25, mean over the group), integration (INT-01/04/05), management
    (MGM-01 x 20, MGM-03 x 25, MGM-04 share of measures), and the equipment and data figures
    MIIT bands (设备数字化率, 设备联网率, share of the 14 links collected automatically)."""

    code: str
    name: Localised


PROFILE_COLUMNS: tuple[ProfileColumn, ...] = (
    ProfileColumn("design", Localised("研发设计", "Design")),
    ProfileColumn("market", Localised("营销服务", "Sales and service")),
    ProfileColumn("office", Localised("经营管理", "Back office")),
    ProfileColumn("shop", Localised("生产执行", "Shop floor")),
    ProfileColumn("order", Localised("订单到生产", "Order to production")),
    ProfileColumn("integ", Localised("系统集成", "Integration")),
    ProfileColumn("mgmt", Localised("组织保障", "Organisation")),
    ProfileColumn("digital", Localised("设备数字化", "Digital machines")),
    ProfileColumn("networked", Localised("设备联网", "Networked machines")),
    ProfileColumn("collected", Localised("数据自动采集", "Automatic data")),
)
_GROUPS: Mapping[str, tuple[str, ...]] = {
    "design": ("OPS-01", "OPS-02"),
    "market": ("OPS-03", "OPS-04"),
    "office": FRONT_OFFICE[1:],
    "shop": (*SHOP_FLOOR, "OPS-09", "OPS-10"),
    "order": ORDER_CHAIN,
    "integ": ("INT-01", "INT-04", "INT-05"),
}
#: FND-05 lists 14 business links (MIIT 2024 数据采集).
_LINKS = 14


def _chosen(answer: Answer | None) -> int:
    return len(set(answer) - {"none"}) if isinstance(answer, tuple) else 0


def profile_of(responses: Responses) -> tuple[float, ...]:
    """A firm's path profile: one value 0-100 per :data:`PROFILE_COLUMNS` column, read from
    dmi-v2 answers (missing answers count 0). Never raises."""
    values = [
        25.0 * sum(level(responses.get(c)) for c in codes) / len(codes)
        for codes in _GROUPS.values()
    ]
    management = (
        20.0 * level(responses.get("MGM-01"))
        + 25.0 * level(responses.get("MGM-03"))
        + 100.0 * _chosen(responses.get("MGM-04")) / 5
    ) / 3
    digital = _share(responses, "FND-03", "FND-02")
    networked = _share(responses, "FND-04", "FND-02")
    collected = 100.0 * _chosen(responses.get("FND-05")) / _LINKS
    values += [management, 100.0 * (digital or 0.0), 100.0 * (networked or 0.0), collected]
    return tuple(round(min(max(v, 0.0), 100.0), 2) for v in values)


def shape_matrix(x: np.ndarray) -> np.ndarray:
    """Each row minus its own mean: shape (n, m) in, same shape out (points 0-100 about 0). A
    firm's level drops out; what is left is where it is ahead of and behind itself."""
    x = np.asarray(x, dtype=np.float64)
    shaped: np.ndarray = x - x.mean(axis=1, keepdims=True)
    return shaped


def eta_squared(values: Sequence[float] | np.ndarray, labels: Sequence[int] | np.ndarray) -> float:
    """Share of the variance of ``values`` explained by the groups ``labels`` (η², between-group
    sum of squares over total), in [0, 1]; 0 for constant values.

    Raises
    ------
    ValueError
        ``values`` and ``labels`` differ in length or are empty.
    """
    v = np.asarray(values, dtype=np.float64)
    g = np.asarray(labels)
    if len(v) != len(g) or len(v) == 0:
        raise ValueError("values and labels must be non-empty and of one length")
    total = float(((v - v.mean()) ** 2).sum())
    if total == 0.0:
        return 0.0
    between = sum(
        float((g == k).sum()) * (float(v[g == k].mean()) - float(v.mean())) ** 2
        for k in np.unique(g)
    )
    return between / total


@dataclass(frozen=True)
class Segment:
    """One statistical path segment: ``size`` firms, ``profile`` the members' mean shape (points
    above or below their own mean, by column), ``path`` the rule-based path most members follow
    and ``path_share`` its share of the members (0-1), ``path_mix`` every path's count."""

    label: int
    size: int
    profile: dict[str, float]
    path: PathCode
    path_share: float
    path_mix: dict[str, int]


@dataclass(frozen=True)
class PathModel:
    """Path segments of one cohort: the segments, each row's segment (input order), k, the
    silhouette of each k tried, bootstrap stability (mean ARI) and η² of the index given the
    segment (None when no index was given)."""

    columns: tuple[str, ...]
    segments: tuple[Segment, ...]
    labels: tuple[int, ...]
    k: int
    silhouette_by_k: dict[int, float]
    stability_ari: float
    eta_squared_index: float | None


def fit_path_model(
    x: np.ndarray,
    columns: Sequence[str],
    paths: Sequence[PathCode],
    *,
    index: Sequence[float] | None = None,
    k_range: Sequence[int] = K_RANGE,
    random_state: int = 0,
) -> PathModel:
    """Cluster firms by profile shape and name each segment by its members' main path.

    Parameters
    ----------
    x : ndarray of shape (n, len(columns))
        Profiles 0-100 (:func:`profile_of`; ``columns`` their codes).
    paths : sequence of PathCode, length n
        Each firm's rule-based path (:func:`path_of`).
    index : sequence of float, optional
        Each firm's maturity index (0-100), for :attr:`PathModel.eta_squared_index`.

    Raises
    ------
    ValueError
        As ``clustering.fit_peer_model`` (too few rows, no separation), or ``paths`` of
        another length than ``x``.
    """
    if len(paths) != len(x):
        raise ValueError("one rule-based path per row is needed")
    shaped = shape_matrix(x)
    model = fit_peer_model(shaped, columns, k_range=k_range, random_state=random_state)
    labels = np.array(model.labels)
    segments = []
    for label in range(model.k):
        members = labels == label
        mix = Counter(p for p, m in zip(paths, members, strict=True) if m)
        main, count = (
            max(mix.items(), key=lambda kv: (kv[1], kv[0] != PathCode.BALANCED))
            if mix
            else (PathCode.BALANCED, 0)
        )
        size = int(members.sum())
        profile = shaped[members].mean(axis=0) if size else np.zeros(len(columns))
        segments.append(
            Segment(
                label,
                size,
                {c: round(float(v), 1) for c, v in zip(columns, profile, strict=True)},
                PathCode(main),
                round(count / size, 3) if size else 0.0,
                {str(p): n for p, n in sorted(mix.items())},
            )
        )
    eta = round(eta_squared(index, labels), 4) if index is not None else None
    return PathModel(
        columns=tuple(columns),
        segments=tuple(segments),
        labels=model.labels,
        k=model.k,
        silhouette_by_k=model.silhouette_by_k,
        stability_ari=model.stability_ari,
        eta_squared_index=eta,
    )
