"""What the questionnaire's page list marks as done (``PageProgress.done``): a page with nothing
left that stops the submit and something answered, never an untouched page of optional items."""

from __future__ import annotations

import pytest

from assessment.instrument import load_instrument
from assessment.types import Item
from webapp.services.questionnaire_pages import PageProgress

REQUIRED = next(i for i in load_instrument("dmi", "2").items if i.required)


@pytest.mark.parametrize(
    ("answered", "total", "missing", "carried", "complete", "done"),
    [
        (0, 8, (), (), True, False),  # optional items only, not opened: not "done"
        (3, 8, (), (), True, True),  # some optional answers: done
        (7, 8, (REQUIRED,), (), False, False),  # a required answer missing
        (8, 8, (), ("FND-01",), False, False),  # carried answers to confirm
        (0, 0, (), (), True, True),  # nothing applies to the firm on this page
    ],
)
def test_a_page_is_marked_done_only_when_complete_and_answered(
    answered: int,
    total: int,
    missing: tuple[Item, ...],
    carried: tuple[str, ...],
    complete: bool,
    done: bool,
) -> None:
    page = PageProgress("FND", "数字化基础", "Foundations", answered, total, missing, carried)
    assert (page.complete, page.done) == (complete, done)
