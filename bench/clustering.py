"""Peer-model fit time for 10,000 and 100,000 assessments next to a bare scikit-learn fit.

The matrix: dimension scores of a synthetic cohort (10,000 enterprises generated and scored);
the 100,000 matrix resamples those rows with small noise. Our fit chooses k in 3..8 by
silhouette on a 2,000-row sample and measures bootstrap stability, so it does ~12 k-means fits
where the floor does one: the ratio says what model selection costs. Run with ``make bench``.
"""

from __future__ import annotations

import time

import numpy as np

from assessment.classification import is_above_scale, size_class
from assessment.clustering import fit_peer_model, make_peer_pipeline
from assessment.features import feature_columns, feature_matrix
from assessment.instrument import current_instrument
from assessment.scoring import score_card
from assessment.synthetic import synthetic_cohort
from assessment.types import EnterpriseProfile


def matrix(n: int) -> np.ndarray:
    instrument = current_instrument()
    cards = []
    for e in synthetic_cohort(instrument, n, seed=2026):
        profile = EnterpriseProfile(e.industry_code, e.production_type,
                                    size_class(e.industry_code, e.employees, e.revenue_wan),
                                    e.town, is_above_scale(e.revenue_wan))  # fmt: skip
        cards.append(score_card(instrument, profile, e.responses).dimension_scores)
    return feature_matrix(cards, feature_columns(instrument))


def main() -> None:
    start = time.perf_counter()
    base = matrix(10_000)
    print(
        f"generated and scored 10,000 synthetic assessments in {time.perf_counter() - start:.1f} s"
    )
    rng = np.random.default_rng(0)
    big = np.clip(
        base[rng.integers(0, len(base), 100_000)] + rng.normal(0, 2, (100_000, base.shape[1])),
        0,
        100,
    )
    columns = feature_columns(current_instrument())
    for x in (base, big):
        start = time.perf_counter()
        model = fit_peer_model(x, columns)
        ours = time.perf_counter() - start
        start = time.perf_counter()
        make_peer_pipeline(model.k).fit(x)
        floor = time.perf_counter() - start
        print(f"n={len(x):>7,}: our fit {ours:6.2f} s (k={model.k}, ARI {model.stability_ari}) | "
              f"bare KMeans(k={model.k}) pipeline fit {floor:5.2f} s | ratio {ours / floor:4.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
