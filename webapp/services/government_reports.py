"""Government downloads: CSV per table, an Excel workbook, a PDF - all from the same
suppressed aggregates as the dashboard, so every number agrees."""

from __future__ import annotations

from datetime import UTC, datetime

import plotly.graph_objects as go

from assessment.localised import Localised
from assessment.types import IndustryCluster, Stage
from reports.chart_export import figure_to_svg
from reports.charts import FONT_FAMILY
from reports.cohort_charts import stage_bar_figure
from reports.exports import Sheet, workbook_xlsx
from reports.formatting import moment
from reports.i18n import gettext_for
from reports.pdf import render_html_pdf
from webapp.services.aggregates import (
    BASIS_FILTERS,
    STAGES,
    Dashboard,
    breakdown_table,
    dashboard,
)

#: Breakdown kind -> its title (also the Excel sheet's name).
TITLES = {
    "town": Localised("按镇街", "By town"),
    "cluster": Localised("按产业集群", "By industry cluster"),
    "size_class": Localised("按企业规模", "By size class"),
    "production_type": Localised("按生产类型", "By production type"),
    "town_x_cluster": Localised("镇街 × 产业集群", "Town x cluster"),
}

#: Basis filter (``aggregates.BASIS_FILTERS`` key) -> its name on the dashboard and in every
#: download (issue 17: the basis of a result, ``assessment.onsite.Basis``).
BASIS_NAMES = {
    "all": Localised("全部结果", "All results"),
    "verified": Localised("中心人员校验或现场评定", "Staff-verified or on-site rated"),
    "onsite": Localised("仅现场评定", "On-site rated only"),
}
assert set(BASIS_NAMES) == set(BASIS_FILTERS)


def basis_stamp(d: Dashboard, lang: str) -> str:
    """Which results the tables count, e.g. "结果依据：仅现场评定", in ``lang``; printed beside
    the release on every page, sheet and CSV."""
    _ = gettext_for(lang)
    return _("结果依据：%(name)s", name=BASIS_NAMES[d.basis].for_locale(lang))


def release_stamp(d: Dashboard, lang: str) -> str:
    """The release the figures come from, e.g. "统计发布日期 2026年11月30日 22:00" (China
    Standard Time, ``reports.formatting.moment``, like every time the product shows), in
    ``lang`` whatever the locale of the request or job; printed on every page, sheet and CSV."""
    _ = gettext_for(lang)
    if d.release is None:
        return _("本批次尚无统计发布。")
    return f"{_('统计发布日期')} {moment(d.release.cut_at, lang)}"


def _tables(d: Dashboard, lang: str) -> dict[str, tuple[list[str], list[list[object]]]]:
    """Every table as header + rows, each ending with a row naming the release and the basis
    filter: ["release", stamp, basis]."""
    out = {kind: breakdown_table(b, STAGES, True, lang) for kind, b in d.breakdowns.items()}
    if d.cross is not None:
        out["town_x_cluster"] = breakdown_table(
            d.cross, [c.value for c in IndustryCluster], False, lang
        )
    stamp = release_stamp(d, lang)
    for _headers, rows in out.values():
        rows.append(["release", stamp, basis_stamp(d, lang)])
    return out


def table_for(
    round_code: str, kind: str, lang: str, basis: str = "all"
) -> tuple[list[str] | None, list[list[object]]]:
    """One table (``TITLES`` kind) of the round's newest release for a basis filter
    (``aggregates.BASIS_FILTERS`` key) as header + rows; (None, []) for an unknown kind.

    Raises ``KeyError`` for an unknown basis filter."""
    tables = _tables(dashboard(round_code, lang, basis=basis), lang)
    if kind not in tables:
        return None, []
    return tables[kind]


def town_ranking_figure(d: Dashboard, lang: str) -> go.Figure:
    """Towns ranked by mean maturity index (towns whose figures are suppressed are left out)."""
    _ = gettext_for(lang)
    rows = [r for r in d.breakdowns["town"].rows if r.mean_index is not None]
    rows.sort(key=lambda r: r.mean_index or 0)
    fig = go.Figure(
        go.Bar(
            x=[r.mean_index for r in rows],
            y=[r.label for r in rows],
            orientation="h",
            marker_color="#0072B2",
            text=[f"{r.mean_index:.1f} (n={r.total})" for r in rows],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.update_layout(
        font={"family": FONT_FAMILY, "size": 12},
        height=120 + 26 * len(rows),
        margin={"l": 110, "r": 80, "t": 20, "b": 30},
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis={
            "range": [0, 100],
            "title": _("成熟度指数均值"),
        },
    )
    return fig


def definitions(d: Dashboard, lang: str) -> list[list[str]]:
    """The method notes of the government report and workbook: (term, definition) pairs."""
    _ = gettext_for(lang)
    return [
        [
            _("阶段 S0-S3"),
            _("起步建设/单项覆盖/集成提升/创新突破，依据东莞市数字经济发展规划四（一）"),
        ],
        [_("成熟度指数"), _("0-100，各维度加权平均")],
        [
            _("小单元格抑制"),
            _("少于 %(k)s 家企业的单元格隐藏（x），并补充隐藏以防由合计推算", k=d.k),
        ],
        [_("数据"), _("已提交评估")],
        [_("结果依据"), BASIS_NAMES[d.basis].for_locale(lang)],
        [
            _("结果依据筛选"),
            _(
                "筛选后的表格与全部结果的表格在同一次发布中共同抑制和审核，"
                "两者相减也不能推算出少于 %(k)s 家企业的数字",
                k=d.k,
            ),
        ],
    ]


def workbook(round_code: str, lang: str, basis: str = "all") -> bytes:
    """One sheet per breakdown (named in ``lang`` as in ``TITLES``) plus summary, plan targets
    and definitions; every header in ``lang``; tables of a basis filter
    (``aggregates.BASIS_FILTERS`` key). Raises ``KeyError`` for an unknown filter."""
    d = dashboard(round_code, lang, basis=basis)
    _ = gettext_for(lang)
    hidden = "x"
    summary: list[list[object]] = [
        [_("评估批次"), round_code],
        [_("统计发布"), release_stamp(d, lang)],
        [_("结果依据"), BASIS_NAMES[d.basis].for_locale(lang)],
        [_("待确认企业的评估（不计入各表）"), d.release.pending if d.release else 0],
        [_("已评估企业"), d.assessed if d.assessed is not None else hidden],
        [_("平均成熟度指数"), d.mean_index if d.mean_index is not None else hidden],
        [_("中位数"), d.median_index if d.median_index is not None else hidden],
    ]
    summary += [[d.dimension_labels.get(dim, dim), v] for dim, v in d.dimension_means.items()]
    summary += [
        [stage, hidden if d.stage_counts.get(stage, 0) is None else d.stage_counts.get(stage, 0)]
        for stage in STAGES
    ]
    targets = [
        [
            x["name"],
            x["value"] if x["value"] is not None else hidden,
            x["unit"],
            x["n"] if x["n"] is not None else "",
            x["target"] if x["target"] is not None else "",
            x["definition"],
            x["source"],
        ]
        for x in d.targets
    ]
    target_headers = [_("指标"), _("数值"), _("单位"), "n", _("目标"), _("定义"), _("来源")]
    return workbook_xlsx(
        [
            Sheet(_("概况"), summary, [_("项目"), _("数值")]),
            Sheet(_("规划目标跟踪"), targets, target_headers),
            *(
                Sheet(TITLES[kind].for_locale(lang), rows, headers)
                for kind, (headers, rows) in _tables(d, lang).items()
            ),
            Sheet(_("方法说明"), [*definitions(d, lang), [_("统计发布"), release_stamp(d, lang)]]),
        ]
    )


def pdf(round_code: str, lang: str, basis: str = "all") -> bytes:
    """A4 PDF: cover, contents, summary, plan targets, breakdown tables, method notes; tables
    of a basis filter (``aggregates.BASIS_FILTERS`` key). Raises ``KeyError`` for an unknown
    filter."""
    d = dashboard(round_code, lang, basis=basis)
    names = {s.code: s.label.for_locale(lang) for s in Stage}
    chart = figure_to_svg(stage_bar_figure(d.stage_counts, names), width=640, height=300)
    return render_html_pdf(
        "government_report.html",
        lang,
        d=d,
        tables=_tables(d, lang),
        titles={kind: title.for_locale(lang) for kind, title in TITLES.items()},
        definitions=definitions(d, lang),
        chart=chart,
        generated=moment(datetime.now(UTC), lang),
        release=release_stamp(d, lang),
        basis=basis_stamp(d, lang),
    )
