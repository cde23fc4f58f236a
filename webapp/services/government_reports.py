"""Government downloads: CSV per table, an Excel workbook, a PDF - all from the same
suppressed aggregates as the dashboard, so every number agrees."""

from __future__ import annotations

from datetime import UTC, datetime

import plotly.graph_objects as go
from flask_babel import gettext as _

from assessment.types import IndustryCluster, Stage
from reports.chart_export import figure_to_svg
from reports.charts import FONT_FAMILY
from reports.cohort_charts import stage_bar_figure
from reports.exports import Sheet, workbook_xlsx
from reports.labels import labels
from reports.pdf import render_html_pdf
from webapp.services.aggregates import STAGES, Dashboard, breakdown_table, dashboard

TITLES = {
    "town": ("按镇街", "By town"),
    "cluster": ("按产业集群", "By industry cluster"),
    "size_class": ("按企业规模", "By size class"),
    "production_type": ("按生产类型", "By production type"),
    "town_x_cluster": ("镇街 × 产业集群", "Town x cluster"),
}


def release_stamp(d: Dashboard) -> str:
    """The release the figures come from, e.g. "统计发布日期 2026-11-30 14:00 UTC", in the
    current locale; printed on every page, sheet and CSV."""
    if d.release is None:
        return _("本批次尚无统计发布。")
    return f"{_('统计发布日期')} {d.release.cut_at.strftime('%Y-%m-%d %H:%M')} UTC"


def _tables(d: Dashboard, lang: str) -> dict[str, tuple[list[str], list[list[object]]]]:
    """Every table as header + rows, each ending with a row naming the release."""
    out = {kind: breakdown_table(b, STAGES, True, lang) for kind, b in d.breakdowns.items()}
    if d.cross is not None:
        out["town_x_cluster"] = breakdown_table(
            d.cross, [c.value for c in IndustryCluster], False, lang
        )
    stamp = release_stamp(d)
    for _headers, rows in out.values():
        rows.append(["release", stamp])
    return out


def table_for(round_code: str, kind: str, lang: str) -> tuple[list[str] | None, list[list[object]]]:
    tables = _tables(dashboard(round_code, lang), lang)
    if kind not in tables:
        return None, []
    return tables[kind]


def town_ranking_figure(d: Dashboard, lang: str) -> go.Figure:
    """Towns ranked by mean maturity index (towns whose figures are suppressed are left out)."""
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
            "title": "成熟度指数均值" if lang != "en" else "mean maturity index",
        },
    )
    return fig


def definitions(d: Dashboard, lang: str) -> list[list[str]]:
    zh = lang != "en"
    return [
        [
            "阶段 S0-S3" if zh else "Stages S0-S3",
            "起步建设/单项覆盖/集成提升/创新突破，依据东莞市数字经济发展规划四（一）"
            if zh
            else "initial / single-item coverage / integrated improvement / innovation breakthrough (Dongguan plan 4 (1))",
        ],
        [
            "成熟度指数" if zh else "Maturity index",
            "0-100，各维度加权平均" if zh else "0-100, weighted mean of dimensions",
        ],
        [
            "小单元格抑制" if zh else "Small-cell suppression",
            f"少于 {d.k} 家企业的单元格隐藏（x），并补充隐藏以防由合计推算"
            if zh
            else f"cells of fewer than {d.k} enterprises hidden (x), with further cells hidden so none can be derived from totals",
        ],
        [
            "数据" if zh else "Data",
            "企业自评，已提交评估" if zh else "self-assessment, submitted assessments",
        ],
    ]


def workbook(round_code: str, lang: str) -> bytes:
    """One sheet per breakdown (named in ``lang`` as in ``TITLES``) plus summary, plan targets
    and definitions; every header in ``lang``."""
    d = dashboard(round_code, lang)
    t = labels(lang)
    en = lang == "en"
    hidden = "x"
    summary: list[list[object]] = [
        [t["round"], round_code],
        ["release", release_stamp(d)],
        [_("待确认企业的评估（不计入各表）"), d.release.pending if d.release else 0],
        [t["gov_assessed"], d.assessed],
        [t["gov_mean"], d.mean_index if d.mean_index is not None else hidden],
        [t["gov_median"], d.median_index if d.median_index is not None else hidden],
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
            x["n"],
            x["target"] if x["target"] is not None else "",
            x["definition"],
            x["source"],
        ]
        for x in d.targets
    ]
    target_headers = [
        t["gov_indicator"],
        "%",
        "n",
        t["gov_target"] + " %",
        "Definition" if en else "定义",
        "Source" if en else "来源",
    ]
    return workbook_xlsx(
        [
            Sheet(
                t["gov_summary"], summary, ["Figure" if en else "项目", "Value" if en else "数值"]
            ),
            Sheet(t["gov_targets"], targets, target_headers),
            *(
                Sheet(TITLES[kind][1 if en else 0], rows, headers)
                for kind, (headers, rows) in _tables(d, lang).items()
            ),
            Sheet(
                "Method" if en else "方法说明",
                [*definitions(d, lang), ["release", release_stamp(d)]],
            ),
        ]
    )


def pdf(round_code: str, lang: str) -> bytes:
    """A4 PDF: cover, contents, summary, plan targets, breakdown tables, method notes."""
    d = dashboard(round_code, lang)
    names = {s.code: (s.label_en if lang == "en" else s.label_zh) for s in Stage}
    chart = figure_to_svg(stage_bar_figure(d.stage_counts, names), width=640, height=300)
    return render_html_pdf(
        "government_report.html",
        d=d,
        tables=_tables(d, lang),
        titles=TITLES,
        lang=lang,
        definitions=definitions(d, lang),
        chart=chart,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        release=release_stamp(d),
    )
