"""The unit tests' hand-made data files in ``tests/unit/data/`` (small instruments, a catalogue,
carry-over items), read as the text the parsers under test take."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).with_name("data")


def data_text(name: str) -> str:
    """The UTF-8 text of ``tests/unit/data/<name>``; ``FileNotFoundError`` when there is none."""
    return (DATA / name).read_text(encoding="utf-8")
