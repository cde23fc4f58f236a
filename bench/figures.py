"""Measuring a benchmark figure and judging it against the floor measured beside it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """``fn()``'s value and the wall-clock seconds it took (``time.perf_counter``)."""
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def against_floor(ours: float, floor: float, within: float, ratio_format: str = "4.2f") -> str:
    """``"ratio 1.52x; goal within 2x: met"``: ``ours / floor`` written with ``ratio_format``
    (a format spec), and whether ``ours`` is at most ``within`` times ``floor`` (both in the
    same unit; ``floor`` > 0). The goals (``within``) are the benchmark's, set per figure in
    the module that measures it.

    Raises
    ------
    ZeroDivisionError
        ``floor`` is 0.
    """
    verdict = "met" if ours <= within * floor else "NOT met"
    return f"ratio {ours / floor:{ratio_format}}x; goal within {within:g}x: {verdict}"
