"""Errors of the domain core. Each carries a message in Chinese and in English."""

from __future__ import annotations

from collections.abc import Sequence

from assessment.localised import Localised


class AssessmentError(Exception):
    """Base class of every error raised by ``assessment``."""


class InvalidUSCCError(AssessmentError):
    """A unified social credit code that breaks GB 32100-2015.

    Attributes
    ----------
    reason_zh, reason_en : str
        What is wrong, for the person who typed the code.
    """

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_zh = reason_zh
        self.reason_en = reason_en

    @property
    def reason(self) -> Localised:
        """What is wrong, in both languages."""
        return Localised(self.reason_zh, self.reason_en)


class InvalidResponseError(AssessmentError):
    """An answer that the item does not accept (unknown option, out of bounds, not a number)."""

    def __init__(self, item_code: str, reason_zh: str, reason_en: str) -> None:
        super().__init__(f"{item_code}: {reason_en}")
        self.item_code = item_code
        self.reason_zh = reason_zh
        self.reason_en = reason_en

    @property
    def reason(self) -> Localised:
        """Why the answer is refused, in both languages."""
        return Localised(self.reason_zh, self.reason_en)


class IncompleteResponseError(AssessmentError):
    """Required, applicable items without an answer; ``missing`` lists their codes in order."""

    def __init__(self, missing: Sequence[str]) -> None:
        super().__init__("missing answers: " + ", ".join(missing))
        self.missing = tuple(missing)


class InstrumentVersionError(AssessmentError):
    """An instrument file that is malformed, or a version that does not exist."""
