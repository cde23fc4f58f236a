"""An instrument as five tables (an Excel workbook's sheets), and back, checking every row.

The workbook is another spelling of the instrument TOML (``assessment/instruments/dmi-v2.toml``
header): the same field names as columns, one row per dimension, indicator, item and option.
``tables_from_data`` turns the dict ``tomllib`` reads from a TOML file into the tables;
``data_from_tables`` turns the tables back into that dict, listing every bad row (not only the
first) as a ``Problem``; ``toml_text`` writes the dict as TOML, which ``parse_instrument`` then
validates as it validates an uploaded TOML file (so the rules of the format stay in one place,
``assessment/instrument.py``; this module only checks what a row alone can show).

Sheets (first row: the field names):

* ``instrument``: columns ``key``, ``value``; rows ``id``, ``version``, ``title_zh``,
  ``title_en``, ``minutes``.
* ``dimensions``: ``DIMENSION_COLUMNS``. ``indicators``: ``dimension`` (its dimension's code) and
  ``INDICATOR_COLUMNS``. ``items``: ``indicator`` (its indicator's code) and ``ITEM_COLUMNS``.
  ``options``: ``item`` (its item's code) and ``OPTION_COLUMNS``.

Order: dimensions in sheet order; each dimension's indicators, each indicator's items and each
item's options in the order of their rows (so "an earlier item" means the same as in TOML).

Cells that hold a list: ``applies_to`` "discrete, mixed"; ``bands`` "10:0.25; 20:0.5"
(threshold:value pairs); ``show_if`` "INT-08: networked, custom" (an earlier item's code, then
its options); ``carried_options`` "old=new; old2=new2" (the v1 to v2 option map).

Problems carry a ``code`` (one of ``PROBLEM_CODES``) and a ``detail`` (the offending value or
what was expected), never a sentence: the web layer words them in the page's language.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from assessment.types import Better, IndustryCluster, ItemKind, ProductionType

Cell = str | int | float | bool | None
#: A sheet as read: (row number in the sheet, header row being 1, {column: cell}) per row.
Rows = Sequence[tuple[int, Mapping[str, Cell]]]

SHEET_NAMES = ("instrument", "dimensions", "indicators", "items", "options")
INSTRUMENT_KEYS = ("id", "version", "title_zh", "title_en", "minutes", "carried_from_version")

CellKind = Literal["text", "number", "integer", "bool", "list", "bands", "show_if", "mapping"]
ProblemCode = Literal[
    "missing_sheet",
    "missing_column",
    "unknown_column",
    "missing",
    "not_number",
    "not_integer",
    "not_bool",
    "not_positive",
    "out_of_range",
    "unknown_value",
    "bad_format",
    "unknown_reference",
    "duplicate",
    "too_few_options",
    "no_items",
]
PROBLEM_CODES: tuple[ProblemCode, ...] = get_args(ProblemCode)


@dataclass(frozen=True)
class Column:
    """One field of a sheet: its name (the TOML key), how its cell is read, whether required,
    for closed vocabularies the allowed values, whether a number must be above 0, and the
    closed interval a number must lie in."""

    name: str
    kind: CellKind = "text"
    required: bool = False
    allowed: tuple[str, ...] = ()
    positive: bool = False
    bounds: tuple[float, float] | None = None


@dataclass(frozen=True)
class Problem:
    """One bad cell or row: ``sheet``, ``row`` (1 = the header; 0 = the sheet or the file as a
    whole), ``column`` ("" when not one column), ``code`` (``PROBLEM_CODES``) and ``detail``
    (the offending value or the parser's message) and ``expected`` (the allowed values of a
    closed vocabulary, else "")."""

    sheet: str
    row: int
    column: str
    code: ProblemCode
    detail: str = ""
    expected: str = ""
    first_row: int = 0


_KINDS = tuple(k.value for k in ItemKind)
_TYPES = tuple(p.value for p in ProductionType)

DIMENSION_COLUMNS = (
    Column("code", required=True),
    Column("name_zh", required=True),
    Column("name_en", required=True),
    Column("description_zh"),
    Column("description_en"),
    Column("weight", "number", required=True, positive=True),
    Column("scored", "bool"),
)
INDICATOR_COLUMNS = (
    Column("dimension", required=True),
    Column("code", required=True),
    Column("name_zh", required=True),
    Column("name_en", required=True),
    Column("weight", "number", required=True, positive=True),
)
ITEM_COLUMNS = (
    Column("indicator", required=True),
    Column("code", required=True),
    Column("kind", required=True, allowed=_KINDS),
    Column("text_zh", required=True),
    Column("text_en", required=True),
    Column("help_zh"),
    Column("help_en"),
    Column("unit_zh"),
    Column("unit_en"),
    Column("minimum", "number"),
    Column("maximum", "number"),
    Column("required", "bool"),
    Column("applies_to", "list", allowed=_TYPES),
    Column("show_if", "show_if"),
    Column("bands", "bands"),
    Column("points", "number", positive=True),
    Column("scenario"),
    Column("constrained", "bool"),
    Column("cluster", allowed=tuple(c.value for c in IndustryCluster)),
    Column("denominator"),
    Column("previous"),
    Column("better", allowed=tuple(b.value for b in Better)),
    Column("max_choices", "integer", positive=True),
    Column("carried_from"),
    Column("carried_options", "mapping"),
)
OPTION_COLUMNS = (
    Column("item", required=True),
    Column("code", required=True),
    Column("value", "number", required=True, bounds=(0.0, 1.0)),
    Column("zh", required=True),
    Column("en", required=True),
)
_PARENT = {"indicators": "dimension", "items": "indicator", "options": "item"}
_COLUMNS = {
    "dimensions": DIMENSION_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "items": ITEM_COLUMNS,
    "options": OPTION_COLUMNS,
}
_INSTRUMENT_COLUMNS = {
    "id": Column("id", required=True),
    "version": Column("version", required=True),
    "title_zh": Column("title_zh", required=True),
    "title_en": Column("title_en", required=True),
    "minutes": Column("minutes", "integer", required=True, positive=True),
    # The earlier version whose answers this one's ``carried_from`` items take (optional).
    "carried_from_version": Column("carried_from_version"),
}


@dataclass(frozen=True)
class Table:
    """One sheet to write: its name, header (field names) and rows of cells."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


# --- instrument dict -> tables ----------------------------------------------------------------


def tables_from_data(data: Mapping[str, Any]) -> tuple[Table, ...]:
    """The five sheets of an instrument read from TOML (``tomllib.loads`` of an instrument file).

    Every field the format knows becomes a column (``*_COLUMNS``); a column no row uses is
    still written, so an administrator sees every field. Raises ``KeyError`` on a dict without
    ``dimensions`` (a file ``parse_instrument`` accepted always has them).
    """
    instrument = Table(
        "instrument", ("key", "value"), tuple((k, _cell(data.get(k))) for k in INSTRUMENT_KEYS)
    )
    dims, inds, items, options = [], [], [], []
    for d in data["dimensions"]:
        dims.append(_row(DIMENSION_COLUMNS, d))
        for i in d.get("indicators", []):
            inds.append(_row(INDICATOR_COLUMNS, {**i, "dimension": d.get("code")}))
            for x in i.get("items", []):
                items.append(_row(ITEM_COLUMNS, {**x, "indicator": i.get("code")}))
                for o in x.get("options", []):
                    options.append(_row(OPTION_COLUMNS, {**o, "item": x.get("code")}))
    return (
        instrument,
        _table("dimensions", DIMENSION_COLUMNS, dims),
        _table("indicators", INDICATOR_COLUMNS, inds),
        _table("items", ITEM_COLUMNS, items),
        _table("options", OPTION_COLUMNS, options),
    )


def _table(name: str, columns: Sequence[Column], rows: list[tuple[Cell, ...]]) -> Table:
    return Table(name, tuple(c.name for c in columns), tuple(rows))


def _row(columns: Sequence[Column], values: Mapping[str, Any]) -> tuple[Cell, ...]:
    return tuple(_encode(c, values[c.name]) if c.name in values else None for c in columns)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _encode(column: Column, value: Any) -> Cell:
    if column.kind == "list":
        return ", ".join(str(v) for v in value)
    if column.kind == "bands":
        return "; ".join(f"{_number_text(t)}:{_number_text(v)}" for t, v in value)
    if column.kind == "show_if":
        return f"{value['item']}: {', '.join(str(v) for v in value['values'])}"
    if column.kind == "mapping":
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return _cell(value)


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


# --- tables -> instrument dict ----------------------------------------------------------------


def data_from_tables(sheets: Mapping[str, Rows]) -> tuple[dict[str, Any], list[Problem]]:
    """The instrument dict (as ``tomllib`` would read it) from the sheets, and every problem.

    Parameters
    ----------
    sheets : mapping
        Sheet name -> rows as ``(row number, {column: cell})`` (blank rows left out); column
        names are the header cells. Text cells are taken as typed (after stripping spaces).

    Returns
    -------
    (data, problems)
        ``problems`` lists, in sheet and row order, each missing sheet or column, unknown
        column, empty required cell, unreadable or out-of-range value, unknown kind, cluster,
        production type or ``better``, duplicate code, reference to a code no row defines
        (dimension, indicator, item), choice item with fewer than two options and indicator
        without items. ``data`` is complete only when ``problems`` is empty.
    """
    problems: list[Problem] = []
    for name in SHEET_NAMES:
        if name not in sheets:
            problems.append(Problem(name, 0, "", "missing_sheet"))
    data = _instrument_keys(sheets.get("instrument", ()), "instrument" in sheets, problems)
    tables = {
        name: _read_rows(name, _COLUMNS[name], sheets.get(name, ()), problems) for name in _COLUMNS
    }
    data["dimensions"] = _assemble(tables, problems)
    problems.sort(key=lambda p: (SHEET_NAMES.index(p.sheet), p.row))
    return data, problems


def _instrument_keys(rows: Rows, present: bool, problems: list[Problem]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    rows_by_key: dict[str, int] = {}
    for number, row in rows:
        key = _text(row.get("key"))
        column = _INSTRUMENT_COLUMNS.get(key)
        if column is None:
            problems.append(Problem("instrument", number, "key", "unknown_value", key))
            continue
        if key in rows_by_key:
            problems.append(Problem("instrument", number, "key", "duplicate", key))
            continue
        rows_by_key[key] = number
        value = _read_cell("instrument", number, column, row.get("value"), problems, "value")
        if value is not None:
            data[key] = value
    for key in INSTRUMENT_KEYS:
        if _INSTRUMENT_COLUMNS[key].required and key not in rows_by_key and present:
            problems.append(Problem("instrument", 0, "key", "missing", key))
    return data


@dataclass
class _Row:
    number: int
    values: dict[str, Any]


def _read_rows(
    sheet: str, columns: Sequence[Column], rows: Rows, problems: list[Problem]
) -> list[_Row]:
    known = {c.name for c in columns}
    seen = {k for _, r in rows for k in r}
    for name in sorted(seen - known):
        if name:  # a header cell left blank over an empty column is harmless
            problems.append(Problem(sheet, 1, name, "unknown_column"))
    for c in columns:
        if c.required and rows and c.name not in seen:
            problems.append(Problem(sheet, 1, c.name, "missing_column"))
    out = []
    for number, row in rows:
        values = {}
        for column in columns:
            value = _read_cell(sheet, number, column, row.get(column.name), problems)
            if value is not None:
                values[column.name] = value
        out.append(_Row(number, values))
    return out


def _read_cell(
    sheet: str,
    number: int,
    column: Column,
    cell: Cell,
    problems: list[Problem],
    where: str | None = None,
) -> Any:
    """The cell's value in TOML terms, or None (empty, or a problem was recorded)."""
    name = where or column.name
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        if column.required:
            problems.append(Problem(sheet, number, name, "missing"))
        return None
    reader = _READERS[column.kind]
    try:
        value = reader(cell)
    except _CellError as exc:
        problems.append(Problem(sheet, number, name, exc.code, _text(cell)))
        return None
    if column.allowed:
        candidates = value if isinstance(value, list) else [value]
        wrong = [v for v in candidates if v not in column.allowed]
        if wrong:
            problems.append(
                Problem(
                    sheet,
                    number,
                    name,
                    "unknown_value",
                    ", ".join(wrong),
                    ", ".join(column.allowed),
                )
            )
            return None
    if column.positive and not value > 0:
        problems.append(Problem(sheet, number, name, "not_positive", _text(cell)))
        return None
    if column.bounds and not column.bounds[0] <= value <= column.bounds[1]:
        low, high = (_number_text(b) for b in column.bounds)
        problems.append(Problem(sheet, number, name, "out_of_range", _text(cell), f"{low}–{high}"))
        return None
    return value


class _CellError(ValueError):
    def __init__(self, code: ProblemCode) -> None:
        super().__init__(code)
        self.code: ProblemCode = code


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a code or version typed as a number
    return str(cell).strip()


def _number(cell: Cell) -> float | int:
    if isinstance(cell, bool):
        raise _CellError("not_number")
    if isinstance(cell, int | float):
        value: float | int = cell
    else:
        try:
            value = float(str(cell).strip().replace(",", ""))
        except ValueError:
            raise _CellError("not_number") from None
    if not math.isfinite(value):
        raise _CellError("not_number")
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _integer(cell: Cell) -> int:
    try:
        value = _number(cell)
    except _CellError:
        raise _CellError("not_integer") from None
    if not isinstance(value, int):
        raise _CellError("not_integer")
    return value


_TRUE = {"true", "1", "yes", "y", "是", "对"}
_FALSE = {"false", "0", "no", "n", "否", "不"}


def _bool(cell: Cell) -> bool:
    if isinstance(cell, bool):
        return cell
    text = _text(cell).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _CellError("not_bool")


def _split(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]


_ITEM_LIST = re.compile(r"[,，、]")
_PAIRS = re.compile(r"[;；]")


def _list(cell: Cell) -> list[str]:
    return [p.strip() for p in _ITEM_LIST.split(_text(cell)) if p.strip()]


def _bands(cell: Cell) -> list[list[float | int]]:
    bands = []
    for pair in (p.strip() for p in _PAIRS.split(_text(cell)) if p.strip()):
        threshold, sep, value = pair.replace("：", ":").partition(":")
        if not sep:
            raise _CellError("bad_format")
        try:
            bands.append([_number(threshold), _number(value)])
        except _CellError:
            raise _CellError("bad_format") from None
    return bands


def _show_if(cell: Cell) -> dict[str, Any]:
    item, sep, values = _text(cell).replace("：", ":").partition(":")
    options = [p.strip() for p in _ITEM_LIST.split(values) if p.strip()]
    if not sep or not item.strip() or not options:
        raise _CellError("bad_format")
    return {"item": item.strip(), "values": options}


def _mapping(cell: Cell) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in (p.strip() for p in _PAIRS.split(_text(cell)) if p.strip()):
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip() or key.strip() in out:
            raise _CellError("bad_format")
        out[key.strip()] = value.strip()
    return out


_READERS: dict[CellKind, Callable[[Cell], Any]] = {
    "text": _text,
    "number": _number,
    "integer": _integer,
    "bool": _bool,
    "list": _list,
    "bands": _bands,
    "show_if": _show_if,
    "mapping": _mapping,
}


def _assemble(tables: Mapping[str, list[_Row]], problems: list[Problem]) -> list[dict[str, Any]]:
    """Nest indicators in dimensions, items in indicators and options in items, reporting
    duplicate codes and references to codes that no row of the parent sheet defines."""
    codes: dict[str, tuple[str, int]] = {}  # dimension, indicator and item codes share one space
    nodes: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in _COLUMNS}
    first_row: dict[str, dict[str, int]] = {name: {} for name in _COLUMNS}
    parent_sheet = {"indicators": "dimensions", "items": "indicators", "options": "items"}
    child_key = {"dimensions": "indicators", "indicators": "items", "items": "options"}
    out: list[dict[str, Any]] = []
    for name in ("dimensions", "indicators", "items", "options"):
        option_codes: dict[tuple[str, str], int] = {}
        for row in tables[name]:
            node = dict(row.values)
            code = node.get("code")
            parent_code = node.pop(_PARENT[name], None) if name in _PARENT else None
            if code is None:
                continue  # reported as missing
            if name == "options":
                first = option_codes.get((str(parent_code), code))
                if first is not None:
                    problems.append(
                        Problem(name, row.number, "code", "duplicate", code, name, first)
                    )
                    continue
                option_codes[(str(parent_code), code)] = row.number
            elif code in codes:
                where, number = codes[code]
                problems.append(Problem(name, row.number, "code", "duplicate", code, where, number))
                continue
            else:
                codes[code] = (name, row.number)
            if name in child_key:
                node[child_key[name]] = []
            if name != "options":
                nodes[name][code] = node  # children find it even when its own parent is bad
                first_row[name][code] = row.number
            if name == "dimensions":
                out.append(node)
            elif parent_code is not None:
                parent = nodes[parent_sheet[name]].get(parent_code)
                if parent is None:
                    problems.append(
                        Problem(name, row.number, _PARENT[name], "unknown_reference", parent_code)
                    )
                    continue
                parent[child_key[parent_sheet[name]]].append(node)
    for code, item in nodes["items"].items():
        if item.get("kind") not in (None, "number", "figure") and len(item["options"]) < 2:
            problems.append(Problem("items", first_row["items"][code], "code", "too_few_options"))
        if not item["options"]:
            del item["options"]
    for code, indicator in nodes["indicators"].items():
        if not indicator["items"]:
            problems.append(
                Problem("indicators", first_row["indicators"][code], "code", "no_items")
            )
    return out


def locate(message: str, sheets: Mapping[str, Rows]) -> tuple[str, int]:
    """Where a ``parse_instrument`` message points: the items (or indicators, dimensions)
    row of the code it starts with ("FND-03: ..."), else ("-", 0)."""
    head = message.split(":", 1)[0].split("/", 1)[0].strip()
    for name in ("items", "indicators", "dimensions"):
        for number, row in sheets.get(name, ()):
            if _text(row.get("code")) == head:
                return name, number
    return "-", 0


# --- instrument dict -> TOML ------------------------------------------------------------------


def toml_text(data: Mapping[str, Any]) -> str:
    """``data`` (an instrument dict as ``data_from_tables`` or ``tomllib`` gives it) as TOML
    text that ``tomllib.loads`` reads back equal to ``data``.

    Raises
    ------
    ValueError
        A value TOML cannot hold (NaN, infinity, None, or a type other than str, int, float,
        bool, list and dict).
    """
    lines = ["# Written from an Excel workbook by the administrator's page.", ""]
    lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in data.items() if k != "dimensions"]
    for d in data.get("dimensions", []):
        lines += ["", "[[dimensions]]", *_toml_keys(d, "indicators")]
        for i in d.get("indicators", []):
            lines += ["", "[[dimensions.indicators]]", *_toml_keys(i, "items")]
            for x in i.get("items", []):
                lines += ["", "[[dimensions.indicators.items]]", *_toml_keys(x, "")]
    return "\n".join(lines) + "\n"


def _toml_keys(table: Mapping[str, Any], skip: str) -> Iterable[str]:
    return (f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items() if k != skip)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)


def _toml_string(text: str) -> str:
    # JSON escapes quotes, backslashes and U+0000-U+001F as TOML does; TOML also bars U+007F.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"TOML has no place for {value}")
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise ValueError(f"TOML has no place for {type(value).__name__}")
