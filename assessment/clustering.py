"""Peer clusters (聚类) and personas (画像) of assessed enterprises, with scikit-learn.

Estimator: standardised dimension scores -> k-means (``make_peer_pipeline``). K-means suits this
job: clusters are summarised by a centroid that reads directly as a persona ("strong in
management systems, weak in production data"), new enterprises are assigned to the nearest
centroid without refitting, and it scales linearly (100,000 x 8 fits in well under a second on
two cores; a Gaussian mixture with full covariances is 10-15x slower, see the stack notes).
The number of clusters is chosen in ``K_RANGE`` by the silhouette coefficient on a fixed sample
(Rousseeuw 1987); every value is recorded. Labels are ordered by the centroid's mean score
(cluster 0 is the least mature) so the same data always gives the same labels and names.
Stability is the mean adjusted Rand index between the fit and fits on bootstrap resamples
(Hennig 2007).

On a large round, choosing k and measuring stability use a fixed random sample of
``SELECTION_SAMPLE`` rows (k-means centroids and silhouettes settle long before 10,000 rows); only
the chosen k is then fitted on every row, so a 100,000-enterprise refit costs about one k-means
fit plus a constant.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from assessment.localised import Localised, Named, join_list

K_RANGE = range(3, 9)
SILHOUETTE_SAMPLE = 2000
SELECTION_SAMPLE = 10_000
BOOTSTRAPS = 5
#: A centroid this many standard deviations from the overall mean counts as strong or weak.
PERSONA_THRESHOLD = 0.25


def make_peer_pipeline(n_clusters: int, random_state: int = 0) -> Pipeline:
    """StandardScaler + KMeans (k-means++, 10 initialisations), deterministic for a seed."""
    return Pipeline(
        [
            ("scale", StandardScaler()),
            ("kmeans", KMeans(n_clusters=n_clusters, n_init=10, random_state=random_state)),
        ]
    )


@dataclass(frozen=True)
class Persona(Named):
    """A cluster described in words, from its centroid against the overall mean."""

    label: int
    name_zh: str
    name_en: str
    size: int
    centroid: dict[str, float]  # dimension -> mean score (0-100)
    stage_mix: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PeerModel:
    """A fitted peer model as plain numbers: enough to assign new enterprises and to store.

    ``mean``/``scale`` standardise a feature row; ``centers`` are in standardised units,
    ordered by label.
    """

    columns: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    centers: tuple[tuple[float, ...], ...]
    k: int
    silhouette_by_k: dict[int, float]
    stability_ari: float
    personas: tuple[Persona, ...]
    labels: tuple[int, ...]  # of the rows the model was fitted on, in input order
    random_state: int

    def assign(self, x: np.ndarray) -> np.ndarray:
        """Nearest-centroid labels for rows of ``x`` (shape (n, len(columns)), scores 0-100)."""
        z = (np.asarray(x, dtype=np.float64) - np.array(self.mean)) / np.array(self.scale)
        d = ((z[:, None, :] - np.array(self.centers)[None, :, :]) ** 2).sum(axis=2)
        labels: np.ndarray = d.argmin(axis=1)
        return labels


def _silhouette(x: np.ndarray, labels: np.ndarray, random_state: int) -> float:
    size = min(SILHOUETTE_SAMPLE, len(x))
    return float(silhouette_score(x, labels, sample_size=size, random_state=random_state))


def _ordered(pipeline: Pipeline) -> tuple[np.ndarray, np.ndarray]:
    """Centres in standardised units sorted by mean (least mature first), and the old->new map."""
    centers = pipeline.named_steps["kmeans"].cluster_centers_
    order = np.argsort(centers.mean(axis=1), kind="stable")
    remap = np.empty_like(order)
    remap[order] = np.arange(len(order))
    return centers[order], remap


def _persona(
    label: int,
    centroid_z: np.ndarray,
    centroid: np.ndarray,
    columns: Sequence[str],
    names: Mapping[str, tuple[str, str]],
    size: int,
    stage_mix: dict[str, int],
    rank: tuple[int, int],
) -> Persona:
    """Name a cluster by its dimensions a ``PERSONA_THRESHOLD`` of a standard deviation or more
    above (``strong``) or below (``weak``) the cohort's mean. ``rank`` is (label, k): only the
    most mature cluster that is above the mean everywhere is "ahead across the board", only
    the least mature one below it everywhere is "early on every dimension"; a cluster between
    them with the same shape is "above/below the average overall", so two clusters of different
    levels never share a name that only one of them deserves."""
    label_rank, k = rank
    strong = [i for i in np.argsort(-centroid_z) if centroid_z[i] >= PERSONA_THRESHOLD][:2]
    weak = [i for i in np.argsort(centroid_z) if centroid_z[i] <= -PERSONA_THRESHOLD][:2]

    def listed(idx: Sequence[int], language: str) -> str:
        named = (Localised(*names.get(columns[i], (columns[i], columns[i]))) for i in idx)
        return join_list((n.for_locale(language) for n in named), language)

    def zh(idx: Sequence[int]) -> str:
        return listed(idx, "zh")

    def en(idx: Sequence[int]) -> str:
        return listed(idx, "en")

    if strong and weak:
        name = (f"{zh(strong)}领先、{zh(weak)}薄弱", f"strong in {en(strong)}, weak in {en(weak)}")
    elif strong and label_rank == k - 1:
        name = (
            f"全面领先（尤其{zh(strong)}）",
            f"ahead across the board, above all in {en(strong)}",
        )
    elif strong:
        name = (
            f"整体高于平均（尤其{zh(strong)}）",
            f"above the average overall, above all in {en(strong)}",
        )
    elif weak and label_rank == 0:
        name = (f"全面起步（尤其{zh(weak)}）", f"early on every dimension, above all {en(weak)}")
    elif weak:
        name = (
            f"整体低于平均（尤其{zh(weak)}）",
            f"below the average overall, above all in {en(weak)}",
        )
    else:
        name = ("各方面接近平均", "close to the average on every dimension")
    return Persona(
        label,
        name[0],
        name[1],
        size,
        {c: round(float(v), 1) for c, v in zip(columns, centroid, strict=True)},
        stage_mix,
    )


def fit_peer_model(
    x: np.ndarray,
    columns: Sequence[str],
    *,
    dimension_names: Mapping[str, tuple[str, str]] | None = None,
    stages: Sequence[str] | None = None,
    k_range: Sequence[int] = K_RANGE,
    random_state: int = 0,
) -> PeerModel:
    """Choose k by silhouette, fit, order labels, name personas, measure stability.

    Parameters
    ----------
    x : ndarray of shape (n_enterprises, n_dimensions)
        Dimension scores 0-100 (``features.feature_matrix``).
    stages : sequence of stage codes, optional
        Aligned with ``x``; gives each persona its stage mix.

    Raises
    ------
    ValueError
        Fewer rows than the largest k tried plus one, or a constant column set.
    """
    x = np.asarray(x, dtype=np.float64)
    ks = [k for k in k_range if k < len(x)]
    if not ks:
        raise ValueError(f"need more than {min(k_range)} assessments to cluster, got {len(x)}")
    rng = np.random.default_rng(random_state)
    sample = (
        x
        if len(x) <= SELECTION_SAMPLE
        else x[np.sort(rng.choice(len(x), SELECTION_SAMPLE, replace=False))]
    )
    silhouettes: dict[int, float] = {}
    fitted: dict[int, Pipeline] = {}
    for k in ks:
        pipe = make_peer_pipeline(k, random_state).fit(sample)
        sample_labels = pipe.named_steps["kmeans"].labels_
        if len(set(sample_labels)) < 2:
            continue
        silhouettes[k] = round(
            _silhouette(pipe.named_steps["scale"].transform(sample), sample_labels, random_state), 4
        )
        fitted[k] = pipe
    if not silhouettes:
        raise ValueError("the scores do not separate into clusters")
    best = max(silhouettes, key=lambda k: (silhouettes[k], -k))

    aris = []
    for _ in range(BOOTSTRAPS):
        rows = rng.integers(0, len(sample), len(sample))
        boot = make_peer_pipeline(best, random_state).fit(sample[rows])
        aris.append(adjusted_rand_score(fitted[best].predict(sample), boot.predict(sample)))

    pipe = fitted[best] if sample is x else make_peer_pipeline(best, random_state).fit(x)
    centers, remap = _ordered(pipe)
    labels = remap[pipe.named_steps["kmeans"].labels_]
    scaler = pipe.named_steps["scale"]

    names = dimension_names or {}
    personas = []
    for label in range(best):
        members = labels == label
        mix = (
            dict(sorted(Counter(s for s, m in zip(stages, members, strict=True) if m).items()))
            if stages is not None
            else {}
        )
        centroid = (
            x[members].mean(axis=0)
            if members.any()
            else scaler.inverse_transform(centers[label : label + 1])[0]
        )
        personas.append(
            _persona(
                label,
                centers[label],
                centroid,
                columns,
                names,
                int(members.sum()),
                mix,
                (label, best),
            )
        )
    seen: Counter[str] = Counter()
    unique = []
    for p in personas:  # two clusters can read alike; keep names distinct
        seen[p.name_zh] += 1
        if seen[p.name_zh] > 1:
            p = Persona(
                p.label,
                f"{p.name_zh}（{seen[p.name_zh]}）",
                f"{p.name_en} ({seen[p.name_zh]})",
                p.size,
                p.centroid,
                p.stage_mix,
            )
        unique.append(p)
    return PeerModel(
        columns=tuple(columns),
        mean=tuple(float(v) for v in scaler.mean_),
        scale=tuple(float(v) for v in scaler.scale_),
        centers=tuple(tuple(float(v) for v in row) for row in centers),
        k=best,
        silhouette_by_k=silhouettes,
        stability_ari=round(float(np.mean(aris)), 4),
        personas=tuple(unique),
        labels=tuple(int(v) for v in labels),
        random_state=random_state,
    )
