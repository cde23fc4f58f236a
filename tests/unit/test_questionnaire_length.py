"""The minutes still needed for a questionnaire: the instrument's minutes shared out by the items
left (the rule the home page and the questionnaire pages both use)."""

from __future__ import annotations

import pytest

from webapp.services.questionnaire_pages import minutes_left


@pytest.mark.parametrize(
    ("answered", "total", "expected"),
    [(0, 40, 20), (20, 40, 10), (39, 40, 1), (40, 40, 0), (0, 0, 0)],
)
def test_minutes_left(answered: int, total: int, expected: int) -> None:
    assert minutes_left(20, answered, total) == expected
