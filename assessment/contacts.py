"""Contact details of an enterprise: the phone-number rule.

Source: mainland China numbering plan (工业和信息化部《电信网编号计划》): mobile numbers have
11 digits starting 13-19; fixed lines have an area code of 3 or 4 digits starting 0 (Dongguan:
0769) and a local number of 7 or 8 digits, optionally followed by an extension.
"""

from __future__ import annotations

import re

_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
_LANDLINE = re.compile(r"(0\d{2,3})-?([2-9]\d{6,7})(?:(?:-|转|ext\.?|x)(\d{1,6}))?", re.I)
_SEPARATORS = re.compile(r"[\s()（）]+")


def normalise_phone(text: str) -> str | None:
    """The phone number in a canonical form, or ``None`` if it is neither a Chinese mobile nor a
    landline number with area code.

    Spaces and brackets are ignored. Mobile: ``13812345678`` (``+86`` dropped). Landline:
    ``0769-22881234`` or with extension ``0769-22881234-806``.
    """
    compact = _SEPARATORS.sub("", text.strip())
    compact = compact.replace("－", "-").replace("—", "-")
    mobile = _MOBILE.fullmatch(compact.replace("-", ""))
    if mobile:
        return mobile.group(1)
    landline = _LANDLINE.fullmatch(compact)
    if landline:
        area, local, extension = landline.groups()
        return f"{area}-{local}" + (f"-{extension}" if extension else "")
    return None
