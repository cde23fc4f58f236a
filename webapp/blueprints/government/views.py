"""Government officers' pages: aggregates only, small cells suppressed, never one enterprise."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request

from assessment.types import Stage
from reports.charts import figure_html
from reports.cohort_charts import stage_bar_figure
from reports.exports import table_csv
from webapp.blueprints.government import bp
from webapp.forms.validators import is_english
from webapp.services import aggregates, government_reports


def _round() -> str:
    return request.args.get("round") or current_app.config["CURRENT_ROUND"]


@bp.get("/")
def dashboard() -> str:
    """The round's dashboard: coverage, stages, plan targets, breakdowns, town x cluster."""
    lang = "en" if is_english() else "zh"
    data = aggregates.dashboard(_round(), lang)
    names = {s.code: (s.label_en if lang == "en" else s.label_zh) for s in Stage}
    charts = {
        "stages": figure_html(stage_bar_figure(data.stage_counts, names), "gov-stages"),
        "towns": figure_html(government_reports.town_ranking_figure(data, lang), "gov-towns"),
    }
    return render_template("government/dashboard.html", d=data, charts=charts,
                           stages=aggregates.STAGES)  # fmt: skip


@bp.get("/tables/<kind>.csv")
def table_download(kind: str) -> Response:
    """One breakdown as CSV (suppressed cells marked x)."""
    lang = "en" if is_english() else "zh"
    headers, rows = government_reports.table_for(_round(), kind, lang)
    if headers is None:
        abort(404)
    response = Response(table_csv(headers, rows), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f"attachment; filename={kind}-{_round()}.csv"
    return response


@bp.get("/report.xlsx")
def workbook() -> Response:
    lang = "en" if is_english() else "zh"
    response = Response(
        government_reports.workbook(_round(), lang),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response.headers["Content-Disposition"] = f"attachment; filename=aggregate-{_round()}.xlsx"
    return response


@bp.get("/report.pdf")
def pdf() -> Response:
    lang = "en" if is_english() else "zh"
    response = Response(government_reports.pdf(_round(), lang), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"attachment; filename=aggregate-{_round()}.pdf"
    return response
