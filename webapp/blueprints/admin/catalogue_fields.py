"""Headings of the catalogue's parts, and labels and hints of its fields on the administrator's
entry form, in the page's language (the import sheets keep the field codes as column headers).
``admin/views.py`` makes them template globals and filters."""

from __future__ import annotations

from flask_babel import LazyString, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assessment.catalogue import ProviderType
from assessment.roadmap import capability_name

FIELD_LABELS: dict[str, LazyString] = {
    "code": _l("代码"),
    "name_zh": _l("中文名称"),
    "name_en": _l("英文名称"),
    "centre_type": _l("中心类型"),
    "clusters": _l("服务的产业集群"),
    "towns": _l("服务的镇街"),
    "dimensions": _l("对应维度"),
    "gates": _l("对应阶段条件"),
    "capacity": _l("服务容量（家企业）"),
    "contact": _l("联系方式"),
    "is_demo": _l("演示数据"),
    "retired": _l("已停用"),
    "region_wide": _l("全市兜底中心"),
    "provider_types": _l("服务商类型（含数字化牵引单位）"),
    "software": _l("软件品类"),
    "provider": _l("服务商代码"),
    "stages": _l("适用阶段"),
    "production_types": _l("生产类型（离散/流程）"),
    "size_classes": _l("企业规模"),
    "price_band": _l("价格区间"),
    "delivery_weeks": _l("交付周期（周）"),
    "light_fast": _l("小快轻准产品"),
    "subsidy_eligible": _l("可申请补贴"),
    "cloud_voucher": _l("可用上云服务券"),
    "capabilities": _l("建设的能力"),
    "scenarios": _l("提升的工信部业务场景"),
    "price_model": _l("计价方式"),
    "provider_discount": _l("服务商让利比例"),
    "in_pilot_directory": _l("列入数字化产品和服务目录"),
    "cases": _l("参考案例（镇街/行业）"),
    "issuer": _l("发布单位"),
    "document": _l("文件号"),
    "region": _l("适用地区"),
    "share": _l("补助比例"),
    "cap_wan": _l("单户补助上限（万元）"),
    "divisions": _l("适用行业大类（国民经济行业代码）"),
    "pilot_list": _l("须列入拟改造企业名单"),
    "max_level_before": _l("改造前数字化水平最高等级"),
    "certifications": _l("须具备的资质（任一）"),
    "cloud_only": _l("仅补助可用上云服务券的产品"),
    "pilot_directory_only": _l("仅补助数字化产品和服务目录内的产品"),
    "documents": _l("申报材料"),
    "steps": _l("申报步骤"),
    "starts_on": _l("申报开始日期"),
    "ends_on": _l("申报截止日期"),
}

FIELD_HINTS: dict[str, LazyString] = {
    "centre_type": _l("benchmark（标杆型）、platform（平台型）、specialised（专业型）"),
    "provider_types": _l(
        "例如 software, traction（数字化牵引单位）, traction_partner（牵引单位合作伙伴）, ics_security"
    ),
    "price_band": _l("lt5（5 万元以下）、5to20、20to100、gt100（万元）"),
    "price_model": _l("one_off（一次性）或 subscription（按年订阅）；留空为一次性"),
    "provider_discount": _l("0 到 1 之间的小数，例如 0.15 表示让利 15%"),
    "capabilities": _l("能力代码，例如 finance, purchasing, warehouse, production, security"),
    "scenarios": _l("场景代码，例如 purchasing, quality"),
    "cases": _l("例如 humen/textiles, changan/electronics"),
    "share": _l("0 到 1 之间的小数，例如 0.5 表示补助让利后价格的 50%"),
    "divisions": _l("例如 C39, C13；留空为全部行业"),
    "size_classes": _l("micro（微型）、small（小型）、medium（中型）、large（大型）；留空为全部"),
    "max_level_before": _l("0 到 4，例如 1 表示改造前最高为一级"),
    "certifications": _l("例如 srdi（专精特新）；留空为不限"),
    "documents": _l("每行一项"),
    "steps": _l("每行一步：代码 | 中文名称 | 英文名称 | 需准备（中文） | 需准备（英文）"),
    "starts_on": _l("格式 2025-01-31；未知则留空"),
    "ends_on": _l("格式 2025-12-31；未知则留空"),
}


def catalogue_title(kind: str) -> str:
    """The heading of a catalogue part ("centres", "providers", "solutions", "programmes"; the workbook's
    sheet names) in the page's language; an unknown kind is shown as it is."""
    titles = {
        "centres": _("赋能中心名录"),
        "providers": _("服务商名录"),
        "solutions": _("解决方案名录"),
        "programmes": _("扶持项目"),
    }
    return titles.get(kind, kind)


def field_label(field: str) -> str:
    """The field's label in the page's language; an unknown field is shown as its code."""
    return str(FIELD_LABELS.get(field, field))


def field_hint(field: str) -> str:
    """The field's format hint in the page's language, or "" when it needs none."""
    hint = FIELD_HINTS.get(field)
    return str(hint) if hint is not None else ""


def provider_type_label(code: str) -> str:
    """A provider role code ("traction", "ics_security", ...) in the page's language; an
    unknown code is shown as it is."""
    try:
        return ProviderType(code).label.for_locale(get_locale())
    except ValueError:
        return code


def capability_label(code: str) -> str:
    """A capability code a solution builds ("finance", "ai_quality", ...) as its name in the
    page's language; an unknown code is shown as it is."""
    name = capability_name(code)
    return name.for_locale(get_locale()) if name is not None else code
