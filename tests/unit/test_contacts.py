"""The Chinese phone-number rule of enterprise contacts."""

from __future__ import annotations

import pytest

from assessment.contacts import normalise_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("199-1234-5678", "19912345678"),
        ("0769-22881234", "0769-22881234"),
        ("(0769) 2288 1234", "0769-22881234"),
        ("076922881234", "0769-22881234"),
        ("020-8765432", "020-8765432"),
        ("0769-22881234-806", "0769-22881234-806"),
        ("0769-22881234转806", "0769-22881234-806"),
    ],
)
def test_mobile_and_landline_numbers_are_accepted_and_normalised(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345678901",
        "1381234567",
        "138123456789",
        "22881234",
        "0769-1234",
        "phone",
        "0769-0881234",
    ],
)
def test_numbers_that_are_neither_mobile_nor_landline_are_refused(typed: str) -> None:
    assert normalise_phone(typed) is None
