"""Peer statistics for the report: medians of dimension scores among comparable enterprises."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from models import Assessment, DimensionScore, Enterprise, in_force
from webapp.extensions import db

#: Fewer peers than this and a median says more about one firm than about a group.
MIN_PEERS = 5


@dataclass(frozen=True)
class PeerProfile:
    """Median dimension scores (0-100) of a peer group and its size (number of assessments)."""

    medians: dict[str, float]
    count: int


def _medians(*conditions: object) -> PeerProfile:
    count = db.session.scalar(
        select(func.count(Assessment.id))
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(in_force(), *conditions)
    )
    if not count or count < MIN_PEERS:
        return PeerProfile({}, int(count or 0))
    rows = db.session.execute(
        select(DimensionScore.dimension, DimensionScore.score)
        .join(Assessment, Assessment.id == DimensionScore.assessment_id)
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(in_force(), *conditions)
    )
    by_dim: dict[str, list[float]] = defaultdict(list)
    for dim, value in rows:
        by_dim[dim].append(value)
    return PeerProfile({d: statistics.median(v) for d, v in by_dim.items()}, int(count))


def cluster_peers(round_code: str, cluster: str) -> PeerProfile:
    """Enterprises of the same industry cluster (产业集群) assessed in the same round."""
    return _medians(Assessment.round_code == round_code, Enterprise.cluster == cluster)


def stage_peers(round_code: str, stage_code: str) -> PeerProfile:
    """Enterprises at ``stage_code`` in the round: what the next stage looks like in practice."""
    return _medians(Assessment.round_code == round_code, Assessment.stage == stage_code)


def percentiles(assessment: Assessment, enterprise: Enterprise) -> tuple[int, dict[str, float]]:
    """The assessment's percentile (0-100) on the index and on each dimension among submitted
    assessments of the same industry cluster, size class and round (ties count half).

    Returns the size of that peer group and ``{"index": p, "<dimension>": p, ...}``; an empty
    mapping when the group has fewer than ``MIN_PEERS`` members.
    """
    group = (
        Assessment.round_code == assessment.round_code,
        Enterprise.cluster == enterprise.cluster,
        Enterprise.size_class == enterprise.size_class,
        in_force(),
    )
    indexes = db.session.scalars(
        select(Assessment.maturity_index)
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(*group)
    ).all()
    if len(indexes) < MIN_PEERS or assessment.result is None:
        return len(indexes), {}
    dims: dict[str, list[float]] = defaultdict(list)
    rows = db.session.execute(
        select(DimensionScore.dimension, DimensionScore.score)
        .join(Assessment, Assessment.id == DimensionScore.assessment_id)
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(*group)
    )
    for dim, value in rows:
        dims[dim].append(value)

    def rank(values: list[float], mine: float) -> float:
        below = sum(v < mine for v in values)
        equal = sum(v == mine for v in values)
        return round(100 * (below + 0.5 * equal) / len(values), 1)

    out = {"index": rank([v for v in indexes if v is not None], assessment.maturity_index or 0.0)}
    for dim, mine in assessment.result["dimension_scores"].items():
        out[dim] = rank(dims[dim], mine)
    return len(indexes), out
