"""An assessment's answers as readable rows (question and chosen answer, both languages).

The one place that turns stored answers into text: the staff's enterprise page and the
owner's review page both list answers through ``answer_rows``.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass

from assessment.instrument import is_applicable
from assessment.types import Answer, EnterpriseProfile, Instrument


@dataclass(frozen=True)
class AnswerRow:
    """One answered, applicable item: its code, page (dimension code), question and answer."""

    code: str
    dimension: str
    question_zh: str
    question_en: str
    answer_zh: str
    answer_en: str
    warned: bool


def answer_rows(
    instrument: Instrument,
    profile: EnterpriseProfile,
    responses: Mapping[str, Answer],
    warned_items: Set[str] = frozenset(),
) -> list[AnswerRow]:
    """The applicable answered items in instrument order; an option item shows its option
    texts (several joined with "；" / "; "), a figure its value and unit; ``warned`` marks the
    items named by a consistency warning in ``warned_items``."""
    rows = []
    for item in instrument.items:
        if item.code not in responses or not is_applicable(item, profile, responses):
            continue
        value = responses[item.code]
        chosen = value if isinstance(value, tuple) else (value,)
        options = [item.option(str(c)) for c in chosen]
        zh = "；".join(o.text_zh for o in options if o) or f"{value:g} {item.unit_zh}"
        en = "; ".join(o.text_en for o in options if o) or f"{value:g} {item.unit_en}"
        rows.append(
            AnswerRow(
                item.code,
                item.dimension,
                item.text_zh,
                item.text_en,
                zh,
                en,
                item.code in warned_items,
            )
        )
    return rows
