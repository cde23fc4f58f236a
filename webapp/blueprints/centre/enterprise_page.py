"""One enterprise of the cohort as the centre sees it: its page with the stage validation, its
evidence files and needs list, and its hand-over to another centre."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.localised import Localised
from reports.exports import XLSX_MIMETYPE
from webapp.blueprints.centre.forms import HandOverForm, StageValidationForm
from webapp.blueprints.responses import download, evidence_download
from webapp.blueprints.routes import Routes
from webapp.forms.errors import submitted
from webapp.language import page_language
from webapp.services import centres, cohorts, evidence, onsite, report_cache, roadmaps, validation
from webapp.services.errors import ConflictError

routes = Routes()


@routes.route("/enterprises/<int:enterprise_id>", methods=["GET", "POST"])
def enterprise(enterprise_id: int) -> Response | str:
    """One enterprise: profile, rounds, persona, answers with warnings, stage validation."""
    detail = cohorts.enterprise_detail(current_user, enterprise_id)
    form = StageValidationForm()
    try:
        recorded = submitted(
            form,
            lambda: validation.validate_stage(
                current_user, enterprise_id, form.staff_stage.data or "", form.reason.data or ""
            ),
        )
    except ConflictError as exc:
        flash(str(exc), "warning")
    else:
        if recorded is not None:
            flash(_("阶段校验已记录。"), "success")
            return redirect(url_for("centre.enterprise", enterprise_id=enterprise_id))
    if request.method == "GET" and detail.assessment is not None:
        form.staff_stage.data = detail.assessment.stage
    report = None
    if detail.assessment is not None:
        report = report_cache.cached_report(detail.assessment, page_language()).report
    return render_template(
        "centre/enterprise.html",
        form=form,
        report=report,
        **vars(detail),  # every field of EnterpriseDetail, by its name
        evidence=evidence.by_item(detail.assessment.id) if detail.assessment else {},
        rating=onsite.rating_of(detail.assessment.id) if detail.assessment else None,
    )


@routes.get("/evidence/<evidence_id>")
def evidence_file(evidence_id: str) -> Response:
    """Download an evidence file of an enterprise of the staff member's cohort."""
    return evidence_download(evidence_id)


@routes.get("/enterprises/<int:enterprise_id>/needs-list.xlsx")
def needs_list(enterprise_id: int) -> Response:
    """The 改造需求清单 of a cohort enterprise's latest (version-2) assessment, as Excel."""
    needs = roadmaps.staff_needs_list(current_user, enterprise_id, page_language())
    return download(needs.data, XLSX_MIMETYPE, needs.filename)


@routes.route("/enterprises/<int:enterprise_id>/hand-over", methods=["GET", "POST"])
def hand_over(enterprise_id: int) -> Response | str:
    """Hand the enterprise over to another centre with a reason (audit row)."""
    enterprise = cohorts.enterprise_for_staff(current_user, enterprise_id)
    form = HandOverForm()
    locale = get_locale()
    form.centre.choices = [("", _("请选择"))] + [
        (c.code, Localised(c.name_zh, c.name_en).for_locale(locale))
        for c in centres.handover_targets(current_user)
    ]
    moved = submitted(
        form,
        lambda: centres.hand_over(
            current_user, enterprise_id, form.centre.data or "", form.reason.data or ""
        ),
    )
    if moved is not None:
        flash(_("已将 %(name)s 移交给其他赋能中心。", name=enterprise.name), "success")
        return redirect(url_for("centre.cohort"))
    return render_template("centre/hand_over.html", form=form, enterprise=enterprise)
