"""Aggregates for government reports, computed in the database (GROUP BY), never per enterprise.

Every figure comes with the number of enterprises behind it so that ``reports.suppression``
can hide small cells before anything is shown or downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Float, case, cast, func, select

from assessment.classification import TOWNS
from assessment.instrument import current_instrument
from assessment.types import IndustryCluster, ProductionType, SizeClass, Stage
from models import Assessment, DimensionScore, Enterprise, in_force
from reports.labels import labels
from reports.suppression import DEFAULT_K, suppress
from webapp.extensions import cache, db
from webapp.services.round_versions import round_version

STAGES = [s.code for s in Stage]
BREAKDOWNS = {
    "town": Enterprise.town,
    "cluster": Enterprise.cluster,
    "size_class": Enterprise.size_class,
    "production_type": Enterprise.production_type,
}


def _submitted(round_code: str) -> list[Any]:
    """The round's assessments in force: submitted, and not superseded by a correction."""
    return [Assessment.round_code == round_code, in_force()]


def _label(kind: str, code: str, lang: str) -> str:
    if kind == "town":
        town = next((t for t in TOWNS if t.code == code), None)
        return (town.name_en if lang == "en" else town.name_zh) if town else code
    enum = {"cluster": IndustryCluster, "size_class": SizeClass, "production_type": ProductionType}[
        kind
    ]
    value = enum(code)
    return value.label_en if lang == "en" else value.label_zh


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


def stage_breakdown(round_code: str, kind: str, lang: str, k: int = DEFAULT_K) -> Breakdown:
    """Enterprises per stage by ``kind`` (one GROUP BY), with primary and secondary suppression;
    mean index is published only where the group's total is."""
    column = BREAKDOWNS[kind]
    rows = db.session.execute(
        select(column, Assessment.stage, func.count(), func.avg(Assessment.maturity_index))
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(*_submitted(round_code))
        .group_by(column, Assessment.stage)
    ).all()
    groups = sorted({r[0] for r in rows})
    counts = {(g, s): 0 for g in groups for s in STAGES}
    index_sum: dict[str, float] = {}
    for group, stage, n, mean in rows:
        counts[(group, stage)] = n
        index_sum[group] = index_sum.get(group, 0.0) + (mean or 0.0) * n
    table = suppress([[counts[(g, s)] for s in STAGES] for g in groups], k) if groups else None
    out_rows = []
    for i, g in enumerate(groups):
        assert table is not None
        total = table.row_totals[i]
        out_rows.append(
            BreakdownRow(
                code=g, label=_label(kind, g, lang),
                counts={s: None if table.hidden[i][j] else table.cells[i][j] for j, s in enumerate(STAGES)},
                total=None if table.row_hidden[i] else total,
                mean_index=None if table.row_hidden[i] or not total else round(index_sum[g] / total, 1),
            )
        )  # fmt: skip
    totals = (
        {s: None if table.col_hidden[j] else table.col_totals[j] for j, s in enumerate(STAGES)}
        if table else {s: 0 for s in STAGES}
    )  # fmt: skip
    return Breakdown(kind, out_rows, totals,
                     (None if table.grand_hidden else table.grand_total) if table else 0,
                     (table.primary + table.secondary) if table else 0)  # fmt: skip


def cross_town_cluster(round_code: str, lang: str, k: int = DEFAULT_K) -> Breakdown:
    """Enterprises assessed by town x cluster, suppressed."""
    rows = db.session.execute(
        select(Enterprise.town, Enterprise.cluster, func.count())
        .join(Assessment, Assessment.enterprise_id == Enterprise.id)
        .where(*_submitted(round_code))
        .group_by(Enterprise.town, Enterprise.cluster)
    ).all()
    towns = sorted({r[0] for r in rows})
    clusters = [c.value for c in IndustryCluster]
    counts = {(t, c): 0 for t in towns for c in clusters}
    for town, cluster, n in rows:
        counts[(town, cluster)] = n
    table = suppress([[counts[(t, c)] for c in clusters] for t in towns], k) if towns else None
    out = []
    for i, t in enumerate(towns):
        assert table is not None
        out.append(BreakdownRow(
            code=t, label=_label("town", t, lang),
            counts={c: None if table.hidden[i][j] else table.cells[i][j] for j, c in enumerate(clusters)},
            total=None if table.row_hidden[i] else table.row_totals[i], mean_index=None,
        ))  # fmt: skip
    totals = (
        {c: None if table.col_hidden[j] else table.col_totals[j] for j, c in enumerate(clusters)}
        if table else {}
    )  # fmt: skip
    return Breakdown("town_x_cluster", out, totals,
                     (None if table.grand_hidden else table.grand_total) if table else 0,
                     (table.primary + table.secondary) if table else 0)  # fmt: skip


def _share(condition: Any, round_code: str, population: Any = None) -> tuple[int, int]:
    base = (
        select(func.count(), func.coalesce(func.sum(case((condition, 1), else_=0)), 0))
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(*_submitted(round_code))
    )
    if population is not None:
        base = base.where(population)
    n, hits = db.session.execute(base).one()
    return int(n), int(hits)


def plan_targets(round_code: str, lang: str) -> list[dict[str, Any]]:
    """Plan indicators computed from the answers, each with its definition and source."""
    registered = (
        db.session.scalar(select(func.count(Enterprise.id)).where(Enterprise.above_scale)) or 0
    )
    assessed_above = db.session.scalar(
        select(func.count(Assessment.id)).join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(*_submitted(round_code), Enterprise.above_scale)
    ) or 0  # fmt: skip
    large_medium = Enterprise.size_class.in_([SizeClass.LARGE.value, SizeClass.MEDIUM.value])
    integrated = _share(
        Assessment.responses["INT-01"].as_string().in_(["L3", "L4"]), round_code, large_medium
    )
    supply = _share(Assessment.responses["MGT-04"].as_string().in_(["L2", "L3", "L4"]), round_code)
    cloud = _share(Assessment.responses["INF-02"].as_string().in_(["L2", "L3", "L4"]), round_code)
    zh = lang != "en"
    rows = [
        ("规上企业诊断覆盖率" if zh else "Above-scale enterprises assessed",
         assessed_above, registered, 100,
         "已提交评估的规上企业 / 平台登记的规上企业" if zh else "submitted above-scale / above-scale registered on the platform",
         "东莞市数字经济发展规划(2022-2025) 二(四)、四(一)：规上工业企业全面数字化转型" if zh
         else "Dongguan digital economy plan 2022-2025, 2 (4) and 4 (1): every above-scale industrial enterprise transformed"),
        ("大中型企业信息系统集成应用率" if zh else "Large and medium enterprises with integrated systems",
         integrated[1], integrated[0], 60,
         "INT-01 ≥ L3 的大中型企业占比" if zh else "share of large/medium with INT-01 at L3 or above",
         "东莞市信息化发展规划(2012-2020) 二(二)：>60%" if zh
         else "Dongguan informatisation plan 2012-2020, 2 (2): >60%"),
        ("供应链管理系统应用率" if zh else "Enterprises using systems for supply-chain management",
         supply[1], supply[0], 50,
         "MGT-04 ≥ L2 的企业占比" if zh else "share with MGT-04 at L2 or above",
         "东莞市信息化发展规划(2012-2020) 二(二)：>50%" if zh
         else "Dongguan informatisation plan 2012-2020, 2 (2): >50%"),
        ("上云用云企业占比" if zh else "Enterprises using cloud for business systems",
         cloud[1], cloud[0], None,
         "INF-02 ≥ L2 的企业占比" if zh else "share with INF-02 at L2 or above",
         "东莞市数字经济发展规划(2022-2025) 四(五)2：2025 年带动 15 万家工业企业上云用云" if zh
         else "Dongguan digital economy plan 2022-2025, 4 (5) 2: 150,000 industrial enterprises on the cloud by 2025"),
    ]  # fmt: skip
    return [
        {"name": name, "value": round(100 * hits / n, 1) if n >= DEFAULT_K else None,
         "n": n, "target": target, "definition": definition, "source": source}
        for name, hits, n, target, definition, source in rows
    ]  # fmt: skip


def _median_index(round_code: str, n: int) -> float | None:
    """Median of the round's index, found in the database with ORDER BY ... LIMIT/OFFSET."""
    if n == 0:
        return None
    ordered = (
        select(Assessment.maturity_index).where(*_submitted(round_code))
        .order_by(Assessment.maturity_index)
    )  # fmt: skip
    middle = db.session.scalars(ordered.offset((n - 1) // 2).limit(2 - n % 2)).all()
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
    stage_counts = dict(db.session.execute(
        select(Assessment.stage, func.count()).where(*_submitted(round_code)).group_by(Assessment.stage)
    ).all())  # fmt: skip
    assessed = sum(stage_counts.values())
    mean = db.session.scalar(
        select(func.avg(Assessment.maturity_index)).where(*_submitted(round_code))
    )
    dims = dict(db.session.execute(
        select(DimensionScore.dimension, cast(func.avg(DimensionScore.score), Float))
        .join(Assessment, Assessment.id == DimensionScore.assessment_id)
        .where(*_submitted(round_code)).group_by(DimensionScore.dimension)
    ).all())  # fmt: skip
    above = db.session.scalar(select(func.count(Enterprise.id)).where(Enterprise.above_scale)) or 0
    above_assessed = db.session.scalar(
        select(func.count(Assessment.id)).join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(*_submitted(round_code), Enterprise.above_scale)
    ) or 0  # fmt: skip
    median = _median_index(round_code, assessed)
    instrument = current_instrument()
    if assessed < k:  # too few to publish even region-wide figures
        mean, dims, median = None, {}, None
    return Dashboard(
        round_code=round_code, k=k, assessed=assessed, above_scale_registered=above,
        above_scale_assessed=above_assessed, mean_index=round(mean, 1) if mean is not None else None,
        median_index=median,
        stage_counts={s: int(stage_counts.get(s, 0)) for s in STAGES},
        dimension_means={d.code: round(dims[d.code], 1) for d in instrument.dimensions if d.code in dims},
        dimension_labels={d.code: d.name_en if lang == "en" else d.name_zh for d in instrument.dimensions},
        breakdowns={kind: stage_breakdown(round_code, kind, lang, k) for kind in BREAKDOWNS},
        cross=cross_town_cluster(round_code, lang, k),
        targets=plan_targets(round_code, lang),
        compare_round=compare_round,
        trend={kind: stage_moves(round_code, compare_round, kind, lang, k)
               for kind in ("cluster", "size_class", "town")} if compare_round else {},
    )  # fmt: skip


def breakdown_table(
    b: Breakdown, columns: list[str], with_mean: bool, lang: str = "zh"
) -> tuple[list[str], list[list[object]]]:
    """A breakdown as header + rows for CSV, Excel and PDF tables, headers in ``lang``.

    The first column keeps the group's code (stable for machines); stage columns are the stage
    codes, cluster columns the cluster names; suppressed cells are written as "x".
    """
    t = labels(lang)
    named = {c.value: (c.label_en if lang == "en" else c.label_zh) for c in IndustryCluster}
    headers = [t["gov_col_code"], t["gov_col_group"], *(named.get(c, c) for c in columns),
               t["gov_col_total"]] + ([t["gov_col_mean"]] if with_mean else [])  # fmt: skip
    mark = "x"
    rows: list[list[object]] = []
    for r in b.rows:
        row: list[object] = [r.code, r.label]
        row += [mark if r.counts.get(c) is None else r.counts[c] for c in columns]
        row.append(mark if r.total is None else r.total)
        if with_mean:
            row.append(mark if r.mean_index is None else r.mean_index)
        rows.append(row)
    total_row: list[object] = ["total", t["gov_col_total"]]
    total_row += [mark if b.totals.get(c) is None else b.totals[c] for c in columns]
    total_row.append(mark if b.grand_total is None else b.grand_total)
    if with_mean:
        total_row.append("")
    rows.append(total_row)
    return headers, rows


def stage_moves(
    round_code: str, compare_round: str, kind: str, lang: str, k: int = DEFAULT_K
) -> Breakdown:
    """Enterprises assessed in both rounds, by group: how many moved up a stage, stayed, or
    moved down (one GROUP BY over a self-join), suppressed like every other table."""
    from sqlalchemy.orm import aliased

    now, before = aliased(Assessment), aliased(Assessment)
    column = BREAKDOWNS[kind]
    moved = case((now.stage > before.stage, "up"), (now.stage < before.stage, "down"), else_="same")
    rows = db.session.execute(
        select(column, moved, func.count())
        .select_from(now)
        .join(before, (before.enterprise_id == now.enterprise_id) & (before.round_code == compare_round))
        .join(Enterprise, Enterprise.id == now.enterprise_id)
        .where(now.round_code == round_code, in_force(now), in_force(before))
        .group_by(column, moved)
    ).all()  # fmt: skip
    cols = ["up", "same", "down"]
    groups = sorted({r[0] for r in rows})
    counts = {(g, c): 0 for g in groups for c in cols}
    for group, move, n in rows:
        counts[(group, move)] = n
    table = suppress([[counts[(g, c)] for c in cols] for g in groups], k) if groups else None
    out = []
    for i, g in enumerate(groups):
        assert table is not None
        out.append(BreakdownRow(
            code=g, label=_label(kind, g, lang),
            counts={c: None if table.hidden[i][j] else table.cells[i][j] for j, c in enumerate(cols)},
            total=None if table.row_hidden[i] else table.row_totals[i], mean_index=None,
        ))  # fmt: skip
    totals = ({c: None if table.col_hidden[j] else table.col_totals[j] for j, c in enumerate(cols)}
              if table else {c: 0 for c in cols})  # fmt: skip
    return Breakdown(f"moves_{kind}", out, totals,
                     (None if table.grand_hidden else table.grand_total) if table else 0,
                     (table.primary + table.secondary) if table else 0)  # fmt: skip
