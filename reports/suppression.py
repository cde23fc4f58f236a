"""Statistical disclosure control for aggregate tables: primary and secondary cell suppression.

Rule: a published cell must describe at least ``k`` enterprises (k = 5 by default, as in the
threshold rules national statistics offices apply to business data). Primary suppression hides
every cell with 0 < count < k. Secondary suppression then hides further cells until no row or
column of the table, together with its published total, has exactly one hidden cell - otherwise
the hidden value would be the total minus the published cells. Zero cells are published (they
disclose nothing about any one enterprise); the smallest non-zero visible cell is chosen for
secondary suppression, so as little information as possible is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_K = 5


@dataclass(frozen=True)
class SuppressedTable:
    """Counts with margins and a mask of hidden cells.

    ``cells[i][j]`` are counts; ``row_totals``, ``col_totals`` and ``grand_total`` the margins;
    ``hidden[i][j]``, ``row_hidden[i]``, ``col_hidden[j]`` and ``grand_hidden`` say what is
    suppressed (primary or secondary).
    """

    cells: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...]
    col_totals: tuple[int, ...]
    grand_total: int
    hidden: tuple[tuple[bool, ...], ...]
    row_hidden: tuple[bool, ...]
    col_hidden: tuple[bool, ...]
    grand_hidden: bool
    primary: int
    secondary: int


def _small(value: int, k: int) -> bool:
    return 0 < value < k


def suppress(cells: Sequence[Sequence[int]], k: int = DEFAULT_K) -> SuppressedTable:
    """Suppress a 2-D table of counts (rows x columns) with its row, column and grand totals.

    A 1-D breakdown is a table with one column. Raises ``ValueError`` for a ragged or negative
    table or ``k`` < 1.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    rows = [list(map(int, r)) for r in cells]
    n_cols = len(rows[0]) if rows else 0
    if any(len(r) != n_cols for r in rows) or any(v < 0 for r in rows for v in r):
        raise ValueError("cells must be a rectangular table of non-negative counts")
    row_totals = [sum(r) for r in rows]
    col_totals = [sum(r[j] for r in rows) for j in range(n_cols)]
    grand = sum(row_totals)
    hidden = [[_small(v, k) for v in r] for r in rows]
    row_hidden = [_small(t, k) for t in row_totals]
    col_hidden = [_small(t, k) for t in col_totals]
    grand_hidden = _small(grand, k)
    primary = sum(map(sum, hidden)) + sum(row_hidden) + sum(col_hidden) + int(grand_hidden)
    secondary = 0

    def hide_smallest(candidates: list[tuple[int, int, int]]) -> bool:
        nonlocal secondary
        visible = [(v, i, j) for v, i, j in candidates if v > 0]
        if not visible:
            return False
        _, i, j = min(visible)
        if i == -1:
            col_hidden[j] = True
        elif j == -1:
            row_hidden[i] = True
        else:
            hidden[i][j] = True
        secondary += 1
        return True

    changed = True
    while changed:
        changed = False
        # Each row with its total is one equation: cells of the row + the row total.
        for i, r in enumerate(rows):
            unknown = sum(hidden[i]) + int(row_hidden[i])
            if unknown == 1:
                pool = [(r[j], i, j) for j in range(n_cols) if not hidden[i][j]]
                pool += [(row_totals[i], i, -1)] if not row_hidden[i] else []
                changed |= hide_smallest(pool)
        for j in range(n_cols):
            unknown = sum(hidden[i][j] for i in range(len(rows))) + int(col_hidden[j])
            if unknown == 1:
                pool = [(rows[i][j], i, j) for i in range(len(rows)) if not hidden[i][j]]
                pool += [(col_totals[j], -1, j)] if not col_hidden[j] else []
                changed |= hide_smallest(pool)
        # The margins: row totals + grand total, and column totals + grand total.
        for margin, flags in ((row_totals, row_hidden), (col_totals, col_hidden)):
            unknown = sum(flags) + int(grand_hidden)
            if unknown == 1 and len(margin) > 1:
                pool = [
                    (v, i, -1) if flags is row_hidden else (v, -1, i)
                    for i, v in enumerate(margin)
                    if not flags[i]
                ]
                changed |= hide_smallest(pool)
    return SuppressedTable(
        cells=tuple(tuple(r) for r in rows),
        row_totals=tuple(row_totals),
        col_totals=tuple(col_totals),
        grand_total=grand,
        hidden=tuple(tuple(h) for h in hidden),
        row_hidden=tuple(row_hidden),
        col_hidden=tuple(col_hidden),
        grand_hidden=grand_hidden,
        primary=primary,
        secondary=secondary,
    )
