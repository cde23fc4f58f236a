"""Reading an uploaded table (Excel workbook or CSV) for an all-or-nothing import.

Shared by the catalogue import and the enterprise bulk import: both refuse a file that is too
large, of the wrong type or unreadable with a ``RowError`` at row 0, and report bad rows with
their sheet and row number (the header is row 1) before anything is written.

Limits checked before parsing (review findings 6 and 10: a 150 KiB workbook of 5 million empty
cells cost 172 s of CPU, a 300 KiB one 0.5 GB of memory):

* a workbook's members, uncompressed, at most ``MAX_UNCOMPRESSED`` bytes in all, and no member
  compressed more than ``MAX_RATIO`` times (the zip directory's sizes; a member that inflates
  beyond its declared size is stopped by ``zipfile`` itself);
* shared strings at most ``MAX_SHARED_STRINGS_BYTES`` uncompressed;
* at most ``MAX_COLUMNS`` columns and ``MAX_ROWS`` rows read; a sheet's declared dimension
  (``<dimension ref=...>``) beyond those is refused without reading it;
* a cell or CSV field at most ``MAX_FIELD_CHARS`` characters.

XML is parsed with ``defusedxml`` installed, so openpyxl refuses entity declarations (XXE,
billion laughs); any parse error is a refusal, never a 500.

CSV files may be UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text", tab
separated) or GB18030/GBK (Chinese Excel's default "CSV"); ``charset_normalizer`` tells them
apart.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError

from charset_normalizer import from_bytes
from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from webapp.services.errors import ServiceError

#: Largest upload read (the request limit, ``MAX_CONTENT_LENGTH``, is the same 2 MiB).
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
#: Columns read per sheet: the widest import has 18 fields; more are ignored or refused.
MAX_COLUMNS = 40
#: Every member of a workbook together, uncompressed (5,000 rows x 40 columns fit easily).
MAX_UNCOMPRESSED = 24 * 1024 * 1024
#: Largest compression ratio of one member (real workbooks stay below about 20).
MAX_RATIO = 100
MAX_SHARED_STRINGS_BYTES = 8 * 1024 * 1024
#: Longest text in one cell or CSV field (names and contacts are at most a few hundred).
MAX_FIELD_CHARS = 2000
#: Encodings a CSV may come in (``charset_normalizer`` names).
CSV_ENCODINGS = ["utf_8", "utf_16", "gb18030"]


@dataclass(frozen=True)
class RowError:
    """One refused row or cell of an uploaded file: ``sheet`` ("-" for the file), ``row``
    (1 = header, 0 = the sheet or the file as a whole), ``reason`` (localised or English),
    ``column`` (the refused cell's column name; "" for a whole row, sheet or file)."""

    sheet: str
    row: int
    reason: str
    column: str = ""


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
        The file is larger than ``MAX_BYTES``, is neither .xlsx nor .csv, is not text in one of
        ``CSV_ENCODINGS`` (CSV), is not a readable workbook or breaks one of the limits above
        (xlsx), holds none of the sheets, a sheet has more than ``MAX_ROWS`` rows, or a field
        is longer than ``MAX_FIELD_CHARS``.
    """
    wanted = list(sheets)
    if len(data) > MAX_BYTES:
        raise ImportRefused([RowError("-", 0, _larger_than())])
    name = filename.lower()
    if name.endswith(".csv"):
        if csv_sheet not in wanted:
            raise ImportRefused([RowError("-", 0, "choose which kind of entry the CSV holds")])
        out = {csv_sheet: _read_csv(data, csv_sheet)}
    elif name.endswith(".xlsx"):
        out = {k: [row for _, row in rows] for k, rows in _read_workbook(data, wanted).items()}
    else:
        raise ImportRefused([RowError("-", 0, "only .xlsx and .csv files are accepted")])
    for sheet, rows in out.items():
        if len(rows) > MAX_ROWS:
            raise ImportRefused([RowError(sheet, 0, _("超过 %(n)d 行。", n=MAX_ROWS))])
    return out


def read_workbook_rows(
    data: bytes, sheets: Iterable[str]
) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """Rows of the named sheets of an .xlsx workbook with their row numbers in the sheet (the
    header is row 1), blank rows left out: ``{sheet: [(number, {header: value})]}``. Same
    limits as ``read_sheets``.

    Raises
    ------
    ImportRefused
        As ``read_sheets`` for a workbook.
    """
    if len(data) > MAX_BYTES:
        raise ImportRefused([RowError("-", 0, _larger_than())])
    return _read_workbook(data, list(sheets))


def _larger_than() -> str:
    return _("文件过大（上限 %(kib)d KiB）。", kib=MAX_BYTES // 1024)


def _decode_csv(data: bytes, sheet: str) -> str:
    """The text of a CSV upload in any of ``CSV_ENCODINGS``; ``ImportRefused`` otherwise."""
    unreadable = ImportRefused(
        [
            RowError(
                sheet,
                0,
                "the file is not UTF-8, UTF-16 or GBK/GB18030 text: "
                + _("无法识别文件的文字编码，请另存为 UTF-8 或 GBK 编码的 CSV。"),
            )
        ]
    )
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        if data.startswith(b"\xef\xbb\xbf"):
            raise unreadable from None  # a UTF-8 mark on bytes that are not UTF-8
        best = from_bytes(data, cp_isolation=CSV_ENCODINGS).best()
        text = str(best) if best is not None else None
    if text is None:
        raise unreadable
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    if text and "," not in first_line and "\t" not in first_line:
        raise unreadable  # no header: garbage that happened to decode
    if "\x00" in text:
        raise ImportRefused([RowError(sheet, 0, "the file is not a text CSV file")])
    return text.lstrip("\ufeff")


def _read_csv(data: bytes, sheet: str) -> list[dict[str, Any]]:
    """Rows of a CSV upload (comma separated, or tab separated as Excel's "Unicode text")."""
    text = _decode_csv(data, sheet)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    rows: list[dict[str, Any]] = []
    try:
        for row in csv.DictReader(io.StringIO(text), delimiter=delimiter):
            if not any(row.values()):
                continue
            _check_lengths(sheet, len(rows) + 2, row.values())
            rows.append(row)
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # csv's own cap, 128 KiB
            _check_lengths(sheet, len(rows) + 2, ["x" * (MAX_FIELD_CHARS + 1)])
        raise ImportRefused(
            [RowError(sheet, len(rows) + 2, _("CSV 格式有误：%(reason)s", reason=str(exc)))]
        ) from None
    return rows


def _check_lengths(sheet: str, row: int, values: Iterable[Any]) -> None:
    for value in values:
        if isinstance(value, list):  # csv.DictReader puts surplus fields in a list
            _check_lengths(sheet, row, value)
        elif isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            raise ImportRefused(
                [
                    RowError(
                        sheet,
                        row,
                        _("有单元格超过 %(n)d 个字符。", n=MAX_FIELD_CHARS),
                    )
                ]
            )


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")


def _check_workbook_sizes(data: bytes) -> None:
    """Refuse a workbook whose members would inflate beyond the limits, before parsing it."""
    too_big = ImportRefused(
        [
            RowError(
                "-",
                0,
                _(
                    "工作簿解压后过大（上限 %(mb)d MB，或单个部分压缩比超过 %(ratio)d 倍），"
                    "请只保留需要导入的工作表和列。",
                    mb=MAX_UNCOMPRESSED // (1024 * 1024),
                    ratio=MAX_RATIO,
                ),
            )
        ]
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
                raise too_big
            for member in members:
                if member.file_size > MAX_RATIO * max(member.compress_size, 1024):
                    raise too_big
                name = member.filename.lower()
                if name.endswith("sharedstrings.xml") and member.file_size > (
                    MAX_SHARED_STRINGS_BYTES
                ):
                    raise too_big
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(member) as fh:
                        _check_dimension(fh.read(4096))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise _not_a_workbook() from None


def _check_dimension(head: bytes) -> None:
    """Refuse a sheet whose declared size exceeds ``MAX_ROWS`` x ``MAX_COLUMNS`` cells."""
    match = _DIMENSION.search(head)
    if not match:
        return
    try:
        _c0, _r0, max_col, max_row = range_boundaries(match.group(1).decode("ascii"))
    except ValueError:
        return
    if (max_row or 0) > MAX_ROWS + 1 or (max_col or 0) > MAX_COLUMNS * 10:
        raise ImportRefused(
            [
                RowError(
                    "-",
                    0,
                    _(
                        "工作表过大：最多 %(rows)d 行、%(cols)d 列。",
                        rows=MAX_ROWS,
                        cols=MAX_COLUMNS,
                    ),
                )
            ]
        )


def _not_a_workbook() -> ImportRefused:
    return ImportRefused([RowError("-", 0, _("不是 Excel 工作簿（.xlsx）或 CSV 文件。"))])


def _read_workbook(data: bytes, wanted: list[str]) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    _check_workbook_sizes(data)
    unreadable = _not_a_workbook()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        zipfile.BadZipFile,
        ParseError,
        SyntaxError,
    ):
        raise unreadable from None
    out: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    try:
        for name in wanted:
            if name not in wb.sheetnames:
                continue
            rows = []
            sheet_rows = wb[name].iter_rows(max_col=MAX_COLUMNS, values_only=True)
            for number, row in enumerate(sheet_rows):
                if number > MAX_ROWS + 1:
                    raise ImportRefused([RowError(name, 0, _("超过 %(n)d 行。", n=MAX_ROWS))])
                _check_lengths(name, number + 1, row)
                rows.append(row)
            if not rows:
                continue
            header = [str(h).split(" ")[0] if h else "" for h in rows[0]]
            out[name] = [
                (number, dict(zip(header, r, strict=False)))
                for number, r in enumerate(rows[1:], start=2)
                if any(v is not None for v in r)
            ]
    except ImportRefused:
        raise
    except (KeyError, OSError, ValueError, TypeError, zipfile.BadZipFile, ParseError, SyntaxError):
        # Malformed sheet XML (truncated, undefined entity, DTD refused by defusedxml).
        raise unreadable from None
    finally:
        wb.close()
    if not out:
        raise ImportRefused(
            [RowError("-", 0, _("工作簿中没有名为 %(names)s 的工作表。", names=", ".join(wanted)))]
        )
    return out
