"""Excel/CSV exports keep Chinese text and neutralise spreadsheet formulas."""

from __future__ import annotations

import ast
import io
from pathlib import Path

from openpyxl import load_workbook

from reports.exports import MAX_COLUMN_WIDTH, Sheet, safe_cell, table_csv, table_xlsx, workbook_xlsx


def test_formula_like_text_is_neutralised_numbers_are_not() -> None:
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("+1") == "'+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2") == "'-2" and safe_cell(-2) == -2 and safe_cell("东莞") == "东莞"


def test_xlsx_and_csv_contents() -> None:
    headers = ["企业名称 (name)", "成熟度指数 (maturity_index)"]
    rows = [["东莞市=测试", 51.5], ["=cmd|' /C calc'!A0", 3.0]]
    wb = load_workbook(io.BytesIO(table_xlsx("cohort", headers, rows)))
    ws = wb.active
    assert [c.value for c in ws[1]] == headers
    assert ws["A2"].value == "东莞市=测试" and ws["B2"].value == 51.5
    assert ws["A3"].value.startswith("'=")
    text = table_csv(headers, rows).decode("utf-8")
    assert text.startswith("\ufeff企业名称 (name)") and "'=cmd" in text


def test_no_module_but_reports_exports_writes_a_workbook_or_csv() -> None:
    """Every Excel/CSV writer goes through ``reports.exports`` (so through ``safe_cell``)."""
    root = Path(__file__).resolve().parents[2]
    writers = {"Workbook", "writer", "DictWriter"}
    offenders = []
    for folder in ("webapp", "reports", "assessment", "models"):
        for path in (root / folder).rglob("*.py"):
            if path == root / "reports" / "exports.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                func = node.func if isinstance(node, ast.Call) else None
                name = getattr(func, "attr", None) or getattr(func, "id", None)
                if name in writers:
                    offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []


def test_workbook_neutralises_every_sheet_and_header() -> None:
    data = workbook_xlsx([Sheet("a", [["=1+1", 2]]), Sheet("b", [["@x"]], ["-h"])])
    book = load_workbook(io.BytesIO(data))
    assert book["a"]["A1"].value == "'=1+1" and book["a"]["B1"].value == 2
    assert book["b"]["A1"].value == "'-h" and book["b"]["A2"].value == "'@x"


def test_columns_fit_their_text_and_long_text_wraps() -> None:
    long = "东莞市数字经济发展规划(2022-2025) 四(五)2：2025 年带动 15 万家工业企业上云用云" * 2
    ws = load_workbook(io.BytesIO(table_xlsx("t", ["代码", "来源"], [["S1", long]]))).active
    # "代码" is four cells wide (two wide characters): the header decides column A.
    assert ws.column_dimensions["A"].width == 4 + 2
    assert ws.column_dimensions["B"].width == MAX_COLUMN_WIDTH
    assert ws["B2"].alignment.wrap_text and not ws["A2"].alignment.wrap_text
