"""Instrument v1: the file, its validation, skip logic and answer normalisation."""

from __future__ import annotations

import dataclasses

import pytest

from assessment.errors import InstrumentVersionError, InvalidResponseError
from assessment.instrument import (
    is_applicable,
    item_value,
    load_instrument,
    missing_items,
    most_mature_responses,
    normalise_response,
    pages_for,
    parse_instrument,
)
from assessment.types import EnterpriseProfile, IndustryCluster, ItemKind, ProductionType, SizeClass
from tests.unit.data_files import data_text
from tests.unit.profiles import small_furniture_maker as profile

#: The smallest valid instrument: one dimension, indicator and single-choice item.
MINI = data_text("mini-instrument.toml")


def test_v1_has_eight_dimensions_and_40_to_60_bilingual_items() -> None:
    instrument = load_instrument("dmi", "1")
    assert [d.code for d in instrument.dimensions] == [
        "ORG",
        "MGT",
        "RND",
        "PRO",
        "DAT",
        "INT",
        "INF",
        "INN",
    ]
    assert 40 <= len(instrument.items) <= 60
    for item in instrument.items:
        assert item.text_zh and item.text_en and item.help_zh and item.help_en, item.code
        for option in item.options:
            assert option.text_zh and option.text_en, (item.code, option.code)
    assert abs(sum(d.weight for d in instrument.dimensions) - 1.0) < 1e-9


def test_unknown_version_is_refused() -> None:
    with pytest.raises(InstrumentVersionError):
        load_instrument("dmi", "99")
    with pytest.raises(InstrumentVersionError):
        load_instrument("../etc", "1")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace('value = 1.0, zh = "有"', 'value = 1.5, zh = "有"'),
            r"not in \[0, 1\]",
        ),
        (
            lambda t: t.replace(
                "weight = 1\n\n[[dimensions.indicators]]", "weight = 0\n\n[[dimensions.indicators]]"
            ),
            "positive",
        ),
        (lambda t: t + t[t.index("[[dimensions.indicators.items]]") :], "duplicate"),
        (
            lambda t: t.replace(
                'kind = "single"', 'kind = "single"\nshow_if = { item = "Q9", values = ["L1"] }'
            ),
            "not an earlier item",
        ),
        (
            lambda t: t.replace('{ code = "L1", value = 1.0', '{ code = "L0", value = 1.0'),
            "duplicate option code",
        ),
        (
            lambda t: t.replace(
                'kind = "single"', 'kind = "single"\nshow_if = { item = "Q1", values = ["L1"] }'
            ),
            "not an earlier item",
        ),
        (lambda t: t.replace('id = "mini"', ""), "missing field"),
        (lambda t: t.replace("[[dimensions]]", "[[dimensions]"), "not valid TOML"),
    ],
)
def test_malformed_instruments_are_refused(change, message: str) -> None:  # type: ignore[no-untyped-def]
    assert parse_instrument(MINI).items[0].code == "Q1"
    with pytest.raises(InstrumentVersionError, match=message):
        parse_instrument(change(MINI))


def test_process_items_only_for_process_and_mixed() -> None:
    instrument = load_instrument("dmi", "1")
    modelling, plm = instrument.item("RND-04"), instrument.item("RND-03")
    assert not is_applicable(modelling, profile(ProductionType.DISCRETE), {})
    assert is_applicable(modelling, profile(ProductionType.PROCESS), {})
    assert is_applicable(modelling, profile(ProductionType.MIXED), {})
    assert is_applicable(plm, profile(ProductionType.DISCRETE), {})
    assert not is_applicable(plm, profile(ProductionType.PROCESS), {})


@pytest.mark.parametrize(
    ("mes", "shown"), [("L0", False), ("L1", False), ("L2", True), ("L4", True)]
)
def test_mes_erp_question_follows_the_mes_answer(mes: str, shown: bool) -> None:
    item = load_instrument("dmi", "1").item("INT-02")
    assert is_applicable(item, profile(), {"PRO-02": mes}) is shown
    assert not is_applicable(item, profile(), {})


def test_missing_items_respect_skip_logic() -> None:
    instrument = load_instrument("dmi", "1")
    codes = {i.code for i in missing_items(instrument, profile(), {})}
    assert "RND-04" not in codes and "INT-02" not in codes and "RND-03" in codes
    codes = {i.code for i in missing_items(instrument, profile(), {"PRO-02": "L3"})}
    assert "INT-02" in codes


def test_normalise_numbers() -> None:
    item = load_instrument("dmi", "1").item("DAT-02")
    assert normalise_response(item, "55.5") == 55.5
    assert normalise_response(item, 0) == 0.0
    for bad in ("101", "-1", "abc", "nan", "inf", True, None):
        with pytest.raises(InvalidResponseError):
            normalise_response(item, bad)


def test_normalise_choices() -> None:
    single = load_instrument("dmi", "1").item("ORG-01")
    multi = load_instrument("dmi", "1").item("INF-03")
    assert normalise_response(single, "L3") == "L3"
    assert normalise_response(multi, ["ics", "policy"]) == ("policy", "ics")  # option order
    with pytest.raises(InvalidResponseError):
        normalise_response(single, "L9")
    with pytest.raises(InvalidResponseError):
        normalise_response(multi, ["none", "ics"])
    with pytest.raises(InvalidResponseError, match="options"):
        normalise_response(multi, ["<script>"])


def test_item_values() -> None:
    instrument = load_instrument("dmi", "1")
    networked = instrument.item("DAT-02")
    assert item_value(networked, 9.9) == 0.0
    assert item_value(networked, 10) == 0.25
    assert item_value(networked, 39.9) == 0.5
    assert item_value(networked, 60) == 1.0
    multi = instrument.item("DAT-03")
    assert multi.kind == ItemKind.MULTI
    assert item_value(multi, ("output", "machine")) == pytest.approx(0.4)
    assert item_value(multi, ("none",)) == 0.0


def test_most_mature_answers_respect_max_choices() -> None:
    v2 = load_instrument("dmi", "2")
    profile = EnterpriseProfile(
        "C18", ProductionType.DISCRETE, SizeClass.MEDIUM, "humen", False, IndustryCluster.TEXTILES
    )
    answers = most_mature_responses(v2, profile)
    limited = [i for i in v2.items if i.max_choices and i.code in answers]
    assert limited
    for item in limited:
        assert 1 <= len(answers[item.code]) <= item.max_choices  # type: ignore[operator, arg-type]
        assert normalise_response(item, list(answers[item.code]))  # type: ignore[arg-type]


def test_the_cluster_module_page_is_left_out_for_a_firm_outside_the_five_clusters() -> None:
    v2 = load_instrument("dmi", "2")
    garments = EnterpriseProfile(
        "C18", ProductionType.DISCRETE, SizeClass.MEDIUM, "humen", False, IndustryCluster.TEXTILES
    )
    plastics = dataclasses.replace(garments, industry_code="C29", cluster=IndustryCluster.OTHER)
    assert [d.code for d in pages_for(v2, garments)] == [d.code for d in v2.dimensions]
    assert [d.code for d in pages_for(v2, plastics)] == [
        d.code for d in v2.dimensions if d.code != "CLU"
    ]
    v1 = load_instrument("dmi", "1")
    assert pages_for(v1, plastics) == list(v1.dimensions)
