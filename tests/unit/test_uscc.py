"""USCC check character, GB 32100-2015."""

from __future__ import annotations

import pytest

from assessment.errors import InvalidUSCCError
from assessment.uscc import is_valid_uscc, make_uscc, uscc_check_char, validate_uscc


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # published example (Fuzhou)
        "91441900MA00000010",  # demo code built with make_uscc
        "91110108551385082Q",
        "91110000600037341L",  # check character verified with the rule in the next test
    ],
)
def test_valid_codes_pass(code: str) -> None:
    assert validate_uscc(code) == code


def test_normalises_case_and_spaces() -> None:
    assert validate_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert validate_uscc("9135 0100 M000 100Y 43") == "91350100M000100Y43"


def test_check_char_computed_by_hand() -> None:
    # The rule written out independently of the module: C18 = 31 - (sum W_i * C_i mod 31).
    values = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(values.index(c) * w for c, w in zip("91350100M000100Y4", weights, strict=True))
    assert values[(31 - total % 31) % 31] == uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "fragment_zh", "fragment_en"),
    [
        ("91350100M000100Y4", "18 位", "18 characters"),
        ("91350100M000100Y433", "18 位", "18 characters"),
        ("91350100M000100Y44", "校验码不正确", "should be '3'"),
        ("91350100I000100Y43", "第 9 位", "character 9"),
        ("91350100O000100Y43", "不是统一社会信用代码允许的字符", "not allowed"),
        ("B1350100M000100Y43", "登记管理部门", "registration authority"),
        ("913501A0M000100Y43", "行政区划码", "division code"),
    ],
)
def test_invalid_codes_say_why(code: str, fragment_zh: str, fragment_en: str) -> None:
    with pytest.raises(InvalidUSCCError) as info:
        validate_uscc(code)
    assert fragment_zh in info.value.reason_zh
    assert fragment_en in info.value.reason_en
    assert not is_valid_uscc(code)


def test_every_single_character_change_of_last_position_is_caught() -> None:
    good = "91350100M000100Y43"
    for c in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if c != "3":
            assert not is_valid_uscc(good[:17] + c)


def test_make_uscc_round_trips() -> None:
    for serial in range(200):
        assert is_valid_uscc(make_uscc(f"91441900MA{serial:07d}"))


def test_check_char_refuses_wrong_length() -> None:
    with pytest.raises(InvalidUSCCError):
        uscc_check_char("9135")
