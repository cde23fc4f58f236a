"""Government officers' pages: aggregates only, small cells suppressed, never one enterprise."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.types import Stage
from reports.charts import figure_html
from reports.cohort_charts import stage_bar_figure
from reports.exports import table_csv
from webapp import jobs
from webapp.extensions import limiter
from webapp.language import page_language
from webapp.security import attachment, expensive_limit, user_key
from webapp.services import aggregates, government_reports, releases
from webapp.services.round_versions import has_submissions, rounds_with_submissions
from webapp.services.rounds import current_round

#: Who may call each route: MATRIX in webapp/access.py.
bp = Blueprint("government", __name__, url_prefix="/government")


def _round() -> str:
    return request.args.get("round") or current_round()


def _previous_round_with_data(round_code: str) -> str | None:
    """The round before ``round_code`` (rounds are years) when it has submitted assessments:
    the default comparison, so a region's first round shows no empty comparison."""
    if not round_code.isdigit():
        return None
    previous = str(int(round_code) - 1)
    return previous if has_submissions(previous) else None


@bp.get("/")
def dashboard() -> str:
    """The round's dashboard from its newest release (cut automatically at most weekly:
    ``releases.release_due``): coverage, stages, plan targets, breakdowns, town x cluster."""
    lang = page_language()
    # No "compare" in the address: the previous round; an empty choice: no comparison.
    compare = request.args.get("compare")
    if compare is None:
        compare = _previous_round_with_data(_round())
    if releases.release_due(_round()):  # at most weekly; cut in the background
        jobs.enqueue("statistics_release", {"round": _round(), "trigger": "auto"}, current_user.id)
    data = aggregates.dashboard(_round(), lang, compare_round=compare)
    names = {s.code: s.label.for_locale(lang) for s in Stage}
    charts = {
        "stages": figure_html(stage_bar_figure(data.stage_counts, names), "gov-stages"),
        "towns": figure_html(government_reports.town_ranking_figure(data, lang), "gov-towns"),
    }
    return render_template(
        "government/dashboard.html",
        d=data,
        charts=charts,
        stages=aggregates.STAGES,
        rounds=rounds_with_submissions(),
    )


@bp.get("/tables/<kind>.csv")
def table_download(kind: str) -> Response:
    """One breakdown as CSV (suppressed cells marked x)."""
    lang = page_language()
    headers, rows = government_reports.table_for(_round(), kind, lang)
    if headers is None:
        abort(404)
    response = Response(table_csv(headers, rows), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = attachment(f"{kind}-{_round()}.csv")
    return response


@bp.post("/reports")
@limiter.limit(expensive_limit, key_func=user_key)
def request_report() -> Response:
    """Start generating the PDF or Excel report as a background job and show its progress."""
    kind = request.form.get("kind")
    if kind not in ("pdf", "xlsx"):
        abort(400)
    lang = page_language()
    # The officer is part of the request: a job page is only for whoever started it.
    params = {"round": _round_form(), "lang": lang, "by": current_user.id}
    job = jobs.enqueue(f"government_{kind}", params, current_user.id)
    return redirect(url_for("jobs.status", public_id=job.public_id))


def _round_form() -> str:
    return request.form.get("round") or current_round()
