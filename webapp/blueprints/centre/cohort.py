"""The centre's cohort: the filtered, sortable list with its charts, its export, and the zip
of its PDF reports made in the background."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.classification import TOWNS
from assessment.types import IndustryCluster, SizeClass
from webapp.blueprints.centre.charts import cohort_figures
from webapp.blueprints.responses import start_job, table_download
from webapp.blueprints.routes import Routes
from webapp.extensions import limiter
from webapp.language import page_language
from webapp.security import expensive_limit, user_key
from webapp.services import cohorts, onsite, referrals
from webapp.services.clusters import current_model, persona_names
from webapp.services.round_versions import rounds_with_submissions
from webapp.services.rounds import current_round

routes = Routes()


def _filter() -> cohorts.CohortFilter:
    args = request.args
    persona = args.get("persona", type=int)
    return cohorts.CohortFilter(
        round_code=args.get("round") or current_round(),
        town=args.get("town") or None,
        cluster=args.get("cluster") or None,
        size_class=args.get("size") or None,
        stage=args.get("stage") or None,
        persona=persona,
        status=args.get("status") or None,
        sort=args.get("sort") or "name",
        q=args.get("q", "").strip()[:100] or None,
    )


@routes.get("/")
def cohort() -> str:
    """The centre's enterprises: filters, sortable paginated table, charts."""
    f = _filter()
    lang = page_language()
    page_of_cohort = cohorts.cohort_page(
        current_user, f, request.args.get("page", 1, type=int), current_app.config["PER_PAGE"]
    )
    charts = cohorts.cohort_charts(current_user, f, lang)
    figures = cohort_figures(charts, lang)
    return render_template(
        "centre/cohort.html",
        cohort=page_of_cohort,
        shown=onsite.shown_stages(
            [a for _e, a in page_of_cohort.rows if a is not None and a.status == "submitted"]
        ),
        f=f,
        figures=figures,
        segments=charts.segments,
        personas=persona_names(f.round_code),
        args=request.args.to_dict(),
        towns=TOWNS,
        clusters=list(IndustryCluster),
        sizes=list(SizeClass),
        model=current_model(f.round_code),
        open_referrals=referrals.open_referral_count(current_user.centre_id),
        rounds=rounds_with_submissions(),
    )


@routes.get("/export.<any(xlsx, csv):fmt>")
def export(fmt: str) -> Response:
    """The filtered cohort as Excel or CSV (another ``fmt``: no such route, 404)."""
    f = _filter()
    headers, rows = cohorts.export_table(current_user, f, page_language())
    return table_download(f"cohort-{f.round_code}", fmt, headers, rows)


@routes.post("/reports")
@limiter.limit(expensive_limit, key_func=user_key)
def request_reports() -> Response:
    """Start a zip of the cohort's PDF reports for the round as a background job."""
    round_code = request.form.get("round")
    if not round_code:
        abort(400)
    lang = page_language()
    return start_job("cohort_pdfs", {"actor": current_user.id, "round": round_code, "lang": lang})
