"""Feature matrices for clustering: dimension scores in the instrument's column order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from assessment.types import Instrument


def feature_columns(instrument: Instrument) -> tuple[str, ...]:
    """Column order of the feature matrix: the codes of the instrument's scored dimensions (v2's
    cluster module and profile pages are unscored, so no score card has them)."""
    return tuple(d.code for d in instrument.dimensions if d.scored)


def feature_matrix(
    dimension_scores: Sequence[Mapping[str, float]], columns: Sequence[str]
) -> np.ndarray:
    """Shape (n_enterprises, n_dimensions), float64, scores 0-100 in ``columns`` order.

    Raises
    ------
    KeyError
        A score card lacks one of the columns.
    """
    return np.array(
        [[float(s[c]) for c in columns] for s in dimension_scores], dtype=np.float64
    ).reshape(len(dimension_scores), len(columns))
