"""Government officers' pages: aggregates only, small cells suppressed, never one enterprise."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.types import Stage
from reports.charts import figure_html
from reports.cohort_charts import stage_bar_figure
from webapp import jobs
from webapp.blueprints import responses
from webapp.extensions import limiter
from webapp.language import page_language
from webapp.security import expensive_limit, user_key
from webapp.services import aggregates, government_reports, releases
from webapp.services.round_versions import has_submissions, rounds_with_submissions
from webapp.services.rounds import current_round

#: Who may call each route: MATRIX in webapp/access.py.
bp = Blueprint("government", __name__, url_prefix="/government")


def _round() -> str:
    return request.args.get("round") or current_round()


def _basis(values: Mapping[str, str]) -> str:
    """The basis filter asked for (``aggregates.BASIS_FILTERS`` key, default "all"); 400 for
    an unknown one."""
    basis = values.get("basis") or "all"
    if basis not in aggregates.BASIS_FILTERS:
        abort(400)
    return basis


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
    due = releases.release_due(_round())
    if due:  # at most weekly; cut in the background
        jobs.enqueue("statistics_release", {"round": _round(), "trigger": "auto"}, current_user.id)
    basis = _basis(request.args)
    data = aggregates.dashboard(_round(), lang, compare_round=compare, basis=basis)
    # The round's first release is being cut: say so and look again shortly, instead of
    # showing tables of zeros as if no firm had answered.
    if due and data.release is None:
        return render_template("government/first_release.html", round_code=_round())
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
        bases={
            code: name.for_locale(lang) for code, name in government_reports.BASIS_NAMES.items()
        },
    )


@bp.get("/tables/<kind>.csv")
def table_download(kind: str) -> Response:
    """One breakdown as CSV (suppressed cells marked x), of the basis filter asked for."""
    lang = page_language()
    basis = _basis(request.args)
    headers, rows = government_reports.table_for(_round(), kind, lang, basis)
    if headers is None:
        abort(404)
    suffix = "" if basis == "all" else f"-{basis}"
    return responses.table_download(f"{kind}-{_round()}{suffix}", "csv", headers, rows)


@bp.post("/reports")
@limiter.limit(expensive_limit, key_func=user_key)
def request_report() -> Response:
    """Start generating the PDF or Excel report as a background job and show its progress."""
    kind = request.form.get("kind")
    if kind not in ("pdf", "xlsx"):
        abort(400)
    lang = page_language()
    # The officer is part of the request: a job page is only for whoever started it.
    params = {
        "round": _round_form(),
        "lang": lang,
        "by": current_user.id,
        "basis": _basis(request.form),
    }
    return responses.start_job(f"government_{kind}", params)


def _round_form() -> str:
    return request.form.get("round") or current_round()
