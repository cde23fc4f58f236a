"""Administrator page of a round's measurement quality (the admin home), and the re-scoring and
peer-cluster refit jobs started from its forms."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assessment.errors import InstrumentVersionError
from webapp import registries
from webapp.blueprints.responses import start_job
from webapp.blueprints.routes import Routes
from webapp.services import rescoring
from webapp.services.quality import quality_versions, round_checks, round_quality
from webapp.services.round_versions import rounds_with_submissions
from webapp.services.rounds import current_round

routes = Routes()


@routes.get("/")
def index() -> str:
    """Measurement quality of a round (默认当前批次) on one questionnaire version (默认当前版本)."""
    round_code = request.args.get("round") or current_round()
    versions = quality_versions(round_code)
    version = request.args.get("version") or registries.instruments().current().version
    try:
        report = round_quality(round_code, version)
    except InstrumentVersionError:
        flash(_("没有第 %(v)s 版问卷，显示的是当前版本。", v=version), "warning")
        version = registries.instruments().current().version
        report = round_quality(round_code, version)
    return render_template(
        "admin/quality.html",
        report=report,
        checks=round_checks(round_code, version),
        round_code=round_code,
        rounds=rounds_with_submissions(),
        version=version,
        versions=versions,
        scoring_versions=sorted(registries.scorers()),
    )


@routes.post("/jobs/rescore")
def request_rescore() -> Response:
    """Re-score a round under a published scoring version, as a background job."""
    round_code, version = request.form.get("round"), request.form.get("scoring_version")
    if not round_code or version not in registries.scorers():
        flash(_("请填写批次并选择已发布的评分版本。"), "warning")
        return redirect(url_for("admin.index"))
    try:
        rescoring.scorable_versions(round_code, version)
    except rescoring.RescoreRefused as exc:
        flash(exc.reason, "warning")
        return redirect(url_for("admin.index"))
    return start_job("rescore_round", {"round": round_code, "scoring_version": version})


@routes.post("/jobs/refit")
def request_refit() -> Response:
    """Refit the round's peer clusters and reassign personas, as a background job."""
    round_code = request.form.get("round")
    if not round_code:
        flash(_("请填写批次。"), "warning")
        return redirect(url_for("admin.index"))
    return start_job("refit_clusters", {"round": round_code})
