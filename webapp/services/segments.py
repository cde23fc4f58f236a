"""Path segments of a centre's cohort: who went which way, and the package that serves them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assessment.packages import PACKAGE_FOR_PATH, ServicePackage
from assessment.paths import (
    PROFILE_COLUMNS,
    RULES_BY_CODE,
    PathRule,
    fit_path_model,
    path_of,
    profile_of,
)
from models import Assessment

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
    """Path segments of submitted version-2 ``assessments`` (``assessment.paths``), fitted on
    the fly: a centre's cohort is hundreds of firms, a fit a fraction of a second. None with
    fewer than :data:`MIN_FIRMS` such assessments or when the shapes do not separate."""
    usable = [
        a
        for a in assessments
        if a.instrument_version == "2" and a.maturity_index is not None and a.responses
    ]
    if len(usable) < MIN_FIRMS:
        return None
    x = np.array([profile_of(a.responses) for a in usable])
    paths = [path_of(a.responses) for a in usable]
    try:
        model = fit_path_model(
            x,
            [c.code for c in PROFILE_COLUMNS],
            paths,
            index=[float(a.maturity_index or 0.0) for a in usable],
        )
    except ValueError:
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
