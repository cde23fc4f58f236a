"""Plain, already-localised values that the report renderers take. No ORM, no Flask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DimensionRow:
    """One dimension: this enterprise's score, the peer median and the next-stage target (0-100)."""

    code: str
    name: str
    score: float
    peer_median: float | None
    target: float | None
    percentile: float | None = None


@dataclass(frozen=True)
class ConditionRow:
    code: str
    text: str


@dataclass(frozen=True)
class TaskRow:
    order: int
    title: str
    detail: str
    dimension_name: str
    solutions: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecommendationRow:
    """A matched enabling centre or service provider with its reasons in words."""

    name: str
    kind: str
    reasons: tuple[str, ...]
    contact: str
    is_demo: bool
    code: str = ""


@dataclass(frozen=True)
class SolutionRow:
    """A recommended solution with the price band and the estimated enterprise share."""

    name: str
    provider: str
    reasons: tuple[str, ...]
    price: str
    estimate: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class EnterpriseReport:
    """Everything the enterprise report shows, in one language (``lang`` is "zh" or "en")."""

    lang: str
    enterprise_name: str
    uscc: str
    industry: str
    cluster: str
    production_type: str
    size_class: str
    town: str
    assessed_on: date
    round_label: str
    stage_code: str
    stage_name: str
    stage_meaning: str
    next_stage_name: str | None
    maturity_index: float
    peer_group_label: str
    peer_count: int
    dimensions: tuple[DimensionRow, ...]
    unmet_conditions: tuple[ConditionRow, ...]
    tasks: tuple[TaskRow, ...]
    centres: tuple[RecommendationRow, ...]
    providers: tuple[RecommendationRow, ...]
    instrument_version: str
    scoring_version: str
    generated_at: datetime
    #: The stage ladder: (code, localised name) for S0..S3.
    stages: tuple[tuple[str, str], ...] = ()
    #: Percentile (0-100) of the index in the benchmark group (same cluster, size, round).
    index_percentile: float | None = None
    benchmark_label: str = ""
    benchmark_count: int = 0
    solutions: tuple[SolutionRow, ...] = ()
    cost_note: str = ""
