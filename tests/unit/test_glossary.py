"""Every question is explained, and every technical term a question uses is explained in plain
words in both languages, without leaving the page."""

from __future__ import annotations

import pytest

from assessment.glossary import TERMS, terms_for_item, terms_in
from assessment.instrument import load_instrument


@pytest.mark.parametrize("item", load_instrument("dmi", "1").items, ids=lambda i: i.code)
def test_every_item_has_help_in_both_languages(item) -> None:  # type: ignore[no-untyped-def]
    assert item.help_zh.strip() and item.help_en.strip()


def test_terms_named_in_the_issue_are_explained_where_used() -> None:
    used = {t.term for item in load_instrument("dmi", "1").items for t in terms_for_item(item)}
    assert {"ERP", "MES", "工业互联网平台", "数字孪生"} <= used


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MES 与 ERP 之间如何交换数据？", ["ERP", "MES"]),
        ("BOARD meeting with the CFO", []),  # "OA" inside a word is not the term
        ("用 OA 审批", ["OA"]),
        ("建设数字孪生和工业互联网平台", ["工业互联网平台", "数字孪生"]),
        ("Exchange data between MES and ERP", ["ERP", "MES"]),
    ],
)
def test_terms_in(text: str, expected: list[str]) -> None:
    assert [t.term for t in terms_in(text)] == expected


def test_terms_are_unique_and_defined_in_both_languages() -> None:
    assert len({t.term for t in TERMS}) == len(TERMS)
    assert all(len(t.zh) >= 10 and len(t.en) >= 20 for t in TERMS)


@pytest.mark.parametrize(
    ("term", "lang", "heading", "starts"),
    [
        ("MES", "en", "MES", "Manufacturing execution system:"),
        ("数字孪生", "en", "Digital twin", "A virtual model"),
        ("数字孪生", "zh", "数字孪生", "在电脑中建立"),
    ],
)
def test_english_pages_name_chinese_terms_in_english(
    term: str, lang: str, heading: str, starts: str
) -> None:
    entry = next(t for t in TERMS if t.term == term)
    assert entry.heading.for_locale(lang) == heading
    assert entry.explanation.for_locale(lang).startswith(starts)
    assert all(t.heading.for_locale("en").isascii() for t in TERMS)
