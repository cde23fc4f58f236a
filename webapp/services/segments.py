"""Path segments of a centre's cohort: who went which way, and the package that serves them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Table, bindparam, select, update

from assessment.localised import Localised
from assessment.packages import PACKAGE_FOR_PATH, ServicePackage
from assessment.paths import (
    PROFILE_COLUMNS,
    RULES_BY_CODE,
    PathModel,
    PathRule,
    fit_path_model,
    path_of,
    profile_of,
)
from models import Assessment, AssessmentStatus, Enterprise, in_force
from webapp import jobs
from webapp.extensions import cache, db
from webapp.services import snapshots

#: Fewer firms than this give no segments (k-means on a handful of firms finds noise).
MIN_FIRMS = 20


@dataclass(frozen=True)
class SegmentView:
    """One segment as the centre page shows it: ``label`` (0..k-1), ``size`` firms, the
    rule-based ``path`` most members follow and its ``share`` (0-1), the ``package`` that path
    maps to and the mean ``profile`` shape (points above/below the firms' own mean, by
    ``PROFILE_COLUMNS`` code)."""

    label: int
    size: int
    path: PathRule
    share: float
    package: ServicePackage
    profile: dict[str, float]

    @property
    def title(self) -> Localised:
        """The segment's number (1..k) and its main path, "2 · 均衡推进" / "2 · Balanced", so
        that two segments most of whose firms follow the same path stay apart in the table and
        the chart."""
        name = self.path.name
        return Localised(f"{self.label + 1} · {name.zh}", f"{self.label + 1} · {name.en}")


@dataclass(frozen=True)
class CohortSegments:
    """The segments of ``n`` firms with k, silhouette of the chosen k, bootstrap stability (mean
    ARI) and η² of the maturity index given the segment."""

    n: int
    k: int
    silhouette: float
    stability_ari: float
    eta_squared_index: float
    segments: tuple[SegmentView, ...]


def cohort_segments(assessments: Sequence[Assessment]) -> CohortSegments | None:
    """Path segments of submitted version-2 ``assessments`` (``assessment.paths``). None with
    fewer than :data:`MIN_FIRMS` such assessments or when the shapes do not separate.

    A fit (k-means with a silhouette search and a bootstrap) takes about a second for a centre's
    few hundred firms, too long for each view of the cohort page: the result is cached under
    :func:`segments_key`, which changes with any input of the fit, for ``CACHE_SECONDS``. The
    fit is deterministic (``random_state=0``), so a cached result is the one a fit would give.
    """
    usable = _usable(assessments)
    if len(usable) < MIN_FIRMS:
        return None
    key = segments_key(usable)
    found = cache.get(key)
    if isinstance(found, CohortSegments) or found == NOT_SEPARATED:
        return found if isinstance(found, CohortSegments) else None
    built = _cohort_segments(usable)
    cache.set(key, built if built is not None else NOT_SEPARATED, timeout=CACHE_SECONDS)
    return built


#: What the cache holds for a cohort whose shapes do not separate (``cache.get`` answers None
#: for a missing key, so None itself cannot be cached).
NOT_SEPARATED = "not separated"
#: Seconds a cached segmentation is kept; a change of its inputs makes a new key at once.
CACHE_SECONDS = 3600


def segments_key(usable: Sequence[Assessment]) -> str:
    """The cache key of a segmentation of ``usable``: a SHA-256 over each assessment's id,
    maturity index and answers (sorted JSON), in order: everything the fit reads."""
    digest = hashlib.sha256()
    for a in usable:
        digest.update(
            json.dumps([a.id, a.maturity_index, a.responses], sort_keys=True, default=str).encode()
        )
    return "segments:" + digest.hexdigest()


def _cohort_segments(usable: Sequence[Assessment]) -> CohortSegments | None:
    """The segmentation of ``usable`` fitted now (see ``cohort_segments``)."""
    model = _fit(usable)
    if model is None:
        return None
    views = tuple(
        SegmentView(
            s.label,
            s.size,
            RULES_BY_CODE[s.path],
            s.path_share,
            PACKAGE_FOR_PATH[s.path],
            s.profile,
        )
        for s in sorted(model.segments, key=lambda s: -s.size)
    )
    return CohortSegments(
        n=len(usable),
        k=model.k,
        silhouette=model.silhouette_by_k[model.k],
        stability_ari=model.stability_ari,
        eta_squared_index=model.eta_squared_index or 0.0,
        segments=views,
    )


def _usable(assessments: Sequence[Assessment]) -> list[Assessment]:
    """The scored version-2 assessments a segmentation can use."""
    return [
        a
        for a in assessments
        if a.instrument_version == "2" and a.maturity_index is not None and a.responses
    ]


def _fit(usable: Sequence[Assessment]) -> PathModel | None:
    """The path model of ``usable`` (input order), None below :data:`MIN_FIRMS` or when the
    shapes do not separate."""
    if len(usable) < MIN_FIRMS:
        return None
    x = np.array([profile_of(a.responses) for a in usable])
    try:
        return fit_path_model(
            x,
            [c.code for c in PROFILE_COLUMNS],
            [path_of(a.responses) for a in usable],
            index=[float(a.maturity_index or 0.0) for a in usable],
        )
    except ValueError:
        return None


def refresh_segments(round_code: str, centre_id: int | None) -> int:
    """Store the path segment of every submitted assessment in force of the round whose firm
    belongs to centre ``centre_id`` (None: firms without a centre): its rule-based path
    (``assessment.path_rule``) and the main path of the statistical segment it falls in when
    that cohort is segmented now (``assessment.path_segment``, None when it cannot be: fewer
    than :data:`MIN_FIRMS` version-2 results, or shapes that do not separate).

    Called when an assessment is scored (submit) and after a re-score, so the pipeline, the
    cohort export and every reader take the stored values instead of segmenting again. One
    SELECT and one executemany UPDATE; the caller commits. Returns the rows written.
    """
    centre = (
        Enterprise.centre_id.is_(None) if centre_id is None else Enterprise.centre_id == centre_id
    )
    members = list(
        db.session.scalars(
            select(Assessment)
            .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
            .where(
                Assessment.round_code == round_code,
                Assessment.status == AssessmentStatus.SUBMITTED.value,
                in_force(),
                centre,
            )
            .order_by(Assessment.id)
        )
    )
    if not members:
        return 0
    usable = _usable(members)
    model = _fit(usable)
    segment: dict[int, str] = {}
    if model is not None:
        main = {s.label: s.path.value for s in model.segments}
        segment = {a.id: main[label] for a, label in zip(usable, model.labels, strict=True)}
    table = Assessment.__table__
    assert isinstance(table, Table)  # a mapped class's table (typed as any FROM clause)
    db.session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        # ``updated_at`` kept: no report shows the segment, and the stamp versions every cached
        # report and stored PDF of the firm (``report_cache``): a refresh after each submit
        # would otherwise throw away those of the whole centre.
        .values(
            path_rule=bindparam("b_rule"),
            path_segment=bindparam("b_segment"),
            updated_at=table.c.updated_at,
        ),
        [
            {
                "b_id": a.id,
                "b_rule": snapshots.path_columns(a.responses or {}, a.instrument_version)[
                    "path_rule"
                ],
                "b_segment": segment.get(a.id),
            }
            for a in members
        ],
    )
    # the rows were changed behind the ORM's back
    for a in members:
        db.session.expire(a, ["path_rule", "path_segment"])
    return len(members)


#: The job kind of ``refresh_segments`` (``webapp.job_functions``).
REFRESH_JOB = "refresh_segments"


def request_refresh(assessment: Assessment, actor_id: int | None) -> None:
    """Segment the cohort of ``assessment``'s round and its firm's centre again in a background
    job (``REFRESH_JOB``), after its submit has been committed. Segmenting fits k-means with a silhouette search and a
    bootstrap: a fraction of a second for a centre of hundreds of firms, seconds for thousands,
    too slow for the submit request. Submits while a refresh of the same cohort is queued or
    running share that job; a submit it did not see is segmented at the next one."""
    centre_id = db.session.scalar(
        select(Enterprise.centre_id).where(Enterprise.id == assessment.enterprise_id)
    )
    jobs.enqueue(REFRESH_JOB, {"round": assessment.round_code, "centre": centre_id}, actor_id)


def refresh_round_segments(round_code: str) -> int:
    """``refresh_segments`` for every centre's cohort of the round (and the firms without a
    centre): after a re-score or a bulk load. The caller commits. Returns the rows written."""
    centres = db.session.scalars(
        select(Enterprise.centre_id)
        .join(Assessment, Assessment.enterprise_id == Enterprise.id)
        .where(Assessment.round_code == round_code)
        .distinct()
    )
    return sum(refresh_segments(round_code, centre) for centre in list(centres))
