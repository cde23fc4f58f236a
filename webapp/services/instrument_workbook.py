"""Questionnaire versions as Excel workbooks: read an uploaded one into instrument TOML, and
write any version as a workbook to edit into the next.

The layout and the row checks are ``assessment.instrument_sheets``'s; this module reads the file
with the upload reader every import uses (``tabular_import.read_workbook_rows``: size, zip-bomb,
dimension and cell-length limits, ``defusedxml``), writes with ``reports.exports`` (formula
neutralisation) and words each problem in the page's language.
"""

from __future__ import annotations

import tomllib
from typing import Any

from flask_babel import gettext as _

from assessment.errors import InstrumentVersionError
from assessment.instrument import parse_instrument
from assessment.instrument_sheets import (
    SHEET_NAMES,
    Cell,
    Problem,
    data_from_tables,
    locate,
    tables_from_data,
    toml_text,
)
from reports.exports import FORMULA_PREFIXES, Sheet, workbook_xlsx
from webapp.services.tabular_import import ImportRefused, RowError, read_workbook_rows


def toml_from_workbook(data: bytes) -> str:
    """The instrument TOML an uploaded workbook spells (layout: ``assessment.instrument_sheets``).

    Row checks first (every bad row); when every row is valid, ``parse_instrument``'s rules
    across rows (one error, placed at the row of the code its message names).

    Raises
    ------
    ImportRefused
        The file is too large, not a workbook or breaks an upload limit (one error, row 0), or
        has bad rows (every one of them, in sheet and row order, each with its column), or is
        refused by ``parse_instrument``.
    """
    sheets = read_workbook_rows(data, SHEET_NAMES)
    tables = {
        name: [(number, {k: _unneutralised(v) for k, v in row.items()}) for number, row in rows]
        for name, rows in sheets.items()
    }
    instrument, problems = data_from_tables(tables)
    if problems:
        raise ImportRefused([_row_error(p) for p in problems])
    text = toml_text(instrument)
    try:
        parse_instrument(text)
    except InstrumentVersionError as exc:  # a rule across rows, e.g. show_if on a later item
        sheet, row = locate(str(exc), tables)
        raise ImportRefused([RowError(sheet, row, _("文件无效：%(e)s", e=str(exc)))]) from exc
    return text


def _unneutralised(value: Any) -> Cell:
    """A cell as typed: without the apostrophe ``reports.exports.safe_cell`` put before text a
    spreadsheet would run as a formula (so a downloaded workbook uploads unchanged)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # a date or time typed into a text cell


def workbook_from_toml(text: str) -> bytes:
    """A version's TOML (packaged or published, so valid) as an .xlsx workbook."""
    return workbook_xlsx(
        [Sheet(t.name, t.rows, t.header) for t in tables_from_data(tomllib.loads(text))]
    )


def _row_error(problem: Problem) -> RowError:
    return RowError(problem.sheet, problem.row, reason(problem), problem.column)


def reason(problem: Problem) -> str:
    """``problem`` as a sentence in the page's language."""
    d, e = problem.detail, problem.expected
    reasons = {
        "missing_sheet": lambda: _("缺少工作表 %(s)s。", s=problem.sheet),
        "missing_column": lambda: _("缺少列 %(c)s。", c=problem.column),
        "unknown_column": lambda: _("未知的列 %(c)s。", c=problem.column),
        "missing": lambda: _("必填，不能为空。") if not d else _("缺少 %(k)s 一行。", k=d),
        "not_number": lambda: _("“%(v)s”不是数字。", v=d),
        "not_integer": lambda: _("“%(v)s”不是整数。", v=d),
        "not_bool": lambda: _("“%(v)s”不是 true/false（是/否）。", v=d),
        "not_positive": lambda: _("须大于 0，填写的是 %(v)s。", v=d),
        "out_of_range": lambda: _("%(v)s 超出 %(e)s 的范围。", v=d, e=e),
        "unknown_value": lambda: (
            _("未知的值 %(v)s，可选：%(e)s。", v=d, e=e) if e else _("未知的值 %(v)s。", v=d)
        ),
        "bad_format": lambda: _("“%(v)s”格式不对（见说明中的写法）。", v=d),
        "unknown_reference": lambda: _("没有代码为 %(v)s 的行。", v=d),
        "duplicate": lambda: _(
            "代码 %(v)s 重复（%(s)s 工作表第 %(r)d 行已有）。", v=d, s=e, r=problem.first_row
        ),
        "too_few_options": lambda: _("选择题至少需要两个选项（options 工作表）。"),
        "no_items": lambda: _("指标下没有题目（items 工作表）。"),
    }
    return reasons[problem.code]()
