"""Excel/CSV exports keep Chinese text and neutralise spreadsheet formulas."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from reports.exports import safe_cell, table_csv, table_xlsx


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
