"""Plain-text rule for names and free text typed by users or read from uploaded files.

One rule for every form and import (review finding 9): a name or note may hold any printable
character of any script, but not

* C0 or C1 control characters (U+0000-U+001F, U+007F-U+009F); free text may hold line breaks
  and tabs. They break Excel exports (XML 1.0 forbids most of them) and PostgreSQL refuses NUL;
* bidirectional overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) and the
  directional marks U+200E, U+200F, U+061C, which reorder what a reader sees ("Trojan Source",
  CVE-2021-42574; an RLO turned ``Ctrl gnp.exe Co`` into a spoofed name);
* nothing visible: a value of zero-width characters (U+200B-U+200D, U+2060, U+FEFF, U+180E)
  and white space only (white space alone counts as empty, which is the caller's rule);
* a run of more than ``MAX_COMBINING_RUN`` combining marks on one character ("Zalgo" text that
  spills over neighbouring lines).
"""

from __future__ import annotations

import unicodedata
from enum import Enum

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e")
LINE_BREAKS = frozenset("\n\r\t")
#: Longest run of combining marks on one base character; real scripts need at most a few.
MAX_COMBINING_RUN = 4


class TextProblem(Enum):
    """Why a text was refused (the caller words the message in the page's language)."""

    CONTROL = "control"
    BIDI = "bidi"
    INVISIBLE = "invisible"
    COMBINING = "combining"


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F


def text_problem(value: str, *, multiline: bool = False) -> TextProblem | None:
    """The first rule ``value`` breaks, or ``None`` when it is acceptable.

    Parameters
    ----------
    value : str
        The text as submitted (an empty string is not judged here: required-ness is the
        caller's rule).
    multiline : bool
        Free text (notes, reasons): line feed, carriage return and tab are allowed.
    """
    if not value:
        return None
    run = 0
    for ch in value:
        if _is_control(ch) and not (multiline and ch in LINE_BREAKS):
            return TextProblem.CONTROL
        if ch in BIDI_CONTROLS:
            return TextProblem.BIDI
        run = run + 1 if unicodedata.combining(ch) else 0
        if run > MAX_COMBINING_RUN:
            return TextProblem.COMBINING
    if value.strip() and not "".join(ch for ch in value if ch not in ZERO_WIDTH).strip():
        return TextProblem.INVISIBLE
    return None


def strip_unsafe(value: str) -> str:
    """``value`` without control characters (line breaks and tabs kept) and bidi controls: for
    writing stored text that predates the rule into files (exports never fail on it)."""
    return "".join(
        ch
        for ch in value
        if not (_is_control(ch) and ch not in LINE_BREAKS) and ch not in BIDI_CONTROLS
    )
