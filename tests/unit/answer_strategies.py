"""Hypothesis strategies for answers to questionnaire items, shared by the property tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from assessment.types import Item, ItemKind


def choice_answer(item: Item) -> st.SearchStrategy[Any] | None:
    """Any valid answer to a choice item: one option code (single choice), or for multiple
    choice a set of the real options in option order, ``("none",)`` when none is picked.
    ``None`` for items of other kinds (numbers, figures), whose ranges the caller chooses."""
    if item.kind == ItemKind.SINGLE:
        return st.sampled_from([o.code for o in item.options])
    if item.kind == ItemKind.MULTI:
        real = [o.code for o in item.options if o.code != "none"]
        return st.lists(st.sampled_from(real), unique=True, max_size=len(real)).map(
            lambda chosen: tuple(c for c in real if c in chosen) or ("none",)
        )
    return None
