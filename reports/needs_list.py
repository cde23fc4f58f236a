"""The 改造需求清单 (list of transformation needs) a Dongguan pilot firm files with its
application (the pilot path's step after the diagnosis report, ``assessment.programmes``):
one row per roadmap step, exported as Excel. Pure; takes the localised ``RoadmapView``.
"""

from __future__ import annotations

from reports.exports import Sheet, workbook_xlsx
from reports.i18n import gettext_for
from reports.roadmap_view import RoadmapView, StepRow


def needs_list_headers(locale: str) -> list[str]:
    """The column headers of the needs sheet in ``locale``'s language (15 columns)."""
    _ = gettext_for(locale)
    return [
        _("序号"),
        _("时间段"),
        _("改造需求（原因）"),
        _("建设能力"),
        _("前置步骤"),
        _("产品与服务商"),
        _("预算区间"),
        _("计价方式"),
        _("24 个月合计"),
        _("服务商让利"),
        _("扶持项目"),
        _("补助"),
        _("企业自付"),
        _("费用分担规则"),
        _("KPI（基线 → 目标）"),
    ]


def _row(number: str, horizon: str, step: StepRow, locale: str) -> list[object]:
    _ = gettext_for(locale)
    products = "\n".join(
        _("%(name)s — %(provider)s（%(roles)s）", name=p.name, provider=p.provider, roles=p.roles)
        for p in step.products
    )
    return [
        number,
        horizon,
        "\n".join(step.why),
        step.name,
        _("、").join(step.prerequisites) or "—",
        products or _("目录中暂无匹配的产品，可请赋能中心推荐。"),
        step.covered or step.budget,
        step.price_model,
        step.total,
        step.provider_discount,
        step.programme or _("无"),
        step.support,
        step.firm_pays,
        step.cost_rule,
        step.kpi or "—",
    ]


def needs_list_xlsx(view: RoadmapView, enterprise_name: str, uscc: str, locale: str) -> bytes:
    """The needs list as .xlsx bytes: sheet 1 one row per step in roadmap order (numbered
    "horizon.step", e.g. "1.3"), sheet 2 the firm, the totals and the pilot's next step.

    Every cell passes ``reports.exports.safe_cell`` (formula neutralisation)."""
    _ = gettext_for(locale)
    rows = [
        _row(f"{group.code}.{step.number}", group.title, step, locale)
        for group in view.horizons
        for step in group.steps
    ]
    summary: list[list[object]] = [
        [_("企业名称"), enterprise_name],
        [_("统一社会信用代码"), uscc],
        [_("24 个月合计"), view.total],
        [_("企业自付"), view.firm_pays],
        [_("补助"), view.subsidy],
        [_("服务商让利"), view.provider_discount],
        [
            _("每年数字化投入"),
            _("%(spend)s（%(source)s）", spend=view.digital_spend, source=view.spend_source),
        ],
    ]
    if view.flag_text:
        summary.append([_("提示"), view.flag_text])
    if view.pilot_next:
        step = _("%(p)s：%(n)s", p=view.pilot_programme, n=view.pilot_next)
        summary.append([_("试点下一步"), step])
    return workbook_xlsx(
        [
            Sheet(_("改造需求清单"), rows, needs_list_headers(locale)),
            Sheet(_("说明"), summary),
        ]
    )
