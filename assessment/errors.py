"""Errors of the domain core. Each carries a message in Chinese and in English."""

from __future__ import annotations

from collections.abc import Sequence

from assessment.localised import Bilingual


class AssessmentError(Exception):
    """Base class of every error raised by ``assessment``."""


class ReasonedError(AssessmentError):
    """An error with a reason for the person who gave the input, in both languages.

    Attributes
    ----------
    reason_zh, reason_en : str
        What is wrong; ``str(error)`` is ``message`` (default: ``reason_en``).
    """

    def __init__(self, reason_zh: str, reason_en: str, message: str | None = None) -> None:
        super().__init__(reason_en if message is None else message)
        self.reason_zh = reason_zh
        self.reason_en = reason_en

    reason = Bilingual("What is wrong, in both languages.")


class InvalidUSCCError(ReasonedError):
    """A unified social credit code that breaks GB 32100-2015 (the reason is for the person who
    typed the code)."""


class InvalidResponseError(ReasonedError):
    """An answer that the item does not accept (unknown option, out of bounds, not a number);
    the reason says why the answer is refused, the message starts with ``item_code``."""

    def __init__(self, item_code: str, reason_zh: str, reason_en: str) -> None:
        super().__init__(reason_zh, reason_en, f"{item_code}: {reason_en}")
        self.item_code = item_code


class IncompleteResponseError(AssessmentError):
    """Required, applicable items without an answer; ``missing`` lists their codes in order."""

    def __init__(self, missing: Sequence[str]) -> None:
        super().__init__("missing answers: " + ", ".join(missing))
        self.missing = tuple(missing)


class InstrumentVersionError(AssessmentError):
    """An instrument file that is malformed, or a version that does not exist."""
