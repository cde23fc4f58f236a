"""Aggregates for government reports, computed in the database (GROUP BY), never per enterprise.

Every figure comes with the number of enterprises behind it so that ``reports.suppression``
can hide small cells before anything is shown or downloaded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Float, case, cast, func, select
from sqlalchemy.orm import aliased

from assessment.classification import TOWNS
from assessment.plan_targets import CLOUD, INTEGRATED, PLAN_TARGETS, SUPPLY_CHAIN
from assessment.types import IndustryCluster, ProductionType, SizeClass, Stage
from models import Assessment, DimensionScore, Enterprise, in_force, superseded_ids
from reports.i18n import gettext_for
from reports.suppression import DEFAULT_K, suppress
from webapp.extensions import cache, db
from webapp.registries import instruments
from webapp.services.round_versions import round_version
from webapp.services.snapshots import submitted_profile

STAGES = [s.code for s in Stage]
#: Breakdowns by the profile as submitted (``snapshots.submitted_profile``), never the
#: enterprise's current profile (review finding 7).
BREAKDOWNS = {
    kind: column
    for kind, column in submitted_profile().items()
    if kind in ("town", "cluster", "size_class", "production_type")
}


def _submitted(round_code: str) -> list[Any]:
    """The round's assessments in force: submitted, and not superseded by a correction."""
    return [Assessment.round_code == round_code, in_force()]


def _label(kind: str, code: str, lang: str) -> str:
    if kind == "town":
        town = next((t for t in TOWNS if t.code == code), None)
        return town.name.for_locale(lang) if town else code
    enum = {"cluster": IndustryCluster, "size_class": SizeClass, "production_type": ProductionType}[
        kind
    ]
    return enum(code).label.for_locale(lang)


@dataclass(frozen=True)
class BreakdownRow:
    code: str
    label: str
    counts: dict[str, int | None]  # stage -> count, None when suppressed
    total: int | None
    mean_index: float | None


@dataclass(frozen=True)
class Breakdown:
    kind: str
    rows: list[BreakdownRow]
    totals: dict[str, int | None]
    grand_total: int | None
    suppressed: int


@dataclass(frozen=True)
class Dashboard:
    round_code: str
    k: int
    assessed: int
    above_scale_registered: int
    above_scale_assessed: int
    mean_index: float | None
    median_index: float | None
    stage_counts: dict[str, int]
    #: dimension code -> mean dimension score (0-100), in the instrument's dimension order
    dimension_means: dict[str, float]
    breakdowns: dict[str, Breakdown] = field(default_factory=dict)
    cross: Breakdown | None = None
    targets: list[dict[str, Any]] = field(default_factory=list)
    compare_round: str | None = None
    trend: dict[str, Breakdown] = field(default_factory=dict)
    #: dimension code -> its name in the report's language (from the current instrument)
    dimension_labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Fact:
    """One cell of a round's fact table: the submitted assessments of one combination of
    enterprise profile and stage, with their index sum and plan-target hits."""

    town: str
    cluster: str
    size_class: str
    production_type: str
    above_scale: bool
    stage: str
    n: int
    index_sum: float
    # assessments meeting each indicator of assessment.plan_targets
    integrated: int  # INT-01 at L3 or above (systems integrated)
    supply_chain: int  # MGT-04 at L2 or above (supply-chain management system)
    cloud: int  # INF-02 at L2 or above (business systems on the cloud)


def _hits(flag: Any) -> Any:
    """How many of the group's assessments meet a plan-target indicator (stored at submit)."""
    return func.sum(case((flag.is_(True), 1), else_=0))


def _facts(round_code: str) -> list[_Fact]:
    """The round's submitted assessments counted by town, cluster, size class, production type,
    above-scale flag and stage in one GROUP BY; every breakdown, the cross table, the stage
    counts, the mean and the plan targets are added up from it (a few thousand rows at most)."""
    submitted = submitted_profile()
    profile = (
        submitted["town"],
        submitted["cluster"],
        submitted["size_class"],
        submitted["production_type"],
        submitted["above_scale"],
        Assessment.stage,
    )
    rows = db.session.execute(
        select(
            *profile,
            func.count(),
            func.sum(Assessment.maturity_index),
            _hits(Assessment.plan_integrated),
            _hits(Assessment.plan_supply_chain),
            _hits(Assessment.plan_cloud),
        )
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(*_submitted(round_code))
        .group_by(*profile)
    ).all()
    return [
        _Fact(
            r[0],
            r[1],
            r[2],
            r[3],
            bool(r[4]),
            r[5] or "S0",
            int(r[6]),
            float(r[7] or 0.0),
            int(r[8] or 0),
            int(r[9] or 0),
            int(r[10] or 0),
        )
        for r in rows
    ]


#: Groups with a natural order (size classes from large to micro); others sort by code.
_NATURAL_ORDER = {"size_class": [c.value for c in SizeClass]}


def _group_order(kind: str, code: str) -> tuple[int, str]:
    order = _NATURAL_ORDER.get(kind, [])
    return (order.index(code) if code in order else len(order), code)


def _suppressed(
    kind: str,
    label_kind: str,
    counts: Mapping[tuple[str, str], int],
    columns: Sequence[str],
    lang: str,
    k: int,
    index_sum: Mapping[str, float] | None = None,
) -> Breakdown:
    """Counts by (group, column) as a suppressed ``Breakdown``; the mean index of a group is
    published only where its total is."""
    groups = sorted({g for g, _ in counts}, key=lambda g: _group_order(label_kind, g))
    table = (
        suppress([[counts.get((g, c), 0) for c in columns] for g in groups], k) if groups else None
    )
    rows = []
    for i, g in enumerate(groups):
        assert table is not None
        total = table.row_totals[i]
        shown = not table.row_hidden[i]
        rows.append(
            BreakdownRow(
                code=g,
                label=_label(label_kind, g, lang),
                counts={
                    c: None if table.hidden[i][j] else table.cells[i][j]
                    for j, c in enumerate(columns)
                },
                total=total if shown else None,
                mean_index=round(index_sum[g] / total, 1)
                if index_sum and shown and total
                else None,
            )
        )
    totals: dict[str, int | None] = (
        {c: None if table.col_hidden[j] else table.col_totals[j] for j, c in enumerate(columns)}
        if table
        else {c: 0 for c in columns}
    )
    return Breakdown(
        kind,
        rows,
        totals,
        (None if table.grand_hidden else table.grand_total) if table else 0,
        (table.primary + table.secondary) if table else 0,
    )


def stage_breakdown(facts: Sequence[_Fact], kind: str, lang: str, k: int = DEFAULT_K) -> Breakdown:
    """Enterprises per stage by ``kind`` (town, cluster, size class, production type), with
    primary and secondary suppression and the group's mean index."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    index_sum: dict[str, float] = defaultdict(float)
    for f in facts:
        group = getattr(f, kind)
        counts[(group, f.stage)] += f.n
        index_sum[group] += f.index_sum
    return _suppressed(kind, kind, counts, STAGES, lang, k, index_sum)


def cross_town_cluster(facts: Sequence[_Fact], lang: str, k: int = DEFAULT_K) -> Breakdown:
    """Enterprises assessed by town x cluster, suppressed."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for f in facts:
        counts[(f.town, f.cluster)] += f.n
    return _suppressed(
        "town_x_cluster", "town", counts, [c.value for c in IndustryCluster], lang, k
    )


def plan_targets(facts: Sequence[_Fact], lang: str) -> list[dict[str, Any]]:
    """``assessment.plan_targets.PLAN_TARGETS`` computed from the stored answers: per target
    its name, definition and source in ``lang``, the target (%), the population ``n`` and the
    share meeting it (%, one decimal; None below ``DEFAULT_K``)."""
    registered = (
        db.session.scalar(select(func.count(Enterprise.id)).where(Enterprise.above_scale)) or 0
    )
    large_medium = [
        f for f in facts if f.size_class in (SizeClass.LARGE.value, SizeClass.MEDIUM.value)
    ]
    everyone = sum(f.n for f in facts)
    counts = {  # target key -> (meeting it, population)
        "above_scale_coverage": (sum(f.n for f in facts if f.above_scale), registered),
        INTEGRATED.key: (sum(f.integrated for f in large_medium), sum(f.n for f in large_medium)),
        SUPPLY_CHAIN.key: (sum(f.supply_chain for f in facts), everyone),
        CLOUD.key: (sum(f.cloud for f in facts), everyone),
    }
    rows = []
    for target in PLAN_TARGETS:
        hits, n = counts[target.key]
        name, definition, source = target.texts(lang)
        rows.append(
            {
                "name": name,
                "value": round(100 * hits / n, 1) if n >= DEFAULT_K else None,
                "n": n,
                "target": target.target_pct,
                "definition": definition,
                "source": source,
            }
        )
    return rows


def _median_index(round_code: str, n: int) -> float | None:
    """Median of the round's index, found in the database with ORDER BY ... LIMIT/OFFSET."""
    if n == 0:
        return None
    ordered = (
        select(Assessment.maturity_index)
        .where(*_submitted(round_code))
        .order_by(Assessment.maturity_index)
    )
    middle = [
        v
        for v in db.session.scalars(ordered.offset((n - 1) // 2).limit(2 - n % 2))
        if v is not None
    ]
    return round(sum(middle) / len(middle), 1)


#: How long an unchanged round's dashboard figures stay cached (seconds).
CACHE_SECONDS = 600


def dashboard(
    round_code: str, lang: str, k: int = DEFAULT_K, compare_round: str | None = None
) -> Dashboard:
    """All figures of the government dashboard for a round (and moves since ``compare_round``).

    Computed once per version of the rounds involved (``round_versions.round_version``) and
    cached, so the dashboard, its downloads and every officer share one computation until an
    assessment of either round is submitted, corrected or re-scored.
    """
    versions = (round_version(round_code), round_version(compare_round) if compare_round else None)
    return _dashboard(round_code, lang, k, compare_round, versions)


@cache.memoize(timeout=CACHE_SECONDS)
def _dashboard(
    round_code: str, lang: str, k: int, compare_round: str | None, versions: object
) -> Dashboard:
    facts = _facts(round_code)
    stage_counts = {s: sum(f.n for f in facts if f.stage == s) for s in STAGES}
    assessed = sum(stage_counts.values())
    mean: float | None = sum(f.index_sum for f in facts) / assessed if assessed else None
    # Only submitted assessments have dimension scores: "in force" is "not superseded" here.
    dims: dict[str, float | None] = dict(
        db.session.execute(
            select(DimensionScore.dimension, cast(func.avg(DimensionScore.score), Float))
            .where(
                DimensionScore.round_code == round_code,
                DimensionScore.assessment_id.not_in(superseded_ids()),
            )
            .group_by(DimensionScore.dimension)
        ).all()
    )
    above = db.session.scalar(select(func.count(Enterprise.id)).where(Enterprise.above_scale)) or 0
    median = _median_index(round_code, assessed)
    instrument = instruments().current()
    if assessed < k:  # too few to publish even region-wide figures
        mean, dims, median = None, {}, None
    return Dashboard(
        round_code=round_code,
        k=k,
        assessed=assessed,
        above_scale_registered=above,
        above_scale_assessed=sum(f.n for f in facts if f.above_scale),
        mean_index=round(mean, 1) if mean is not None else None,
        median_index=median,
        stage_counts=stage_counts,
        dimension_means={
            d.code: round(mean_score, 1)
            for d in instrument.dimensions
            if (mean_score := dims.get(d.code)) is not None
        },
        dimension_labels={d.code: d.name.for_locale(lang) for d in instrument.dimensions},
        breakdowns={kind: stage_breakdown(facts, kind, lang, k) for kind in BREAKDOWNS},
        cross=cross_town_cluster(facts, lang, k),
        targets=plan_targets(facts, lang),
        compare_round=compare_round,
        trend=stage_moves(round_code, compare_round, lang, k) if compare_round else {},
    )


def breakdown_table(
    b: Breakdown, columns: list[str], with_mean: bool, lang: str = "zh"
) -> tuple[list[str], list[list[object]]]:
    """A breakdown as header + rows for CSV, Excel and PDF tables, headers in ``lang``.

    The first column keeps the group's code (stable for machines); stage columns are the stage
    codes, cluster columns the cluster names; suppressed cells are written as "x".
    """
    _ = gettext_for(lang)
    named = {c.value: c.label.for_locale(lang) for c in IndustryCluster}
    headers = [
        _("代码"),
        _("名称"),
        *(named.get(c, c) for c in columns),
        _("合计"),
    ] + ([_("平均成熟度指数")] if with_mean else [])
    mark = "x"
    rows: list[list[object]] = []
    for r in b.rows:
        row: list[object] = [r.code, r.label]
        row += [mark if r.counts.get(c) is None else r.counts[c] for c in columns]
        row.append(mark if r.total is None else r.total)
        if with_mean:
            row.append(mark if r.mean_index is None else r.mean_index)
        rows.append(row)
    total_row: list[object] = ["total", _("合计")]
    total_row += [mark if b.totals.get(c) is None else b.totals[c] for c in columns]
    total_row.append(mark if b.grand_total is None else b.grand_total)
    if with_mean:
        total_row.append("")
    rows.append(total_row)
    return headers, rows


def stage_moves(
    round_code: str, compare_round: str, lang: str, k: int = DEFAULT_K
) -> dict[str, Breakdown]:
    """Enterprises assessed in both rounds: how many moved up a stage, stayed, or moved down, by
    cluster, size class and town (one GROUP BY over a self-join), suppressed like every table."""
    now, before = aliased(Assessment), aliased(Assessment)
    moved = case((now.stage > before.stage, "up"), (now.stage < before.stage, "down"), else_="same")
    submitted = submitted_profile(now)
    groups = (submitted["cluster"], submitted["size_class"], submitted["town"])
    rows = db.session.execute(
        select(*groups, moved, func.count())
        .select_from(now)
        .join(
            before,
            (before.enterprise_id == now.enterprise_id) & (before.round_code == compare_round),
        )
        .join(Enterprise, Enterprise.id == now.enterprise_id)
        .where(now.round_code == round_code, in_force(now), in_force(before))
        .group_by(*groups, moved)
    ).all()
    out = {}
    for i, kind in enumerate(("cluster", "size_class", "town")):
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for row in rows:
            counts[(row[i], row[3])] += row[4]
        out[kind] = _suppressed(f"moves_{kind}", kind, counts, ["up", "same", "down"], lang, k)
    return out
