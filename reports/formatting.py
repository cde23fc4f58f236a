"""Numbers, money, dates and times written the way each language writes them (CLDR via Babel).

Pure functions of (value, lang): the web pages (as Jinja filters), the PDF and the Excel exports
all use them, so 5200 万元 reads "5,200 万元" in Chinese and "CNY 52.0 million" in English
everywhere. Money in this product is stored in 万元 (10,000 CNY), as the Chinese statistical
standard (统计上大中小微型企业划分办法 2017) states revenue thresholds.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

from assessment.localised import CLDR_LOCALE

#: Times are stored in UTC and shown in China Standard Time (the product serves Dongguan).
DISPLAY_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class _Conventions:
    """How one language writes numbers, money and times (CLDR data via Babel, plus the unit).

    Chinese keeps money in 万元; English has no word for 10,000, so amounts are converted to
    yuan (``wan_scale``), written in whole yuan, and in millions from one million.
    """

    cldr: str
    wan_scale: int
    whole_units: bool
    money: str
    money_millions: str | None
    money_range: str
    moment: str


#: Keyed by the CLDR locale each language is formatted with, chosen by ``CLDR_LOCALE.for_locale``.
_CONVENTIONS = {
    CLDR_LOCALE.zh: _Conventions(
        cldr=CLDR_LOCALE.zh,
        wan_scale=1,
        whole_units=False,
        money="%(amount)s 万元",
        money_millions=None,
        money_range="%(low)s–%(high)s 万元",
        moment="%(date)s %(time)s",
    ),
    CLDR_LOCALE.en: _Conventions(
        cldr=CLDR_LOCALE.en,
        wan_scale=10_000,
        whole_units=True,
        money="CNY %(amount)s",
        money_millions="CNY %(amount)s million",
        money_range="CNY %(low)s–%(high)s",
        moment="%(date)s, %(time)s",
    ),
}


def _conventions(lang: str) -> _Conventions:
    return _CONVENTIONS[CLDR_LOCALE.for_locale(lang)]


def babel_locale(lang: str) -> str:
    """The CLDR locale Babel formats ``lang`` with: "zh_CN" or "en_GB"."""
    return _conventions(lang).cldr


def number(value: float | None, lang: str, digits: int = 0) -> str:
    """``value`` with grouping and exactly ``digits`` decimals; "—" for None."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=babel_locale(lang))


def decimal(value: float, lang: str) -> str:
    """``value`` with grouping and only the decimals it has (up to 3): 10.0 -> "10", 12.5 ->
    "12.5" (CLDR's standard decimal pattern)."""
    return format_decimal(value, locale=babel_locale(lang))


def money_wan(value_wan: float | None, lang: str) -> str:
    """An amount given in 万元: "5,200 万元" in Chinese, "CNY 52.0 million" or "CNY 85,000"
    in English (English has no word for 10,000, so it is converted)."""
    if value_wan is None:
        return "—"
    style = _conventions(lang)
    amount = value_wan * style.wan_scale
    if style.money_millions is not None and abs(amount) >= 1_000_000:
        return style.money_millions % {"amount": number(amount / 1_000_000, lang, 1)}
    digits = 0 if style.whole_units or float(amount).is_integer() else 1
    return style.money % {"amount": number(amount, lang, digits)}


def money_range_wan(low_wan: float, high_wan: float, lang: str) -> str:
    """A price band in 万元: "5–10 万元" / "CNY 50,000–100,000"."""
    style = _conventions(lang)
    if style.whole_units:
        low, high = (
            number(low_wan * style.wan_scale, lang),
            number(high_wan * style.wan_scale, lang),
        )
    else:
        low, high = decimal(low_wan, lang), decimal(high_wan, lang)
    return style.money_range % {"low": low, "high": high}


def day(value: date | datetime | None, lang: str) -> str:
    """A calendar date: "2026年3月1日" / "1 Mar 2026"; "—" for None."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = _local(value).date()
    return format_date(value, format="medium", locale=babel_locale(lang))


def moment(value: datetime | None, lang: str) -> str:
    """A date and time in China Standard Time: "2026年3月1日 17:00" / "1 Mar 2026, 17:00"."""
    if value is None:
        return "—"
    local = _local(value)
    when = format_date(local.date(), format="medium", locale=babel_locale(lang))
    return _conventions(lang).moment % {"date": when, "time": f"{local:%H:%M}"}


def local_date(value: datetime) -> date:
    """The calendar day of ``value`` (stored in UTC) in China Standard Time: a submission at
    01:00 in Dongguan is dated that day, not the UTC day before."""
    return _local(value).date()


def _local(value: datetime) -> datetime:
    # Naive datetimes come from SQLite, which drops the zone; they were written in UTC.
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(DISPLAY_TZ)


def display_width(text: str) -> int:
    """Width of ``text`` in Latin character cells (a monospace grid): a Chinese (wide or
    full-width) character counts two, anything else one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
