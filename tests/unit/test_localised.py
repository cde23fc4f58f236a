"""The one value type for data in two languages (assessment/localised.py)."""

from __future__ import annotations

import dataclasses

import pytest
from babel import Locale

from assessment.localised import Localised, language_of

NAME = Localised("起步建设", "Initial")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Initial"),
        ("en_GB", "Initial"),
        ("en-US", "Initial"),
        ("EN", "Initial"),
        (Locale.parse("en_GB"), "Initial"),
        ("zh", "起步建设"),
        ("zh_Hans_CN", "起步建设"),
        (Locale.parse("zh_CN"), "起步建设"),
        ("fr", "起步建设"),
        ("", "起步建设"),
        (None, "起步建设"),
    ],
)
def test_for_locale_picks_english_only_for_english_locales(locale: object, expected: str) -> None:
    assert NAME.for_locale(locale) == expected


def test_language_of_is_en_or_zh() -> None:
    assert language_of("en_GB") == "en"
    assert language_of("eng") == "zh"  # not an English locale code
    assert language_of("de") == "zh"


def test_empty_english_text_is_kept() -> None:
    assert Localised("说明", "").for_locale("en") == ""


def test_localised_is_immutable_and_hashable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        NAME.zh = "x"  # type: ignore[misc]
    assert {NAME: 1}[Localised("起步建设", "Initial")] == 1
