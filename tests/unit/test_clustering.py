"""Peer clustering: recovers known structure, deterministic, explainable personas."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from assessment.clustering import fit_peer_model, make_peer_pipeline

COLUMNS = ("ORG", "MGT", "PRO", "DAT")
NAMES = {
    "ORG": ("组织", "organisation"),
    "MGT": ("管理", "management"),
    "PRO": ("生产", "production"),
    "DAT": ("数据", "data"),
}


def cohort(seed: int = 0, n_per: int = 150) -> tuple[np.ndarray, np.ndarray]:
    """Three known groups: low everywhere; management-led; production-and-data-led."""
    rng = np.random.default_rng(seed)
    centres = np.array([[15, 15, 15, 15], [60, 75, 30, 30], [55, 35, 75, 80]], dtype=float)
    x = np.vstack([c + rng.normal(0, 6, (n_per, 4)) for c in centres])
    return np.clip(x, 0, 100), np.repeat(np.arange(3), n_per)


def test_recovers_known_structure() -> None:
    x, truth = cohort()
    model = fit_peer_model(x, COLUMNS, dimension_names=NAMES)
    assert model.k == 3
    assert adjusted_rand_score(truth, model.labels) >= 0.9
    assert model.stability_ari >= 0.9
    assert set(model.silhouette_by_k) == set(range(3, 9))


def test_same_data_same_labels_and_names() -> None:
    x, _ = cohort(seed=1)
    a = fit_peer_model(x, COLUMNS, dimension_names=NAMES)
    b = fit_peer_model(x.copy(), COLUMNS, dimension_names=NAMES)
    assert a.labels == b.labels and [p.name_zh for p in a.personas] == [
        p.name_zh for p in b.personas
    ]


def test_labels_ordered_by_maturity_and_personas_explain_centroids() -> None:
    x, _ = cohort()
    model = fit_peer_model(x, COLUMNS, dimension_names=NAMES, stages=["S1"] * len(x))
    means = [np.mean(list(p.centroid.values())) for p in model.personas]
    assert means == sorted(means)  # label 0 is the least mature
    names = {p.name_en for p in model.personas}
    assert any("strong in management" in n for n in names)
    assert any("production" in n and n.startswith("strong") for n in names)
    assert sum(p.size for p in model.personas) == len(x)
    assert all(sum(p.stage_mix.values()) == p.size for p in model.personas)


def test_assignment_of_new_rows_matches_the_fit() -> None:
    x, _ = cohort()
    model = fit_peer_model(x, COLUMNS)
    assert tuple(int(v) for v in model.assign(x)) == model.labels
    assert int(model.assign(np.array([[10.0, 10.0, 10.0, 10.0]]))[0]) == 0


def test_too_few_rows_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="need more than"):
        fit_peer_model(np.ones((3, 4)), COLUMNS)


def test_pipeline_shapes() -> None:
    x, _ = cohort()
    assert make_peer_pipeline(3).fit(x).predict(x).shape == (len(x),)


def test_large_round_chooses_k_on_a_sample_and_labels_every_row() -> None:
    x, truth = cohort(seed=3, n_per=4_000)  # 12,000 rows: more than SELECTION_SAMPLE
    model = fit_peer_model(x, COLUMNS, dimension_names=NAMES)
    assert model.k == 3 and len(model.labels) == len(x)
    assert adjusted_rand_score(truth, model.labels) >= 0.9
    assert model.stability_ari >= 0.9
    assert sum(p.size for p in model.personas) == len(x)


def test_only_the_most_mature_cluster_is_named_ahead_across_the_board() -> None:
    # Three groups that differ in level only: the middle one is above the cohort's mean on
    # every dimension, but it is not "ahead across the board" like the top one.
    rng = np.random.default_rng(3)
    centres = np.array([[10, 10, 10, 10], [50, 58, 50, 50], [72, 80, 72, 72]], dtype=float)
    x = np.clip(np.vstack([c + rng.normal(0, 4, (150, 4)) for c in centres]), 0, 100)
    model = fit_peer_model(x, COLUMNS, dimension_names=NAMES, k_range=(3,))
    low, middle, top = (p.name_zh for p in model.personas)
    assert top.startswith("全面领先") and low.startswith("全面起步")
    assert middle.startswith("整体高于平均"), middle
