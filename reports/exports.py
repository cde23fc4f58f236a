"""Excel and CSV exports of tables, safe against spreadsheet formula injection."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from assessment.text import strip_unsafe
from reports.formatting import display_width

#: A cell starting with one of these is a formula to Excel, LibreOffice and Sheets.
#: The MIME type of an .xlsx workbook.
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` unchanged, except text: characters XML 1.0 (so .xlsx) cannot hold and bidi
    controls are dropped (``assessment.text.strip_unsafe``; stored text from before the input
    rule must not break an export, review finding 9), and text that a spreadsheet would run as
    a formula gets a leading apostrophe (OWASP CSV injection guidance). Numbers stay numbers."""
    if isinstance(value, str):
        value = strip_unsafe(value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


#: Characters Excel refuses in a sheet title.
_TITLE_ILLEGAL = re.compile(r"[\\/*?:\[\]]")


def safe_sheet_title(title: str) -> str:
    """``title`` as a valid Excel sheet title: no ``\\ / * ? : [ ]``, no control characters,
    at most 31 characters, never empty (a ``round`` parameter ends up in titles, finding 11)."""
    printable = "".join(ch for ch in strip_unsafe(title) if ch.isprintable())
    cleaned = _TITLE_ILLEGAL.sub("_", printable).strip("'")
    return cleaned[:31] or "sheet"


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its title (31 characters at most), an optional bold header row, rows."""

    title: str
    rows: Sequence[Sequence[object]]
    headers: Sequence[str] | None = None


def workbook_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of ``sheets`` as .xlsx bytes; every cell goes through ``safe_cell``.

    The one place the product writes Excel files, so that no export can skip the formula
    neutralisation (``tests/unit/test_exports.py`` checks nothing else builds a workbook).
    """
    wb = Workbook()
    for default_sheet in wb.worksheets:
        wb.remove(default_sheet)
    for sheet in sheets:
        ws = wb.create_sheet(safe_sheet_title(sheet.title))
        if sheet.headers is not None:
            ws.append([safe_cell(h) for h in sheet.headers])
            for cell in ws[1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = "A2"
        for row in sheet.rows:
            ws.append([safe_cell(v) for v in row])
        _fit_columns(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


#: Widest column (in Excel's character units); longer text wraps inside it.
MAX_COLUMN_WIDTH = 60


def _fit_columns(ws: Worksheet) -> None:
    """Each column as wide as its widest cell (plus a margin, at most ``MAX_COLUMN_WIDTH``);
    cells wider than that wrap, top-aligned, so definitions and sources stay readable."""
    for index, column in enumerate(ws.iter_cols(), start=1):
        widest = max(
            (display_width(str(c.value)) for c in column if c.value is not None), default=0
        )
        ws.column_dimensions[get_column_letter(index)].width = min(widest + 2, MAX_COLUMN_WIDTH)
        for cell in column:
            if cell.value is not None and display_width(str(cell.value)) > MAX_COLUMN_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def table_xlsx(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """One-sheet workbook: a bold header row, then the rows; returns the .xlsx bytes."""
    return workbook_xlsx([Sheet(title, rows, headers)])


def table_csv(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
