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

from assessment.instrument import is_applicable, item_value
from assessment.types import MIIT_LEVEL_CODES, EnterpriseProfile, Instrument, Responses, Stage

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
    pairs = [
        (s, m) for s, m in zip(staff_stages or [None] * n, stages, strict=True) if s is not None
    ]
    staff = agreement([s for s, _m in pairs], [m for _s, m in pairs], [s.code for s in Stage])
    return QualityReport(
        n,
        tuple(reliability),
        shares,
        dict(per_item),
        near_constant,
        staff.kappa,
        staff.confusion,
        staff.n,
    )


@dataclass(frozen=True)
class Agreement:
    """Agreement of two ratings of the same ``n`` firms on the categories ``labels``: Cohen's
    kappa (scikit-learn ``cohen_kappa_score``), the confusion table (rows: the first rating,
    columns: the second, in ``labels`` order) and the share of identical pairs (0-1).
    ``kappa`` and ``confusion`` are None with fewer than 2 pairs or when every rating is the
    same category (kappa is undefined); ``exact`` is None without pairs."""

    n: int
    labels: tuple[str, ...]
    kappa: float | None
    confusion: list[list[int]] | None
    exact: float | None


def agreement(first: Sequence[str], second: Sequence[str], labels: Sequence[str]) -> Agreement:
    """Cohen's kappa and the confusion table of two aligned ratings (equal length).

    Raises ``ValueError`` when the lengths differ.
    """
    if len(first) != len(second):
        raise ValueError("the two ratings must rate the same firms")
    n = len(first)
    exact = sum(a == b for a, b in zip(first, second, strict=True)) / n if n else None
    if n < 2 or len({*first, *second}) < 2:
        return Agreement(n, tuple(labels), None, None, exact)
    kappa = float(cohen_kappa_score(first, second, labels=list(labels)))
    table = confusion_matrix(first, second, labels=list(labels)).tolist()
    return Agreement(n, tuple(labels), kappa, table, exact)


#: Dimensions whose items are *reflective* (each item an indicator of one underlying trait, so
#: they should covary and Cronbach's alpha means something): the depth of integration (INT,
#: questionnaire v2) and of organisation (ORG, v1). Business-link scenarios, equipment and
#: results items are *formative* (each a separate component; a firm may be strong in one and
#: absent in another), where alpha is the wrong criterion (domain review §4; docs/methodology.md
#: §10). A product decision, to revisit with real answers.
REFLECTIVE_DIMENSIONS = frozenset({"INT", "ORG"})


@dataclass(frozen=True)
class ItemResponse:
    """How one item was answered by the firms it applies to: ``offered`` firms, the share
    (0-1) that left it blank (non-response) and the share that answered "don't know"."""

    code: str
    offered: int
    missing: float
    dont_know: float


def response_rates(
    instrument: Instrument,
    profiles: Sequence[EnterpriseProfile],
    answers: Sequence[Responses],
) -> tuple[ItemResponse, ...]:
    """Item non-response and "don't know" rates over submitted answers.

    An item counts for a firm when it applies (``assessment.instrument.is_applicable``, skip
    logic included); "don't know" is the stored answer ``"unknown"`` of figure items
    (docs/methodology.md §8.1 item 4). Items offered to nobody are left out; the rest are
    returned worst first (missing + don't know, then code).
    """
    rows = []
    for item in instrument.items:
        offered = missing = unknown = 0
        for profile, given in zip(profiles, answers, strict=True):
            if not is_applicable(item, profile, given):
                continue
            offered += 1
            value = given.get(item.code)
            missing += value is None or value == "" or value == ()
            unknown += value == "unknown"
        if offered:
            rows.append(ItemResponse(item.code, offered, missing / offered, unknown / offered))
    return tuple(sorted(rows, key=lambda r: (-(r.missing + r.dont_know), r.code)))


def answer_agreement(pairs: Sequence[tuple[Responses, Responses]]) -> float | None:
    """Share (0-1) of answers given identically twice: over each pair of answer sets of the
    same firm (first answers, corrected answers), the items answered in either, pooled.
    None when no item was answered."""
    same = total = 0
    for before, after in pairs:
        for code in {*before, *after}:
            total += 1
            same += before.get(code) == after.get(code)
    return same / total if total else None


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
