"""Measurement quality of the instrument on a cohort: reliability, item information, stage mix,
consistency warnings, and agreement with staff-validated stages.

Methods: Cronbach's alpha per dimension over the items every respondent answers (items behind
skip logic are left out so alpha compares like with like); corrected item-total correlation
(each item against the sum of the dimension's other items); an item whose most common answer is
given by at least ``CONSTANT_SHARE`` of respondents carries little information; agreement with
staff stages is Cohen's kappa with a confusion matrix (scikit-learn).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import cohen_kappa_score, confusion_matrix

from assessment.instrument import item_value
from assessment.types import MIIT_LEVEL_CODES, Instrument, Responses, Stage

CONSTANT_SHARE = 0.9


@dataclass(frozen=True)
class DimensionReliability:
    dimension: str
    items: tuple[str, ...]
    alpha: float | None  # None with fewer than 2 items or no variance
    item_total: dict[str, float | None]


@dataclass(frozen=True)
class QualityReport:
    """Quality figures for ``n`` submitted assessments of one round."""

    n: int
    reliability: tuple[DimensionReliability, ...]
    stage_shares: dict[str, float]
    warnings_per_item: dict[str, int]
    near_constant: dict[str, float]  # item code -> share of the modal answer
    kappa: float | None
    confusion: list[list[int]] | None  # rows: staff stage S0..S3, columns: model stage
    labelled: int
    #: Version-2 rounds: share of each MIIT level code ("none", "1".."4"), in level order.
    miit_shares: dict[str, float] = field(default_factory=dict)
    #: Version-2 rounds: stage code -> MIIT level code -> count (the stage x level table).
    stage_by_level: dict[str, dict[str, int]] = field(default_factory=dict)


def cronbach_alpha(matrix: np.ndarray) -> float | None:
    """Cronbach's alpha of an (respondents x items) matrix; None when undefined."""
    n_items = matrix.shape[1]
    if matrix.shape[0] < 2 or n_items < 2:
        return None
    total_var = matrix.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return None
    return float(n_items / (n_items - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / total_var))


def _corr(a: np.ndarray, b: np.ndarray) -> float | None:
    if a.std() == 0 or b.std() == 0:
        return None
    return float(np.corrcoef(a, b)[0, 1])


def quality_report(
    instrument: Instrument,
    responses: Sequence[Responses],
    stages: Sequence[str],
    warnings: Sequence[Sequence[str]],
    warning_items: dict[str, tuple[str, ...]],
    staff_stages: Sequence[str | None] | None = None,
) -> QualityReport:
    """Quality of one round.

    Parameters
    ----------
    responses, stages, warnings : sequences of equal length n
        Each submitted assessment's answers, model stage code and consistency-warning codes.
    warning_items : mapping
        Warning code -> the item codes it involves (``consistency.RULES``).
    staff_stages : sequence of stage codes or None, optional
        Staff-validated stages aligned with ``stages``; None where not validated.
    """
    n = len(responses)
    reliability = []
    for dim in instrument.dimensions:
        codes = [
            i.code
            for i in instrument.items_of(dim.code)
            if n and all(i.code in r for r in responses)
        ]
        if not codes:
            reliability.append(DimensionReliability(dim.code, (), None, {}))
            continue
        matrix = np.array(
            [[item_value(instrument.item(c), r[c]) for c in codes] for r in responses], dtype=float
        )
        item_total = {
            c: _corr(matrix[:, j], np.delete(matrix, j, axis=1).sum(axis=1))
            if len(codes) > 1
            else None
            for j, c in enumerate(codes)
        }
        reliability.append(
            DimensionReliability(dim.code, tuple(codes), cronbach_alpha(matrix), item_total)
        )
    stage_counts = Counter(stages)
    shares = {s.code: (stage_counts[s.code] / n if n else 0.0) for s in Stage}
    per_item: Counter[str] = Counter()
    for warned in warnings:
        for code in warned:
            per_item.update(warning_items.get(code, ()))
    near_constant: dict[str, float] = {}
    for item in instrument.items:
        given = [str(r[item.code]) for r in responses if item.code in r]
        if len(given) >= 10:
            share = Counter(given).most_common(1)[0][1] / len(given)
            if share >= CONSTANT_SHARE:
                near_constant[item.code] = round(share, 3)
    kappa = confusion = None
    labelled = 0
    if staff_stages is not None:
        pairs = [(s, m) for s, m in zip(staff_stages, stages, strict=True) if s is not None]
        labelled = len(pairs)
        if labelled >= 2 and len({v for pair in pairs for v in pair}) >= 2:
            labels = [s.code for s in Stage]
            staff, model = zip(*pairs, strict=True)
            kappa = float(cohen_kappa_score(staff, model, labels=labels))
            confusion = confusion_matrix(staff, model, labels=labels).tolist()
    return QualityReport(
        n, tuple(reliability), shares, dict(per_item), near_constant, kappa, confusion, labelled
    )


def miit_tables(
    stages: Sequence[str], levels: Sequence[str]
) -> tuple[dict[str, float], dict[str, dict[str, int]]]:
    """Shares of the MIIT levels and the stage x level counts of one round.

    Parameters
    ----------
    stages, levels : sequences of equal length n
        Each assessment's stage code ("S0".."S3") and MIIT level code ("none", "1".."4").

    Returns
    -------
    (shares, table)
        ``shares``: level code -> share in [0, 1], every level in order (empty when n is 0);
        ``table``: stage code S0..S3 -> level code -> count, every cell present.
    """
    n = len(levels)
    counts = Counter(levels)
    shares = {code: counts[code] / n for code in MIIT_LEVEL_CODES} if n else {}
    table = {s.code: dict.fromkeys(MIIT_LEVEL_CODES, 0) for s in Stage}
    for stage, level in zip(stages, levels, strict=True):
        table[stage][level] += 1
    return shares, table
