"""The field rules of a catalogue entry, with their refusals in the request's language.

One place for each rule, read by the workbook import and by the single-entry form alike
(``catalogue_admin.apply_rows``), before the entry is parsed:

* ``code``, ``name_zh`` and ``name_en`` are required (the pure parsers require the keys; an
  empty cell is refused here, as the programme parser already refused it);
* a text is at most as long as its database column (``String(n)`` of the entry's table);
* a count (``capacity``, ``delivery_weeks``) is a whole number from 0 to ``MAX_COUNT`` (the
  largest value of an ``Integer`` column);
* a centre type, provider type or industry cluster is one of its codes, and the refusal names
  them;
* a town is a code of ``assessment.classification.TOWNS`` (the pinyin, as the enterprise import
  requires); a Chinese town name is refused with its code, so the message says how to write it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import String

from assessment.catalogue import CentreType, ProviderType
from assessment.classification import TOWN_CODES, TOWNS
from assessment.localised import LabelledEnum
from assessment.types import IndustryCluster
from models.base import Base

#: Fields every catalogue entry must fill in.
REQUIRED_FIELDS = ("code", "name_zh", "name_en")
#: Counts stored in an ``Integer`` column: whole numbers from 0 to its largest value.
COUNT_FIELDS = ("capacity", "delivery_weeks")
MAX_COUNT = 2**31 - 1
#: Fields holding one code (a text) or a list of codes of an enumeration.
CODE_FIELDS: dict[str, type[LabelledEnum]] = {
    "centre_type": CentreType,
    "provider_types": ProviderType,
    "clusters": IndustryCluster,
}
_TOWN_BY_NAME = {name: t.code for t in TOWNS for name in (t.name_zh, t.name_en)}


def field_problems(model: type[Base], values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every refused field of one entry of ``model``'s table, as ``(field, reason)`` pairs in
    the order of ``values``; empty when the entry follows the rules above.

    ``values`` are cells as ``catalogue_admin`` reads them (lists already split at commas).
    """
    problems = []
    for field, value in values.items():
        reason = _problem(model, field, value)
        if reason:
            problems.append((field, reason))
    return problems


def _problem(model: type[Base], field: str, value: Any) -> str:
    """Why ``field`` holding ``value`` is refused, or "" when it is not."""
    if field in REQUIRED_FIELDS and not str(value).strip():
        return _("必须填写。")
    if field in COUNT_FIELDS:
        return _count_problem(value)
    if field in CODE_FIELDS:
        return _code_problem(CODE_FIELDS[field], value)
    if field == "towns":
        return _towns_problem(value)
    column = model.__table__.columns.get(field)
    if column is None or not isinstance(column.type, String) or column.type.length is None:
        return ""
    if len(str(value)) > column.type.length:
        return _("最多 %(n)d 个字符（现为 %(m)d 个）。", n=column.type.length, m=len(str(value)))
    return ""


def _count_problem(value: Any) -> str:
    if value == "" or value is None:
        return ""
    try:
        number = float(str(value).strip())
    except ValueError:
        number = -1.0
    if not number.is_integer() or not 0 <= number <= MAX_COUNT:
        return _("须为 0 到 %(max)s 之间的整数。", max=f"{MAX_COUNT:,}")
    return ""


def _code_problem(enum: type[LabelledEnum], value: Any) -> str:
    given = value if isinstance(value, list) else [str(value).strip()]
    known = {member.value for member in enum}
    bad = [code for code in given if code not in known]
    if not bad:
        return ""
    allowed = _("、").join(
        _("%(code)s（%(name)s）", code=m.value, name=m.label.for_locale(get_locale())) for m in enum
    )
    return _(
        "“%(bad)s”不是有效代码，请填写：%(allowed)s。",
        bad=_("、").join(bad) or _("（空）"),
        allowed=allowed,
    )


def _towns_problem(value: Iterable[str]) -> str:
    bad = [town for town in value if town not in TOWN_CODES]
    if not bad:
        return ""
    hints = [f"{town} → {_TOWN_BY_NAME[town]}" for town in bad if town in _TOWN_BY_NAME]
    return _(
        "未知镇街：%(bad)s。请填写镇街代码（拼音），用逗号分隔，例如 huangjiang, humen；"
        "%(hints)s全部代码：%(codes)s。",
        bad=_("、").join(bad),
        hints=(_("、").join(hints) + _("；")) if hints else "",
        codes=", ".join(t.code for t in TOWNS),
    )
