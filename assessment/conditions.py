"""Conditions over answers and scores: the vocabulary in which stage gates and tasks are written.

Every condition is monotone: moving an answer to a more mature option, or raising a number or
the index, never turns a met condition into an unmet one. Answers to items that are hidden by
skip logic count as not given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from assessment.types import EnterpriseProfile, Instrument, Responses


@dataclass(frozen=True)
class Facts:
    """What a condition may look at: the visible answers and the maturity index (0-100)."""

    instrument: Instrument
    profile: EnterpriseProfile
    responses: Responses
    maturity_index: float
    dimension_scores: Mapping[str, float]


class Condition(Protocol):
    """A test on ``Facts``; ``holds`` never raises: a missing or hidden answer is not met."""

    def holds(self, facts: Facts) -> bool:
        """Whether the condition is met by ``facts``."""
        ...


def level_of(answer: object) -> int:
    """Level 0-4 of a stored single-choice answer whose option codes are "L0".."L4"; -1 for no
    answer or an answer that is not a level."""
    if isinstance(answer, str) and len(answer) == 2 and answer[0] == "L" and answer[1].isdigit():
        return int(answer[1])
    return -1


def level(facts: Facts, item_code: str) -> int:
    """Level of a single-choice answer whose option codes are "L0".."L4"; -1 when unanswered."""
    return level_of(facts.responses.get(item_code))


@dataclass(frozen=True)
class AtLeast:
    """The answer to ``item`` is at level ``minimum`` or higher."""

    item: str
    minimum: int

    def holds(self, facts: Facts) -> bool:
        """Met when the answer's level is ``minimum`` or more; unanswered is level -1."""
        return level(facts, self.item) >= self.minimum


@dataclass(frozen=True)
class CountAtLeast:
    """At least ``count`` of ``items`` are answered at level ``minimum`` or higher."""

    items: tuple[str, ...]
    minimum: int
    count: int

    def holds(self, facts: Facts) -> bool:
        """Met when ``count`` or more of ``items`` reach level ``minimum`` (unanswered: -1)."""
        return sum(level(facts, code) >= self.minimum for code in self.items) >= self.count


@dataclass(frozen=True)
class NumberAtLeast:
    item: str
    minimum: float

    def holds(self, facts: Facts) -> bool:
        """Met when the numeric answer is ``minimum`` or more (in the item's unit); unanswered
        or non-numeric answers are not met."""
        answer = facts.responses.get(self.item)
        return isinstance(answer, int | float) and float(answer) >= self.minimum


@dataclass(frozen=True)
class RateAtLeast:
    """``numerator`` / ``denominator`` (two figure answers) is at least ``percent`` %.

    Monotone in the numerator; a missing or zero denominator never holds.
    """

    numerator: str
    denominator: str
    percent: float

    def holds(self, facts: Facts) -> bool:
        top = facts.responses.get(self.numerator)
        bottom = facts.responses.get(self.denominator)
        if not isinstance(top, int | float) or not isinstance(bottom, int | float) or bottom <= 0:
            return False
        return 100.0 * float(top) / float(bottom) >= self.percent


@dataclass(frozen=True)
class Chosen:
    """At least ``count`` of ``options`` are ticked in the multiple-choice ``item``."""

    item: str
    options: frozenset[str]
    count: int

    def holds(self, facts: Facts) -> bool:
        """Met when ``count`` or more of ``options`` are ticked; an unanswered item has none."""
        answer = facts.responses.get(self.item)
        chosen = set(answer) if isinstance(answer, tuple) else set()
        return len(chosen & self.options) >= self.count


@dataclass(frozen=True)
class IndexAtLeast:
    minimum: float

    def holds(self, facts: Facts) -> bool:
        """Met when the maturity index (0-100) is ``minimum`` or more."""
        return facts.maturity_index >= self.minimum


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        """Met when every part is met (an empty ``parts`` is met)."""
        return all(p.holds(facts) for p in self.parts)


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        """Met when at least one part is met (an empty ``parts`` is not)."""
        return any(p.holds(facts) for p in self.parts)
