"""docs/methodology.md agrees with the instrument file and the gate table, and cites its sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.instrument import current_instrument
from assessment.methodology import BEGIN, END, methodology_tables, replace_generated

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"


def test_generated_tables_match_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert block == methodology_tables(current_instrument()), (
        "docs/methodology.md is out of date: run `flask --app webapp docs methodology`"
    )


def test_tables_name_every_dimension_weight_and_gate() -> None:
    tables = methodology_tables(current_instrument())
    for dim in current_instrument().dimensions:
        assert f"| {dim.code} | {dim.name_zh} | {dim.name_en} | {dim.weight:g} |" in tables
    for code in ("S1.SYSTEMS", "S2.DATA", "S3.NEWMODEL", "S3.INDEX"):
        assert f"| {code} |" in tables


@pytest.mark.parametrize(
    "source",
    [
        "东莞市数字经济发展规划",
        "GB/T 23020",
        "中小企业数字化水平评测指标",
        "GB/T 39116",
        "DMAT",
        "SIRI",
        "acatech",
        "IMPULS",
    ],
)
def test_sources_are_cited(source: str) -> None:
    assert source in DOC.read_text(encoding="utf-8")


def test_replace_generated_needs_a_block() -> None:
    with pytest.raises(ValueError):
        replace_generated("no block here", "x")
