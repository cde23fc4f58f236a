"""Numbers, money, dates and times written the way each language writes them (CLDR via Babel).

Pure functions of (value, lang): the web pages (as Jinja filters), the PDF and the Excel exports
all use them, so 5200 万元 reads "5,200 万元" in Chinese and "CNY 52.0 million" in English
everywhere. Money in this product is stored in 万元 (10,000 CNY), as the Chinese statistical
standard (统计上大中小微型企业划分办法 2017) states revenue thresholds.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

#: Times are stored in UTC and shown in China Standard Time (the product serves Dongguan).
DISPLAY_TZ = ZoneInfo("Asia/Shanghai")
_LOCALES = {"zh": "zh_CN", "en": "en_GB"}


def _locale(lang: str) -> str:
    return _LOCALES["en" if lang == "en" else "zh"]


def number(value: float | None, lang: str, digits: int = 0) -> str:
    """``value`` with grouping and exactly ``digits`` decimals; "—" for None."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def money_wan(value_wan: float | None, lang: str) -> str:
    """An amount given in 万元: "5,200 万元" in Chinese, "CNY 52.0 million" or "CNY 85,000"
    in English (English has no word for 10,000, so it is converted)."""
    if value_wan is None:
        return "—"
    if lang != "en":
        return f"{number(value_wan, lang, 0 if float(value_wan).is_integer() else 1)} 万元"
    yuan = value_wan * 10_000
    if abs(yuan) >= 1_000_000:
        return f"CNY {number(yuan / 1_000_000, lang, 1)} million"
    return f"CNY {number(yuan, lang)}"


def money_range_wan(low_wan: float, high_wan: float, lang: str) -> str:
    """A price band in 万元: "5–10 万元" / "CNY 50,000–100,000"."""
    if lang != "en":
        return f"{low_wan:g}–{high_wan:g} 万元"
    return f"CNY {number(low_wan * 10_000, lang)}–{number(high_wan * 10_000, lang)}"


def day(value: date | datetime | None, lang: str) -> str:
    """A calendar date: "2026年3月1日" / "1 Mar 2026"; "—" for None."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = _local(value).date()
    return format_date(value, format="medium", locale=_locale(lang))


def moment(value: datetime | None, lang: str) -> str:
    """A date and time in China Standard Time: "2026年3月1日 17:00" / "1 Mar 2026, 17:00"."""
    if value is None:
        return "—"
    local = _local(value)
    when = format_date(local.date(), format="medium", locale=_locale(lang))
    return f"{when} {local:%H:%M}" if lang != "en" else f"{when}, {local:%H:%M}"


def _local(value: datetime) -> datetime:
    # Naive datetimes come from SQLite, which drops the zone; they were written in UTC.
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(DISPLAY_TZ)


#: Punctuation between a label and its value, between list items and around an aside: Chinese
#: writes full-width marks with no spaces, English ASCII marks followed by a space.
PUNCTUATION = {
    "zh": {"colon": "：", "semicolon": "；", "comma": "、", "open": "（", "close": "）"},
    "en": {"colon": ": ", "semicolon": "; ", "comma": ", ", "open": " (", "close": ")"},
}


def punctuation(lang: str) -> dict[str, str]:
    """The marks of ``PUNCTUATION`` for ``lang`` (Chinese unless "en")."""
    return PUNCTUATION["en" if lang == "en" else "zh"]


def aside(text: object, lang: str) -> str:
    """``text`` in brackets after what precedes it: "（8）" / " (8)"."""
    marks = punctuation(lang)
    return f"{marks['open']}{text}{marks['close']}"


def display_width(text: str) -> int:
    """Width of ``text`` in Latin character cells (a monospace grid): a Chinese (wide or
    full-width) character counts two, anything else one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
