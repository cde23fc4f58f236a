"""Peer statistics for the report: medians and percentiles among comparable enterprises.

A peer group's scores are read once (one query for the index, one for the dimension scores) and
cached as sorted arrays, keyed by the group and by a version of the round (how many submitted
assessments it has and when the last one changed), so that a result page in a 100,000-enterprise
region does not pull tens of thousands of rows on every view, and a new submission, correction or
re-score is seen on the next view.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select

from models import Assessment, AssessmentStatus, DimensionScore, Enterprise, in_force
from webapp.extensions import cache, db
from webapp.services.round_versions import round_version
from webapp.services.snapshots import submitted_profile

#: Fewer peers than this and a median says more about one firm than about a group.
MIN_PEERS = 5
#: How long an unchanged round's peer groups stay cached (seconds).
CACHE_SECONDS = 600


@dataclass(frozen=True)
class PeerProfile:
    """Median dimension scores (0-100) of a peer group, its size (number of assessments) and
    the round its members were assessed in (``round_code``; an earlier round when the firm's own
    round has too few: ``cluster_peers``)."""

    medians: dict[str, float]
    count: int
    round_code: str = ""


@dataclass(frozen=True)
class GroupScores:
    """A peer group's scores, each sorted ascending: ``index`` maturity indexes (0-100) and
    ``dimensions`` code -> dimension scores (0-100)."""

    index: np.ndarray
    dimensions: dict[str, np.ndarray]

    @property
    def count(self) -> int:
        return len(self.index)


@cache.memoize(timeout=CACHE_SECONDS)
def _group_scores(
    round_code: str,
    version: tuple[int, str],
    cluster: str | None = None,
    size_class: str | None = None,
    stage: str | None = None,
) -> GroupScores:
    conditions = [Assessment.round_code == round_code, in_force()]
    submitted = submitted_profile()  # peers as they were when they submitted (finding 7)
    if cluster is not None:
        conditions.append(submitted["cluster"] == cluster)
    if size_class is not None:
        conditions.append(submitted["size_class"] == size_class)
    if stage is not None:
        conditions.append(Assessment.stage == stage)
    joined = select().join_from(Assessment, Enterprise, Enterprise.id == Assessment.enterprise_id)
    index = db.session.scalars(
        joined.add_columns(Assessment.maturity_index).where(*conditions)
    ).all()
    rows = db.session.execute(
        joined.add_columns(DimensionScore.dimension, DimensionScore.score)
        .join(DimensionScore, DimensionScore.assessment_id == Assessment.id)
        .where(*conditions)
    ).all()
    by_dim: dict[str, list[float]] = {}
    for dim, value in rows:
        by_dim.setdefault(dim, []).append(value)
    return GroupScores(
        np.sort(np.array([v for v in index if v is not None], dtype=float)),
        {d: np.sort(np.array(v, dtype=float)) for d, v in by_dim.items()},
    )


def _group(round_code: str, **group: str) -> GroupScores:
    return _group_scores(round_code, round_version(round_code), **group)


def _profile(scores: GroupScores, round_code: str) -> PeerProfile:
    if scores.count < MIN_PEERS:
        return PeerProfile({}, scores.count, round_code)
    medians = {d: float(np.median(v)) for d, v in scores.dimensions.items()}
    return PeerProfile(medians, scores.count, round_code)


def _earlier_round(round_code: str) -> str | None:
    """The latest round before ``round_code`` with a submitted assessment in force."""
    return db.session.scalar(
        select(func.max(Assessment.round_code)).where(
            Assessment.round_code < round_code, in_force()
        )
    )


def peer_version(round_code: str) -> tuple[object, ...]:
    """The versions (``round_version``) of the rounds a report's peers may come from: the
    round itself and the latest earlier one (``cluster_peers``' fallback: its code, number of
    submitted assessments and latest change; ``None``, 0, ``None`` when there is none). Two
    small queries, whatever the rounds; a cache of anything built from peers keys on it."""
    earlier = (
        select(func.max(Assessment.round_code))
        .where(Assessment.round_code < round_code, in_force())
        .scalar_subquery()
    )
    fallback = db.session.execute(
        select(earlier, func.count(), func.max(Assessment.updated_at)).where(
            Assessment.round_code == earlier,
            Assessment.status == AssessmentStatus.SUBMITTED.value,
        )
    ).one()
    return (round_version(round_code), *(str(v) for v in fallback))


def cluster_peers(round_code: str, cluster: str) -> PeerProfile:
    """Enterprises of the same industry cluster (产业集群) assessed in the same round; when that
    round has fewer than ``MIN_PEERS`` of them (early in a new round), those of the latest
    earlier round that has enough (issue 15: "peers fall back to the previous round ... and say
    so": ``PeerProfile.round_code`` names the round used)."""
    profile = _profile(_group(round_code, cluster=cluster), round_code)
    if profile.count >= MIN_PEERS:
        return profile
    earlier = _earlier_round(round_code)
    if earlier is None:
        return profile
    fallback = _profile(_group(earlier, cluster=cluster), earlier)
    return fallback if fallback.count >= MIN_PEERS else profile


def stage_peers(round_code: str, stage_code: str) -> PeerProfile:
    """Enterprises at ``stage_code`` in the round: what the next stage looks like in practice."""
    return _profile(_group(round_code, stage=stage_code), round_code)


def _rank(values: np.ndarray, mine: float) -> float:
    """Percentile (0-100) of ``mine`` among sorted ``values``; ties count half."""
    below = int(np.searchsorted(values, mine, side="left"))
    equal = int(np.searchsorted(values, mine, side="right")) - below
    return round(100 * (below + 0.5 * equal) / len(values), 1)


def percentiles(assessment: Assessment, enterprise: Enterprise) -> tuple[int, dict[str, float]]:
    """The assessment's percentile (0-100) on the index and on each dimension among submitted
    assessments of the same industry cluster, size class and round (ties count half), taken
    from the profile as submitted (the enterprise's current one for a row without it).

    Returns the size of that peer group and ``{"index": p, "<dimension>": p, ...}``; an empty
    mapping when the group has fewer than ``MIN_PEERS`` members.
    """
    scores = _group(
        assessment.round_code,
        cluster=assessment.profile_cluster or enterprise.cluster,
        size_class=assessment.profile_size_class or enterprise.size_class,
    )
    if scores.count < MIN_PEERS or assessment.result is None:
        return scores.count, {}
    out = {"index": _rank(scores.index, assessment.maturity_index or 0.0)}
    for dim, mine in assessment.result["dimension_scores"].items():
        values = scores.dimensions.get(dim)
        if values is not None and len(values):
            out[dim] = _rank(values, mine)
    return scores.count, out
