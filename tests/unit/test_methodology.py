"""docs/methodology.md agrees with the instrument file and the gate table, and cites its sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.instrument import load_instrument
from assessment.methodology import (
    BEGIN,
    END,
    methodology_tables,
    replace_generated,
    v2_cohort_summary,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"


def test_generated_tables_match_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert block == methodology_tables(load_instrument("dmi", "1")), (
        "docs/methodology.md is out of date: run `flask --app webapp docs methodology`"
    )


def test_tables_name_every_dimension_weight_and_gate() -> None:
    tables = methodology_tables(load_instrument("dmi", "1"))
    for dim in load_instrument("dmi", "1").dimensions:
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


def test_tables_give_the_miit_rule_points_scenarios_and_v2_gates() -> None:
    tables = methodology_tables(load_instrument("dmi", "1"))
    assert "| Level 2 | 二级 | 40 | 6 at L2 | 3 |" in tables
    assert "| Level 4 | 四级 | 80 | 10 at L4 | 6 |" in tables
    assert "工信厅企业〔2024〕56号" in tables
    assert "| FND-03 | FND (50) | 6 | FND-03 / FND-02 in %: >10% 0.25" in tables
    assert "| finance | 财务管理 | Finance | OPS-13 | ★ |" in tables
    assert "| hr | 人力资源 | Human resources | OPS-14 |  |" in tables
    for code in ("S1.SYSTEMS", "S2.PROD", "S3.NEWMODEL"):
        assert f"| {code} | S" in tables.split("| v2 gate |")[1]


def test_v2_cohort_summary_counts_every_firm_once() -> None:
    summary = v2_cohort_summary(n=40, seed=3)
    total_row = next(line for line in summary.splitlines() if line.startswith("| total |"))
    cells = [int(c) for c in total_row.strip("|").split("|")[1:]]
    assert sum(cells[:5]) == cells[5] == 40
    assert "| S2.PROD |" in summary


def test_the_document_quotes_the_cohort_and_the_unconfirmed_rule() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "| stage \\ MIIT | 无等级 | 一级 | 二级 | 三级 | 四级 | total |" in text
    assert "rule is not\n  confirmed against the official text" in text
