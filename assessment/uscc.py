"""Unified social credit code (统一社会信用代码), GB 32100-2015.

Layout of the 18 characters: 1 registration authority, 2 organisation type, 3-8 administrative
division code (GB/T 2260), 9-17 organisation code, 18 check character. Characters come from the
31-symbol set below (no I, O, S, V, Z). The check character is
``C18 = 31 - (sum(W_i * C_i) mod 31)``, with 31 written as 0, over the first 17 characters with
the weights ``3**(i-1) mod 31`` (GB 32100-2015, 4.3 and annex).
"""

from __future__ import annotations

from assessment.errors import InvalidUSCCError

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(CHARSET)}
#: Registration authorities (first character) in GB 32100-2015 table 1.
AUTHORITIES = frozenset("123456789ANY")


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters.

    Raises
    ------
    InvalidUSCCError
        ``first17`` is not 17 characters of the code's character set.
    """
    code = first17.strip().upper()
    if len(code) != 17:
        raise InvalidUSCCError("前 17 位长度不正确", "the first part must be 17 characters")
    _check_charset(code)
    total = sum(_VALUE[c] * w for c, w in zip(code, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def _check_charset(code: str) -> None:
    for position, char in enumerate(code, start=1):
        if char not in _VALUE:
            raise InvalidUSCCError(
                f"第 {position} 位“{char}”不是统一社会信用代码允许的字符（不含 I、O、S、V、Z）",
                f"character {position} '{char}' is not allowed (I, O, S, V and Z never occur)",
            )


def validate_uscc(code: str) -> str:
    """Normalise (remove spaces, upper-case) and verify a USCC.

    Returns
    -------
    str
        The 18-character code in upper case.

    Raises
    ------
    InvalidUSCCError
        Wrong length, a character outside the set, an unknown registration authority, a
        division code that is not six digits, or a wrong check character (the message gives
        the expected one).
    """
    normalised = "".join(code.split()).upper()
    if len(normalised) != 18:
        raise InvalidUSCCError(
            f"统一社会信用代码应为 18 位，您输入了 {len(normalised)} 位",
            f"a USCC has 18 characters; this one has {len(normalised)}",
        )
    _check_charset(normalised)
    if normalised[0] not in AUTHORITIES:
        raise InvalidUSCCError(
            f"第 1 位登记管理部门代码“{normalised[0]}”无效",
            f"character 1 '{normalised[0]}' is not a registration authority code",
        )
    if not normalised[2:8].isdigit():
        raise InvalidUSCCError(
            "第 3-8 位应为 6 位数字的行政区划码",
            "characters 3-8 must be the six-digit administrative division code",
        )
    expected = uscc_check_char(normalised[:17])
    if normalised[17] != expected:
        raise InvalidUSCCError(
            f"校验码不正确：第 18 位应为“{expected}”，请核对营业执照",
            f"wrong check character: character 18 should be '{expected}'; check the licence",
        )
    return normalised


def is_valid_uscc(code: str) -> bool:
    """``True`` when :func:`validate_uscc` accepts ``code``."""
    try:
        validate_uscc(code)
    except InvalidUSCCError:
        return False
    return True


def make_uscc(first17: str) -> str:
    """A complete code: ``first17`` followed by its check character (for demo data and tests)."""
    return first17.upper() + uscc_check_char(first17)
