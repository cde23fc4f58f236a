"""Enabling-centre staff pages: the cohort and one enterprise."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from webapp.blueprints.centre import bp
from webapp.services import cohorts


@bp.get("/")
def cohort() -> str:
    """The centre's enterprises, filterable by stage, paginated."""
    round_code = current_app.config["CURRENT_ROUND"]
    stage = request.args.get("stage") or None
    page = request.args.get("page", 1, type=int)
    page_of_cohort = cohorts.cohort_page(
        current_user, round_code, stage, page, current_app.config["PER_PAGE"]
    )
    return render_template(
        "centre/cohort.html", cohort=page_of_cohort, stage=stage, round_code=round_code
    )


@bp.get("/enterprises/<int:enterprise_id>")
def enterprise(enterprise_id: int) -> str:
    """One enterprise of the cohort: profile, stage, answers with consistency warnings."""
    detail = cohorts.enterprise_detail(current_user, enterprise_id)
    return render_template("centre/enterprise.html", **detail)
