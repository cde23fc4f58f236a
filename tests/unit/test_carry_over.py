"""Answers carried from an earlier questionnaire version (``assessment.carry_over``) and the
instrument fields that mark them (``carried_from``, ``carried_options``)."""

from __future__ import annotations

import pytest

from assessment.carry_over import carried_answers, carries_from, check_carry_over
from assessment.errors import InstrumentVersionError
from assessment.instrument import load_instrument, parse_instrument
from assessment.types import Instrument
from tests.unit.data_files import data_text

V1 = load_instrument("dmi", "1")
V2 = load_instrument("dmi", "2")

#: Version 1's items: one of each kind.
_OLD_ITEMS = data_text("carry-over-v1-items.toml")

#: Version 2's items, each carried from a version-1 item (options renamed, a range narrowed).
_NEW_ITEMS = data_text("carry-over-v2-items.toml")


def _instrument(version: str, items: str, header: str = "") -> Instrument:
    return parse_instrument(
        f"""
id = "t"
version = "{version}"
title_zh = "测"
title_en = "T"
minutes = 5
{header}

[[dimensions]]
code = "D"
name_zh = "维"
name_en = "Dim"
weight = 1

[[dimensions.indicators]]
code = "D.1"
name_zh = "指"
name_en = "Ind"
weight = 1
{items}
"""
    )


def _single_item(mark: str) -> str:
    """Item B-1, a single choice of L0/L1, with the carry-over ``mark`` lines (TOML)."""
    return f"""
[[dimensions.indicators.items]]
code = "B-1"
kind = "single"
{mark}
text_zh = "甲"
text_en = "A"
options = [
  {{ code = "L0", value = 0.0, zh = "无", en = "none" }},
  {{ code = "L1", value = 1.0, zh = "有", en = "some" }},
]
"""


OLD = _instrument("1", _OLD_ITEMS)
NEW = _instrument("2", _NEW_ITEMS, 'carried_from_version = "1"')


def test_an_unchanged_item_is_copied_and_a_changed_one_is_not() -> None:
    answers = {"A-1": "L1", "A-2": 12.5, "A-4": "L1"}
    carried = carried_answers(OLD, answers, NEW)
    assert carried["B-1"] == "L1" and carried["B-2"] == 12.5
    assert "B-4" not in carried  # not marked as carried: reworded


def test_the_option_table_maps_codes_and_carries_only_the_options_it_names() -> None:
    assert carried_answers(OLD, {"A-1": "L2"}, NEW)["B-5"] == "top"
    assert "B-5" not in carried_answers(OLD, {"A-1": "L1"}, NEW)


def test_an_answer_the_new_item_does_not_accept_is_dropped() -> None:
    # 150 is within version 1's bounds (0-200) but above version 2's maximum (100).
    assert "B-2" not in carried_answers(OLD, {"A-2": 150.0}, NEW)


def test_multiple_choice_answers_are_mapped_option_by_option() -> None:
    assert carried_answers(OLD, {"A-3": ("y", "x")}, NEW)["B-3"] == ("ex", "why")
    assert carried_answers(OLD, {"A-3": ("none",)}, NEW)["B-3"] == ("none",)
    # z has no counterpart: the answer as a whole is not carried, never half of it.
    assert "B-3" not in carried_answers(OLD, {"A-3": ("x", "z")}, NEW)


def test_nothing_is_carried_between_versions_the_file_does_not_name() -> None:
    assert carries_from(OLD, NEW) and not carries_from(NEW, OLD)
    assert carried_answers(NEW, {"B-1": "L1"}, OLD) == {}
    assert carried_answers(V1, {"ORG-04": 2.0}, NEW) == {}  # another instrument id


def test_the_same_version_carries_every_answer_it_still_accepts() -> None:
    """A firm's next round on the same version (issue 15): every answer as it was, checked
    against the item again; an answer the item no longer accepts is dropped."""
    assert carries_from(NEW, NEW)
    assert carried_answers(NEW, {"B-1": "L1", "B-2": 50.0}, NEW) == {"B-1": "L1", "B-2": 50.0}
    assert carried_answers(NEW, {"B-1": "no-such-option", "B-2": 150.0}, NEW) == {}


def test_the_packaged_version_2_carries_the_marked_version_1_items() -> None:
    check_carry_over(V1, V2)
    answers = {"ORG-01": "L2", "ORG-04": 2.5, "INT-01": "L3", "INN-03": ("none",), "MGT-01": "L2"}
    assert carried_answers(V1, answers, V2) == {
        "MGM-03": "L2",
        "MGM-05": 2.5,
        "INT-01": "L3",
        "INT-08": ("none",),
    }
    # v1 INT-01 L0 was "no system or just one", which v2 splits; v1 ORG-01 L1 could be v2 L2.
    assert carried_answers(V1, {"INT-01": "L0", "ORG-01": "L1"}, V2) == {}
    # v1 INT-02 (MES-ERP exchange) has the code of v2 INT-02 (MES coverage) but is not carried.
    assert "INT-02" not in carried_answers(V1, {"INT-02": "L3"}, V2)


@pytest.mark.parametrize(
    ("header", "item", "message"),
    [
        ("", 'carried_from = "A-1"', "carried_from_version"),
        ('carried_from_version = "2"', 'carried_from = "A-1"', "below 2"),
        ('carried_from_version = "1"', 'carried_options = { L0 = "L0" }', "needs carried_from"),
        (
            'carried_from_version = "1"',
            'carried_from = "A-1"\ncarried_options = { L0 = "L9" }',
            "unknown options ['L9']",
        ),
    ],
)
def test_the_parser_refuses_bad_carry_over_marks(header: str, item: str, message: str) -> None:
    with pytest.raises(InstrumentVersionError, match=message.replace("[", r"\[")):
        _instrument("2", _single_item(item), header)


def test_the_parser_refuses_an_option_table_on_a_number() -> None:
    items = """
[[dimensions.indicators.items]]
code = "B-2"
kind = "number"
carried_from = "A-2"
carried_options = { L0 = "L0" }
text_zh = "乙"
text_en = "B"
bands = [[10, 1.0]]
"""
    with pytest.raises(InstrumentVersionError, match="only choice items"):
        _instrument("2", items, 'carried_from_version = "1"')


@pytest.mark.parametrize(
    ("mark", "message"),
    [
        ('carried_from = "A-9"', "A-9 is no item of version 1"),
        ('carried_from = "A-2"', "cannot carry a number answer"),
        ('carried_from = "A-1"\ncarried_options = { L7 = "L0" }', "A-1 has no options ['L7']"),
        ('carried_from = "A-3"', "need carried_options"),
    ],
)
def test_check_carry_over_names_marks_that_do_not_fit_the_earlier_version(
    mark: str, message: str
) -> None:
    following = _instrument("2", _single_item(mark), 'carried_from_version = "1"')
    with pytest.raises(InstrumentVersionError, match=message.replace("[", r"\[")):
        check_carry_over(OLD, following)
    with pytest.raises(InstrumentVersionError, match="does not carry from"):
        check_carry_over(V1, following)
