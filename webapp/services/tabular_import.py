"""Reading an uploaded table (Excel workbook or UTF-8 CSV) for an all-or-nothing import.

Shared by the catalogue import and the enterprise bulk import: both refuse a file that is too
large, of the wrong type or unreadable with a ``RowError`` at row 0, and report bad rows with
their sheet and row number (the header is row 1) before anything is written.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from webapp.services.errors import ServiceError

#: Largest upload read (the request limit, ``MAX_CONTENT_LENGTH``, is the same 2 MiB).
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    reason: str


class ImportRefused(ServiceError):
    """The file has errors; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def read_sheets(
    data: bytes, filename: str, sheets: Iterable[str], csv_sheet: str | None
) -> dict[str, list[dict[str, Any]]]:
    """Rows of the named sheets as ``{sheet: [{header: value}]}``, blank rows left out.

    A ``.csv`` file is one sheet, ``csv_sheet``; an ``.xlsx`` workbook is read sheet by sheet
    (a header cell's first word is its field name, so "name_zh 名称" reads as ``name_zh``).

    Raises
    ------
    ImportRefused
        The file is larger than ``MAX_BYTES``, is neither .xlsx nor .csv, is not UTF-8 text
        (CSV), is not a workbook (xlsx), holds none of the sheets, or a sheet has more than
        ``MAX_ROWS`` rows.
    """
    wanted = list(sheets)
    if len(data) > MAX_BYTES:
        raise ImportRefused([RowError("-", 0, f"the file is larger than {MAX_BYTES // 1024} KiB")])
    name = filename.lower()
    if name.endswith(".csv"):
        if csv_sheet not in wanted:
            raise ImportRefused([RowError("-", 0, "choose which kind of entry the CSV holds")])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused([RowError(csv_sheet, 0, "the file is not UTF-8 text")]) from None
        if "\x00" in text:
            raise ImportRefused([RowError(csv_sheet, 0, "the file is not a text CSV file")])
        out = {csv_sheet: [r for r in csv.DictReader(io.StringIO(text)) if any(r.values())]}
    elif name.endswith(".xlsx"):
        out = _read_workbook(data, wanted)
    else:
        raise ImportRefused([RowError("-", 0, "only .xlsx and .csv files are accepted")])
    for sheet, rows in out.items():
        if len(rows) > MAX_ROWS:
            raise ImportRefused([RowError(sheet, 0, f"more than {MAX_ROWS} rows")])
    return out


def _read_workbook(data: bytes, wanted: list[str]) -> dict[str, list[dict[str, Any]]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile):
        raise ImportRefused(
            [RowError("-", 0, "not an Excel workbook (.xlsx) or CSV file")]
        ) from None
    out: dict[str, list[dict[str, Any]]] = {}
    for name in wanted:
        if name not in wb.sheetnames:
            continue
        rows = []
        for number, row in enumerate(wb[name].iter_rows(values_only=True)):
            if number > MAX_ROWS + 1:
                raise ImportRefused([RowError(name, 0, f"more than {MAX_ROWS} rows")])
            rows.append(row)
        if not rows:
            continue
        header = [str(h).split(" ")[0] if h else "" for h in rows[0]]
        out[name] = [
            dict(zip(header, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)
        ]
    wb.close()
    if not out:
        raise ImportRefused([RowError("-", 0, f"no sheet named {', '.join(wanted)}")])
    return out
