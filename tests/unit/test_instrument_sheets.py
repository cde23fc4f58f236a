"""The instrument as workbook sheets: the packaged versions go there and back unchanged, and
a workbook with several bad rows gets every one of them listed."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from assessment.instrument import INSTRUMENT_DIR, packaged_versions, parse_instrument
from assessment.instrument_sheets import (
    ITEM_COLUMNS,
    OPTION_COLUMNS,
    SHEET_NAMES,
    Problem,
    Rows,
    data_from_tables,
    locate,
    tables_from_data,
    toml_text,
)

VERSIONS = packaged_versions("dmi")


def _text(version: str) -> str:
    return (INSTRUMENT_DIR / f"dmi-v{version}.toml").read_text(encoding="utf-8")


def as_sheets(data: dict[str, Any]) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """The tables as a reader returns them: rows numbered from 2 (the header is row 1)."""
    return {
        t.name: [(n, dict(zip(t.header, row, strict=True))) for n, row in enumerate(t.rows, 2)]
        for t in tables_from_data(data)
    }


@pytest.mark.parametrize("version", VERSIONS)
def test_a_packaged_version_goes_to_sheets_and_back_unchanged(version: str) -> None:
    data = tomllib.loads(_text(version))
    back, problems = data_from_tables(as_sheets(data))
    assert problems == []
    assert back == data
    assert parse_instrument(toml_text(back)) == parse_instrument(_text(version))


@pytest.mark.parametrize("version", VERSIONS)
def test_every_item_and_option_field_of_the_packaged_files_has_a_column(version: str) -> None:
    """A field the format gains must get a column, or a workbook would drop it silently."""
    data = tomllib.loads(_text(version))
    items = [x for d in data["dimensions"] for i in d["indicators"] for x in i["items"]]
    item_fields = {k for x in items for k in x} - {"options"}
    option_fields = {k for x in items for o in x.get("options", []) for k in o}
    assert item_fields <= {c.name for c in ITEM_COLUMNS}
    assert option_fields <= {c.name for c in OPTION_COLUMNS}


_KEY = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=8)
_SCALAR = (
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20)
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
)
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEY, inner, max_size=3),
    max_leaves=8,
)


@given(st.dictionaries(_KEY.filter(lambda k: k != "dimensions"), _VALUE, max_size=5))
@example({"0\n": []})  # a key ending in a line break once passed for a bare key
def test_toml_text_reads_back_equal(data: dict[str, Any]) -> None:
    assert tomllib.loads(toml_text(data)) == data


def test_toml_text_refuses_what_toml_cannot_hold() -> None:
    with pytest.raises(ValueError, match="nan"):
        toml_text({"x": float("nan")})


def _v2_sheets() -> dict[str, list[tuple[int, dict[str, Any]]]]:
    return as_sheets(tomllib.loads(_text("2")))


def _row(sheets: dict[str, list[tuple[int, dict[str, Any]]]], sheet: str, code: str) -> dict:  # type: ignore[type-arg]
    return next(r for _, r in sheets[sheet] if r["code"] == code)


def test_every_bad_row_is_listed_with_sheet_row_and_column() -> None:
    sheets = _v2_sheets()
    number = {r["code"]: n for n, r in sheets["items"]}
    _row(sheets, "items", "FND-01")["text_en"] = None  # missing text
    _row(sheets, "items", "FND-05")["kind"] = "slider"  # unknown kind
    _row(sheets, "items", "FND-02")["indicator"] = "FND.NOPE"  # missing indicator
    option_number, option = sheets["options"][0]
    option["value"] = 1.5  # outside [0, 1]
    duplicate = dict(_row(sheets, "items", "FND-03"))
    sheets["items"].append((999, duplicate))  # FND-03 again
    _, problems = data_from_tables(sheets)
    found = {(p.sheet, p.row, p.column, p.code) for p in problems}
    assert found == {
        ("items", number["FND-01"], "text_en", "missing"),
        ("items", number["FND-05"], "kind", "unknown_value"),
        ("items", number["FND-02"], "indicator", "unknown_reference"),
        ("items", 999, "code", "duplicate"),
        ("options", option_number, "value", "out_of_range"),
        # the options of FND-05 still attach; its kind is unknown so no option count is asked
    }
    twice = next(p for p in problems if p.code == "duplicate")
    assert (twice.detail, twice.expected, twice.first_row) == ("FND-03", "items", number["FND-03"])
    kind = next(p for p in problems if p.code == "unknown_value")
    assert kind.detail == "slider" and "single" in kind.expected
    assert [SHEET_NAMES.index(p.sheet) for p in problems] == sorted(
        SHEET_NAMES.index(p.sheet) for p in problems
    )


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("bands", "10-0.25", "bad_format"),
        ("show_if", "FND-01", "bad_format"),
        ("applies_to", "discrete, robots", "unknown_value"),
        ("points", "eight", "not_number"),
        ("points", -3, "not_positive"),
        ("required", "maybe", "not_bool"),
        ("max_choices", 1.5, "not_integer"),
        ("cluster", "toys", "unknown_value"),
        ("carried_options", "a=b; a=c", "bad_format"),
    ],
)
def test_a_bad_cell_names_its_column(column: str, value: object, code: str) -> None:
    sheets = _v2_sheets()
    _row(sheets, "items", "FND-03")[column] = value
    _, problems = data_from_tables(sheets)
    assert [(p.column, p.code) for p in problems] == [(column, code)]


def test_sheets_and_columns_that_are_missing_or_unknown_are_named() -> None:
    sheets = _v2_sheets()
    del sheets["options"]
    for _, row in sheets["items"]:
        del row["text_zh"]
        row["texte_en"] = "typo"
    _, problems = data_from_tables(sheets)
    assert Problem("options", 0, "", "missing_sheet") in problems
    assert Problem("items", 1, "text_zh", "missing_column") in problems
    assert Problem("items", 1, "texte_en", "unknown_column") in problems


def test_instrument_sheet_keys_are_checked() -> None:
    sheets = _v2_sheets()
    sheets["instrument"] = [(2, {"key": "id", "value": "dmi"}), (3, {"key": "colour", "value": 1})]
    _, problems = data_from_tables(sheets)
    assert Problem("instrument", 3, "key", "unknown_value", "colour") in problems
    missing = {p.detail for p in problems if p.code == "missing"}
    assert missing == {"version", "title_zh", "title_en", "minutes"}


def test_cells_typed_as_numbers_or_words_are_read_as_the_format_means() -> None:
    sheets = _v2_sheets()
    sheets["instrument"][1] = (3, {"key": "version", "value": 3.0})  # Excel keeps numbers as floats
    _row(sheets, "items", "FND-02")["required"] = "否"
    _row(sheets, "items", "FND-03")["bands"] = "10：0.25；20:0.5"  # full-width separators
    data, problems = data_from_tables(sheets)
    assert problems == []
    item = parse_instrument(toml_text(data)).item("FND-03")
    assert data["version"] == "3" and item.bands == ((10.0, 0.25), (20.0, 0.5))
    assert not parse_instrument(toml_text(data)).item("FND-02").required


def test_a_parser_message_is_placed_at_the_row_of_its_code() -> None:
    sheets: dict[str, Rows] = dict(_v2_sheets())
    number = next(n for n, r in sheets["items"] if r["code"] == "FND-04")
    assert locate("FND-04: bands on a figure need a denominator", sheets) == ("items", number)
    assert locate("missing field 'id'", sheets) == ("-", 0)
