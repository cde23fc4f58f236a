"""Aggregates for government reports, computed in the database (GROUP BY), never per enterprise.

Every figure comes with the number of enterprises behind it so that small cells can be hidden
before anything is shown or downloaded. Officers see figures of a *release* only
(``webapp.services.releases``): the round's facts frozen at a cut, with the suppression pattern
chosen and audited on that snapshot (``reports.release_audit``); only confirmed enterprises
count (``webapp.services.confirmation``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Float, case, cast, func, select
from sqlalchemy.orm import aliased

from assessment.classification import TOWNS
from assessment.onsite import Basis
from assessment.plan_targets import (
    CLOUD,
    COVERAGE,
    CURRENT_SET,
    INTEGRATED,
    SUPPLY_CHAIN,
    PlanTarget,
    Unit,
    targets_of,
)
from assessment.types import IndustryCluster, ProductionType, SizeClass, Stage
from models import (
    Assessment,
    DimensionScore,
    Enterprise,
    StatisticsRelease,
    in_force,
    superseded_ids,
)
from reports.formatting import number
from reports.i18n import gettext_for
from reports.release_audit import Block, Form, Key, cell, sliced
from reports.suppression import DEFAULT_K, SuppressedTable, suppress
from webapp.extensions import cache, db
from webapp.registries import instruments
from webapp.services import referral_outcomes, rollups
from webapp.services.confirmation import is_confirmed
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


#: Dimensions of a release's joint table (the key of a ``_Fact`` without its measures), and
#: the tables published over them: each breakdown by stage, and town x cluster - for all
#: results and again for each basis filter (``BASIS_FILTERS``).
FACT_DIMS = ("town", "cluster", "size_class", "production_type", "above_scale", "stage", "basis")
STAGE_DIM = FACT_DIMS.index("stage")
BASIS_DIM = FACT_DIMS.index("basis")
#: The basis filters of the government tables (issue 17: "government tables can filter by
#: it"), weakest first: all results; staff-verified or on-site rated; on-site rated only.
#: Each filtered table is a slice of the release's joint table (``Block.slices``), protected
#: and audited together with the unfiltered tables, so one cannot be subtracted from the
#: other to single out self-reported firms.
BASIS_FILTERS: dict[str, Form] = {
    "all": (),
    "verified": ((BASIS_DIM, (Basis.STAFF_VERIFIED.value, Basis.ONSITE_RATED.value)),),
    "onsite": ((BASIS_DIM, (Basis.ONSITE_RATED.value,)),),
}
_ABOVE = (FACT_DIMS.index("above_scale"), ("1",))
_LARGE_MEDIUM = (FACT_DIMS.index("size_class"), (SizeClass.LARGE.value, SizeClass.MEDIUM.value))
FACT_BLOCK = Block(
    dims=FACT_DIMS,
    tables=(
        *((FACT_DIMS.index(kind), STAGE_DIM) for kind in BREAKDOWNS),
        (FACT_DIMS.index("town"), FACT_DIMS.index("cluster")),
    ),
    codes={
        STAGE_DIM: tuple(STAGES),
        FACT_DIMS.index("cluster"): tuple(c.value for c in IndustryCluster),
        # every basis is possible, whichever the data hold: a slice never counts every firm
        BASIS_DIM: tuple(b.value for b in Basis),
    },
    # above-scale firms assessed (summary) and large + medium firms (a plan target's n)
    extra=((_ABOVE,), (_LARGE_MEDIUM,)),
    # large and medium industrial firms have revenue >= 2000 万元: always above scale
    impossible=lambda key: key[2] in _LARGE_MEDIUM[1] and key[4] == "0",
    slices=tuple(f for f in BASIS_FILTERS.values() if f),
    # what subtracting the filtered tables gives: self-reported only, staff-verified only
    derived=(
        ((BASIS_DIM, (Basis.SELF_REPORTED.value,)),),
        ((BASIS_DIM, (Basis.STAFF_VERIFIED.value,)),),
    ),
)
MOVES = ["up", "same", "down"]
MOVES_DIMS = ("cluster", "size_class", "town", "move")
MOVES_BLOCK = Block(dims=MOVES_DIMS, tables=((0, 3), (1, 3), (2, 3)), codes={3: tuple(MOVES)})


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
    #: enterprises counted (of the basis filter; None where the release hides a filter's total)
    assessed: int | None
    above_scale_registered: int
    above_scale_assessed: int | None
    mean_index: float | None
    median_index: float | None
    #: stage -> enterprises; None where the release hides it
    stage_counts: dict[str, int | None]
    #: dimension code -> mean dimension score (0-100), in the instrument's dimension order
    dimension_means: dict[str, float]
    breakdowns: dict[str, Breakdown] = field(default_factory=dict)
    cross: Breakdown | None = None
    targets: list[dict[str, Any]] = field(default_factory=list)
    compare_round: str | None = None
    trend: dict[str, Breakdown] = field(default_factory=dict)
    #: dimension code -> its name in the report's language (from the current instrument)
    dimension_labels: dict[str, str] = field(default_factory=dict)
    #: the release shown (None: the round has no published release yet)
    release: ReleaseInfo | None = None
    #: referral outcomes frozen in the release (``referral_outcomes.COUNTS`` and
    #: ``amount_wan``; None where hidden); empty for releases cut before they were recorded
    outcomes: dict[str, int | float | None] = field(default_factory=dict)
    #: the basis filter of the tables (``BASIS_FILTERS`` key); with a filter only the tables,
    #: stage counts, total and mean are shown: targets, moves, outcomes, the median and the
    #: dimension means are region-wide figures of all results
    basis: str = "all"
    #: a filter was asked of a release cut before the basis was recorded: no table to show
    basis_missing: bool = False


@dataclass(frozen=True)
class _Fact:
    """One cell of a round's fact table: the submitted assessments of one combination of
    enterprise profile, stage and basis, with their index sum and plan-target hits. Releases
    cut before the basis was recorded read as "self_reported" (the weakest claim)."""

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
    basis: str = Basis.SELF_REPORTED.value  # assessment.onsite.Basis


def fact_counts(facts: Sequence[_Fact]) -> dict[Key, int]:
    """The joint table of ``FACT_BLOCK``: firms per key (town, cluster, size class, production
    type, above-scale "1"/"0", stage, basis)."""
    out: dict[Key, int] = defaultdict(int)
    for f in facts:
        key = (f.town, f.cluster, f.size_class, f.production_type, "1" if f.above_scale else "0")
        out[(*key, f.stage, f.basis)] += f.n
    return dict(out)


def facts_to_json(facts: Sequence[_Fact]) -> list[dict[str, Any]]:
    """Facts as JSON rows (stored in a release)."""
    return [asdict(f) for f in facts]


def facts_from_json(rows: Sequence[Mapping[str, Any]]) -> list[_Fact]:
    """Facts back from a release's JSON rows."""
    return [_Fact(**r) for r in rows]


def _facts(rows: Iterable[Sequence[Any]]) -> list[_Fact]:
    """Facts from (town, cluster, size class, production type, above-scale, stage, basis, n,
    index sum, integrated, supply chain, cloud) rows."""
    return [
        _Fact(
            r[0],
            r[1],
            r[2],
            r[3],
            bool(r[4]),
            r[5] or "S0",
            int(r[7]),
            float(r[8] or 0.0),
            int(r[9] or 0),
            int(r[10] or 0),
            int(r[11] or 0),
            str(r[6]),
        )
        for r in rows
    ]


def round_facts(round_code: str) -> list[_Fact]:
    """The round's submitted assessments in force of confirmed enterprises counted by town,
    cluster, size class, production type, above-scale flag, stage and basis, read from the
    round's rollup (``rollups``: a few thousand rows at most, at any size of the round); every
    breakdown, the cross table, the stage counts, the mean and the plan targets are added up
    from it."""
    return _facts(rollups.cells(round_code))


def round_facts_from_rows(round_code: str) -> list[_Fact]:
    """The same facts counted from the assessment rows in one GROUP BY
    (``rollups.fact_select``): what the rollup must always equal."""
    rows = db.session.execute(rollups.fact_select(Assessment.round_code == round_code))
    return _facts(row[1:] for row in rows)


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
    pattern: tuple[frozenset[Form], int, int, Form] | None = None,
) -> Breakdown:
    """Counts by (group, column) as a suppressed ``Breakdown``; the mean index of a group is
    published only where its total is.

    ``pattern`` is a release's hidden forms with the table's row and column dimensions
    (``FACT_BLOCK``/``MOVES_BLOCK``) and its basis filter (``BASIS_FILTERS``); without it the table is suppressed on its own
    (``reports.suppression.suppress``)."""
    groups = sorted({g for g, _ in counts}, key=lambda g: _group_order(label_kind, g))
    grid = [[counts.get((g, c), 0) for c in columns] for g in groups]
    table = (
        (_apply(grid, groups, columns, pattern) if pattern else suppress(grid, k))
        if groups
        else None
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


def _apply(
    grid: list[list[int]],
    groups: Sequence[str],
    columns: Sequence[str],
    pattern: tuple[frozenset[Form], int, int, Form],
) -> SuppressedTable:
    """A table with a release's suppression pattern (forms of its row and column dimensions,
    within its filter)."""
    hidden, r, c, filter_ = pattern

    def is_hidden(*pairs: tuple[int, str]) -> bool:
        return sliced(cell(*pairs), filter_) in hidden

    row_totals = [sum(row) for row in grid]
    col_totals = [sum(row[j] for row in grid) for j in range(len(columns))]
    mask = [[is_hidden((r, g), (c, col)) for col in columns] for g in groups]
    row_hidden = [is_hidden((r, g)) for g in groups]
    col_hidden = [is_hidden((c, col)) for col in columns]
    n = sum(map(sum, mask)) + sum(row_hidden) + sum(col_hidden) + int(is_hidden())
    return SuppressedTable(
        cells=tuple(tuple(row) for row in grid),
        row_totals=tuple(row_totals),
        col_totals=tuple(col_totals),
        grand_total=sum(row_totals),
        hidden=tuple(tuple(m) for m in mask),
        row_hidden=tuple(row_hidden),
        col_hidden=tuple(col_hidden),
        grand_hidden=is_hidden(),
        primary=n,
        secondary=0,
    )


def stage_breakdown(
    facts: Sequence[_Fact],
    kind: str,
    lang: str,
    k: int = DEFAULT_K,
    hidden: frozenset[Form] | None = None,
    basis: str = "all",
) -> Breakdown:
    """Enterprises per stage by ``kind`` (town, cluster, size class, production type), with
    the group's mean index, of the firms of a basis filter (``BASIS_FILTERS`` key); suppressed
    with a release's ``hidden`` forms, or on its own."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    index_sum: dict[str, float] = defaultdict(float)
    for f in of_basis(facts, basis):
        group = getattr(f, kind)
        counts[(group, f.stage)] += f.n
        index_sum[group] += f.index_sum
    pattern = (
        (hidden, FACT_DIMS.index(kind), STAGE_DIM, BASIS_FILTERS[basis])
        if hidden is not None
        else None
    )
    return _suppressed(kind, kind, counts, STAGES, lang, k, index_sum, pattern)


def of_basis(facts: Sequence[_Fact], basis: str) -> list[_Fact]:
    """The facts a basis filter keeps (``BASIS_FILTERS`` key; "all" keeps every one).

    Raises ``KeyError`` for an unknown filter."""
    filter_ = BASIS_FILTERS[basis]
    return [f for f in facts if all(f.basis in codes for _, codes in filter_)]


def cross_town_cluster(
    facts: Sequence[_Fact],
    lang: str,
    k: int = DEFAULT_K,
    hidden: frozenset[Form] | None = None,
    basis: str = "all",
) -> Breakdown:
    """Enterprises assessed by town x cluster of a basis filter (``BASIS_FILTERS`` key),
    suppressed (with a release's ``hidden`` forms, or on its own)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for f in of_basis(facts, basis):
        counts[(f.town, f.cluster)] += f.n
    pattern = (
        (hidden, FACT_DIMS.index("town"), FACT_DIMS.index("cluster"), BASIS_FILTERS[basis])
        if hidden is not None
        else None
    )
    clusters = [c.value for c in IndustryCluster]
    return _suppressed("town_x_cluster", "town", counts, clusters, lang, k, None, pattern)


def target_counts(facts: Sequence[_Fact], registered: int) -> dict[str, tuple[int, int]]:
    """Plan-target key -> (enterprises meeting it, population) over ``facts``, for every target
    counted from the facts (coverage and answer indicators, of every target set);
    ``registered`` above-scale enterprises are the coverage's population."""
    large_medium = [
        f for f in facts if f.size_class in (SizeClass.LARGE.value, SizeClass.MEDIUM.value)
    ]
    everyone = sum(f.n for f in facts)
    return {
        COVERAGE.key: (sum(f.n for f in facts if f.above_scale), registered),
        INTEGRATED.key: (sum(f.integrated for f in large_medium), sum(f.n for f in large_medium)),
        SUPPLY_CHAIN.key: (sum(f.supply_chain for f in facts), everyone),
        CLOUD.key: (sum(f.cloud for f in facts), everyone),
    }


def _target_value(
    target: PlanTarget,
    counts: Mapping[str, tuple[int, int]],
    outcomes: Mapping[str, Any],
    hidden: Sequence[str],
    k: int,
) -> tuple[float | int | None, int | None]:
    """(value, n) of one target row: a percentage (one decimal) or a number of firms; None
    where the release withholds it (``hidden``, fewer than ``k`` in the population, or an
    outcome count the release hid)."""
    if target.outcome is None:
        hits, n = counts[target.key]
        shown = n >= k and target.key not in hidden
        return (round(100 * hits / n, 1) if shown else None), n
    numerator, denominator = target.outcome
    count = outcomes.get(numerator)
    if denominator is None:
        return count, None
    total = outcomes.get(denominator)
    if count is None or total is None or total < k or target.key in hidden:
        return None, total
    return round(100 * count / total, 1), total


def plan_targets(
    facts: Sequence[_Fact],
    lang: str,
    registered: int | None = None,
    hidden: Sequence[str] = (),
    outcomes: Mapping[str, Any] | None = None,
    target_set: str | None = CURRENT_SET,
    k: int = DEFAULT_K,
) -> list[dict[str, Any]]:
    """Plan-target rows of ``target_set`` (``assessment.plan_targets.targets_of``: a release
    shows the set it was cut with), each with its value, population ``n`` (None for a count),
    ``unit`` ("percent" or "firms"), target, definition and source in ``lang``.

    ``registered`` above-scale enterprises as frozen in a release (default: counted now);
    ``hidden`` target keys the release's audit withheld (value None); ``outcomes`` the
    release's protected referral outcomes (``referral_outcomes``), which the pilot rows read.
    """
    if registered is None:
        registered = _above_scale_registered()
    counts = target_counts(facts, registered)
    _ = gettext_for(lang)
    unit = {Unit.PERCENT: "%", Unit.FIRMS: _("家")}
    rows = []
    for target in targets_of(target_set):
        value, n = _target_value(target, counts, outcomes or {}, hidden, k)
        name, definition, source = target.texts(lang)
        digits = 1 if target.unit is Unit.PERCENT else 0
        rows.append(
            {
                "name": name,
                "value": value,
                "n": n,
                "unit": unit[target.unit],
                "target": target.target,
                "definition": definition,
                "source": source,
                # as the page and the PDF show them: "x" for a withheld value
                "shown": "x"
                if value is None
                else _unit_text(number(value, lang, digits), unit[target.unit]),
                "target_shown": "—"
                if target.target is None
                else _unit_text(number(target.target, lang), unit[target.unit]),
            }
        )
    return rows


def _unit_text(number_text: str, unit: str) -> str:
    """A number with its unit: "42.5%" / "12 家" / "12 firms"."""
    return number_text + unit if unit == "%" else f"{number_text} {unit}"


def _above_scale_registered() -> int:
    return db.session.scalar(select(func.count(Enterprise.id)).where(Enterprise.above_scale)) or 0


def _median_index(round_code: str, n: int) -> float | None:
    """Median of the round's index (confirmed enterprises), found in the database with
    ORDER BY ... LIMIT/OFFSET."""
    if n == 0:
        return None
    ordered = (
        select(Assessment.maturity_index)
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(*_submitted(round_code), is_confirmed())
        .order_by(Assessment.maturity_index)
    )
    middle = [
        v
        for v in db.session.scalars(ordered.offset((n - 1) // 2).limit(2 - n % 2))
        if v is not None
    ]
    return round(sum(middle) / len(middle), 1)


def pending_count(round_code: str) -> int:
    """Submitted assessments in force of the round whose enterprise is not confirmed yet:
    published as one number per release, never in a cell (``confirmation``)."""
    return (
        db.session.scalar(
            select(func.count(Assessment.id))
            .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
            .where(*_submitted(round_code), Enterprise.confirmed_at.is_(None))
        )
        or 0
    )


def release_summary(round_code: str, facts: Sequence[_Fact]) -> dict[str, Any]:
    """Region-wide figures frozen in a release: median index, dimension means (0-100, by
    dimension code), above-scale enterprises registered, and pending (unconfirmed) assessments."""
    assessed = sum(f.n for f in facts)
    confirmed_ids = (
        select(Assessment.id)
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(Assessment.round_code == round_code, is_confirmed())
    )
    # Only submitted assessments have dimension scores: "in force" is "not superseded" here.
    dims: dict[str, float | None] = dict(
        db.session.execute(
            select(DimensionScore.dimension, cast(func.avg(DimensionScore.score), Float))
            .where(
                DimensionScore.round_code == round_code,
                DimensionScore.assessment_id.not_in(superseded_ids()),
                DimensionScore.assessment_id.in_(confirmed_ids),
            )
            .group_by(DimensionScore.dimension)
        ).all()
    )
    return {
        "median_index": _median_index(round_code, assessed),
        "dimension_means": {d: float(v) for d, v in dims.items() if v is not None},
        "above_scale_registered": _above_scale_registered(),
        "pending": pending_count(round_code),
        # the facts carry each result's basis and the filtered tables were audited
        "basis_recorded": True,
    }


@dataclass(frozen=True)
class ReleaseInfo:
    """Which release a dashboard shows: its id, cut time (UTC), the number of submitted
    assessments waiting for confirmation, and whether a newer cut failed its audit."""

    id: int
    cut_at: datetime
    pending: int
    newer_failed: bool


#: How long a release's dashboard figures stay cached (seconds); a release never changes.
CACHE_SECONDS = 600


def newest_release(round_code: str, published: bool = True) -> StatisticsRelease | None:
    """The round's newest release (published only, or of any status), or None."""
    query = select(StatisticsRelease).where(StatisticsRelease.round_code == round_code)
    if published:
        query = query.where(StatisticsRelease.status == "published")
    return db.session.scalar(
        query.order_by(StatisticsRelease.cut_at.desc(), StatisticsRelease.id.desc()).limit(1)
    )


def dashboard(
    round_code: str,
    lang: str,
    k: int = DEFAULT_K,
    compare_round: str | None = None,
    basis: str = "all",
) -> Dashboard:
    """All figures of the government dashboard for a round, from its newest published release
    (``releases.cut_release``), with moves since ``compare_round`` when the release holds them,
    the tables of the firms of a basis filter (``BASIS_FILTERS`` key, default "all").

    A round without a published release gives an empty dashboard (``release`` None). Figures
    are cached per release, so the dashboard, its downloads and every officer share one
    computation; they change only when a new release is published.

    Raises ``KeyError`` for an unknown basis filter.
    """
    BASIS_FILTERS[basis]  # an unknown filter fails here, not inside the cached function
    release = newest_release(round_code)
    newest = newest_release(round_code, published=False)
    newer_failed = newest is not None and newest.status != "published"
    return _dashboard(
        round_code,
        lang,
        k,
        compare_round,
        release.id if release else None,
        newer_failed,
        basis,
    )


@cache.memoize(timeout=CACHE_SECONDS)
def _dashboard(
    round_code: str,
    lang: str,
    k: int,
    compare_round: str | None,
    release_id: int | None,
    newer_failed: bool,
    basis: str = "all",
) -> Dashboard:
    release = db.session.get(StatisticsRelease, release_id) if release_id else None
    summary: dict[str, Any] = release.summary if release else {}
    # A release cut before the basis was recorded audited no filtered table: show none.
    missing = release is not None and basis != "all" and not summary.get("basis_recorded")
    facts = facts_from_json(release.facts) if release and not missing else []
    hidden = release_hidden(release, "facts") if release else frozenset()
    if release:
        k = release.k
    filter_ = BASIS_FILTERS[basis]
    shown = of_basis(facts, basis)
    stage_counts: dict[str, int | None] = {
        s: None
        if sliced(cell((STAGE_DIM, s)), filter_) in hidden
        else sum(f.n for f in shown if f.stage == s)
        for s in STAGES
    }
    assessed = sum(f.n for f in shown)
    mean: float | None = sum(f.index_sum for f in shown) / assessed if assessed else None
    dims: dict[str, float] = summary.get("dimension_means", {})
    median = summary.get("median_index")
    instrument = instruments().current()
    # Too few to publish even region-wide figures, or too few came in since the previous
    # release (the means would be differenced: releases._few_changed). A filter's mean is
    # published only with its total, as a row's mean is (the total is a form of the audit).
    if assessed < k or summary.get("region_means_hidden"):
        mean, dims, median = None, {}, None
    total_hidden = bool(filter_) and filter_ in hidden
    if filter_:
        dims, median = {}, None
        mean = None if total_hidden else mean
    above = sum(f.n for f in facts if f.above_scale)
    with_moves = (
        release is not None
        and compare_round
        and release.compare_round == compare_round
        and not filter_
    )
    return Dashboard(
        round_code=round_code,
        k=k,
        assessed=None if total_hidden else assessed,
        above_scale_registered=summary.get("above_scale_registered", 0),
        above_scale_assessed=None if (_ABOVE,) in hidden or filter_ else above,
        mean_index=round(mean, 1) if mean is not None else None,
        median_index=median,
        stage_counts=stage_counts,
        dimension_means={
            d.code: round(mean_score, 1)
            for d in instrument.dimensions
            if (mean_score := dims.get(d.code)) is not None
        },
        dimension_labels={d.code: d.name.for_locale(lang) for d in instrument.dimensions},
        breakdowns={
            kind: stage_breakdown(facts, kind, lang, k, hidden, basis) for kind in BREAKDOWNS
        },
        cross=cross_town_cluster(facts, lang, k, hidden, basis),
        targets=[]
        if filter_
        else plan_targets(
            facts,
            lang,
            summary.get("above_scale_registered", 0),
            summary.get("targets_hidden", ()),
            summary.get("outcomes", {}),
            summary.get("target_set") if release else CURRENT_SET,
            k,
        ),
        compare_round=compare_round,
        trend=moves_breakdowns(release.moves, lang, k, release_hidden(release, "moves"))
        if release and with_moves
        else {},
        release=ReleaseInfo(release.id, release.cut_at, summary.get("pending", 0), newer_failed)
        if release
        else None,
        outcomes={}
        if filter_
        else {
            name: value
            for name, value in summary.get("outcomes", {}).items()
            if name in referral_outcomes.SHOWN
        },
        basis=basis,
        basis_missing=missing,
    )


def release_hidden(release: StatisticsRelease, block: str) -> frozenset[Form]:
    """A release's hidden forms of one block ("facts" or "moves"), as stored in JSON."""
    return frozenset(
        tuple((int(d), tuple(codes)) for d, codes in f) for f in release.hidden.get(block, [])
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


def moves_rows(round_code: str, compare_round: str) -> list[list[Any]]:
    """Confirmed enterprises assessed in both rounds: [cluster, size class, town, move, count]
    rows, move "up", "same" or "down" (one GROUP BY over a self-join); stored in a release."""
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
        .where(now.round_code == round_code, in_force(now), in_force(before), is_confirmed())
        .group_by(*groups, moved)
    ).all()
    return [[r[0], r[1], r[2], r[3], int(r[4])] for r in rows]


def moves_counts(rows: Sequence[Sequence[Any]]) -> dict[Key, int]:
    """The joint table of ``MOVES_BLOCK`` from ``moves_rows``."""
    out: dict[Key, int] = defaultdict(int)
    for cluster, size, town, move, n in rows:
        out[(cluster, size, town, move)] += int(n)
    return dict(out)


def moves_breakdowns(
    rows: Sequence[Sequence[Any]], lang: str, k: int, hidden: frozenset[Form]
) -> dict[str, Breakdown]:
    """How many enterprises moved up a stage, stayed, or moved down, by cluster, size class and
    town, with the release's suppression pattern of ``MOVES_BLOCK``."""
    out = {}
    for i, kind in enumerate(("cluster", "size_class", "town")):
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for row in rows:
            counts[(row[i], row[3])] += int(row[4])
        pattern = (hidden, i, MOVES_DIMS.index("move"), ())
        out[kind] = _suppressed(f"moves_{kind}", kind, counts, MOVES, lang, k, None, pattern)
    return out
