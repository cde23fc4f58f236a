"""Programme fields as administrators type them (assessment/programmes.py): the parser's
boundaries, steps one per line, and eligibility at the edges of each rule."""

from __future__ import annotations

from typing import Any

import pytest

from assessment.programmes import (
    FirmStanding,
    ProgrammeError,
    eligible,
    programme_from_mapping,
    steps_from_text,
    steps_text,
)
from assessment.types import IndustryCluster, SizeClass

BASE: dict[str, Any] = {
    "code": "P",
    "name_zh": "项目",
    "name_en": "Programme",
    "issuer": "东莞市工业和信息化局",
    "share": 0.5,
}


@pytest.mark.parametrize(
    ("changes", "accepted"),
    [
        ({"share": 0.0}, True),
        ({"share": 1.0}, True),
        ({"share": 1.0001}, False),
        ({"share": -0.01}, False),
        ({"cap_wan": 0}, True),
        ({"cap_wan": -1}, False),
        ({"max_level_before": 0}, True),
        ({"max_level_before": 4}, True),
        ({"max_level_before": 5}, False),
        ({"max_level_before": ""}, True),  # empty: any level
        ({"starts_on": "2026-01-01", "ends_on": "2026-01-01"}, True),  # a one-day call
        ({"starts_on": "2026-01-02", "ends_on": "2026-01-01"}, False),
        ({"ends_on": "2026-1-1"}, False),
        ({"issuer": "  "}, False),
        ({"clusters": ["textiles"], "size_classes": ["micro"]}, True),
        ({"clusters": ["garments"]}, False),
    ],
)
def test_programme_fields_at_their_boundaries(changes: dict[str, Any], accepted: bool) -> None:
    if accepted:
        programme_from_mapping(BASE | changes)
    else:
        with pytest.raises(ProgrammeError, match="programme P"):
            programme_from_mapping(BASE | changes)


def test_steps_typed_one_per_line_read_back_the_same() -> None:
    text = "listed | 列入名单 | On the list | 镇街推荐 | Town nomination\n\napply | 申报 | Apply"
    steps = steps_from_text(text)
    assert [s["code"] for s in steps] == ["listed", "apply"]
    assert steps[1] == {
        "code": "apply",
        "name_zh": "申报",
        "name_en": "Apply",
        "bring_zh": "",
        "bring_en": "",
    }
    assert steps_from_text(steps_text(steps)) == steps
    parsed = programme_from_mapping(BASE | {"steps": text, "documents": "申报表\n\n服务合同"})
    assert (
        parsed.documents == ("申报表", "服务合同") and parsed.steps[0].bring.en == "Town nomination"
    )


@pytest.mark.parametrize(
    "text",
    ["listed | 名单", "a | 甲 | A\na | 乙 | B", "a | 甲 | A | x | y | z", " | 甲 | A"],
)
def test_a_malformed_step_line_is_refused_with_its_number(text: str) -> None:
    with pytest.raises(ProgrammeError, match="step line"):
        steps_from_text(text)


def firm(**changes: Any) -> FirmStanding:
    values: dict[str, Any] = {
        "division": "C18",
        "cluster": IndustryCluster.TEXTILES,
        "size_class": SizeClass.SMALL,
        "pilot_list": False,
        "miit_level": 1,
        "certifications": frozenset(),
    }
    return FirmStanding(**(values | changes))


@pytest.mark.parametrize(
    ("rules", "standing", "expected"),
    [
        ({"clusters": ["textiles"]}, firm(), True),
        ({"clusters": ["food"]}, firm(), False),
        ({"divisions": ["C18"]}, firm(), True),
        ({"divisions": ["C17"]}, firm(), False),
        ({"max_level_before": 1}, firm(miit_level=1), True),  # at the bound
        ({"max_level_before": 1}, firm(miit_level=2), False),  # one above
        ({"max_level_before": 0}, firm(miit_level=0), True),
        ({"pilot_list": True}, firm(pilot_list=True), True),
        ({"pilot_list": True}, firm(), False),
        ({"pilot_list": False}, firm(pilot_list=True), True),  # no list rule: anyone
        ({"size_classes": ["small", "medium"]}, firm(size_class=SizeClass.MEDIUM), True),
        ({"size_classes": ["small", "medium"]}, firm(size_class=SizeClass.LARGE), False),
        ({"certifications": ["srdi", "little_giant"]}, firm(), False),
        (
            {"certifications": ["srdi", "little_giant"]},
            firm(certifications=frozenset({"little_giant"})),
            True,
        ),
    ],
)
def test_eligibility_at_the_edge_of_each_rule(
    rules: dict[str, Any], standing: FirmStanding, expected: bool
) -> None:
    assert eligible(programme_from_mapping(BASE | rules), standing) is expected
