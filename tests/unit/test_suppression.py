"""Disclosure control: no suppressed count can be recomputed from what is published."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import suppress
from tests.examples import examples


def recoverable(t) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Hidden cells an attacker can solve for: repeatedly, any row/column/margin equation with
    exactly one unknown gives that unknown away (and then counts as known)."""
    n, m = len(t.cells), len(t.cells[0])
    hidden = [list(r) for r in t.hidden]
    row_h, col_h, grand_h = list(t.row_hidden), list(t.col_hidden), t.grand_hidden
    solved: list[tuple[int, int]] = []
    progress = True
    while progress:
        progress = False
        # Each row and each column with its margin: cells plus total, one equation.
        lines = [([(i, j) for j in range(m)], row_h, i) for i in range(n)]
        lines += [([(i, j) for i in range(n)], col_h, j) for j in range(m)]
        for cells, margins, k in lines:
            unknown = [(a, b) for a, b in cells if hidden[a][b]]
            if len(unknown) + margins[k] == 1:
                if unknown:
                    a, b = unknown[0]
                    hidden[a][b] = False
                    solved.append((a, b))
                else:
                    margins[k] = False
                progress = True
        for flags in (row_h, col_h):
            unknowns = [i for i, f in enumerate(flags) if f] + (["g"] if grand_h else [])
            if len(unknowns) == 1 and len(flags) > 1:
                u = unknowns[0]
                if u == "g":
                    grand_h = False
                else:
                    flags[u] = False
                progress = True
    return [(i, j) for i, j in solved if t.cells[i][j] > 0]


def test_hand_checked_table() -> None:
    t = suppress([[12, 3, 20], [8, 9, 15], [30, 40, 2]])
    assert t.hidden[0][1] and t.hidden[2][2]  # primary: 3 and 2
    assert t.primary == 2 and t.secondary >= 2
    assert recoverable(t) == []
    assert t.row_totals == (35, 32, 72) and t.grand_total == 139


def test_one_column_breakdown_hides_a_second_town() -> None:
    t = suppress([[40], [3], [12], [25]])
    assert t.hidden[1][0] and sum(h[0] for h in t.hidden) == 2  # 3 and the next smallest
    assert recoverable(t) == []


def test_no_suppression_when_every_cell_is_large() -> None:
    t = suppress([[10, 20], [30, 40]])
    assert t.primary == t.secondary == 0


def test_bad_tables_are_refused() -> None:
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress([[1, -2]])


@settings(max_examples=examples(300), deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.data())
def test_suppressed_values_cannot_be_recomputed(rows: int, cols: int, data) -> None:  # type: ignore[no-untyped-def]
    cells = data.draw(
        st.lists(
            st.lists(st.integers(0, 30), min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
    t = suppress(cells)
    assert recoverable(t) == []
    for i, j in itertools.product(range(rows), range(cols)):
        if 0 < cells[i][j] < 5:
            assert t.hidden[i][j]
    assert np.array(t.cells).sum() == t.grand_total
