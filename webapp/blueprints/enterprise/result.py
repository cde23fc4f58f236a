"""The result of a submitted assessment: the report page, its PDF and needs list, and the
correction that reopens it as a new draft."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from models import Assessment, AssessmentStatus
from reports.exports import XLSX_MIMETYPE
from webapp.blueprints.enterprise.forms import CorrectionForm
from webapp.blueprints.responses import download
from webapp.blueprints.routes import Routes
from webapp.extensions import limiter
from webapp.forms.errors import submitted
from webapp.language import page_language
from webapp.security import expensive_limit, user_key
from webapp.services import (
    corrections,
    enterprise_reports,
    questionnaire_pages,
    referrals,
    report_cache,
    report_files,
    roadmaps,
)
from webapp.services.errors import ConflictError
from webapp.services.loaders import assessment_for

routes = Routes()


@routes.get("/assessments/<public_id>/result")
def result(public_id: str) -> Response | str:
    """The result page: stage, index, radar against peers, gaps, tasks and matches."""
    assessment = assessment_for(current_user, public_id)
    if assessment.status != AssessmentStatus.SUBMITTED.value:
        return redirect(url_for("enterprise.review", public_id=public_id))
    return _result_page(assessment, CorrectionForm(formdata=None))


def _result_page(assessment: Assessment, form: CorrectionForm) -> str:
    lang = page_language()
    built = report_cache.cached_report(assessment, lang)
    referred = referrals.referrals_by_target(assessment)
    return render_template(
        "enterprise/result.html",
        assessment=assessment,
        report=built.report,
        radar_html=built.radar_html,
        referred=referred,
        parties=referrals.parties_of(list(referred.values())),
        correction_form=form,
        correction=corrections.correction_of(assessment),
        corrects=corrections.corrected_record(assessment),
        pdf=report_files.pdf_state(assessment, lang),
    )


@routes.post("/assessments/<public_id>/correction")
def start_correction(public_id: str) -> Response | tuple[str, int]:
    """Start correcting a submitted assessment (reason required) and open the new draft."""
    assessment = assessment_for(current_user, public_id)
    form = CorrectionForm()
    try:
        draft = submitted(
            form,
            lambda: corrections.start_correction(current_user, public_id, form.reason.data or ""),
        )
    except ConflictError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("enterprise.result", public_id=public_id))
    if draft is not None:
        flash(_("已创建更正稿，原答案已带入。修改后请重新提交；原报告会保留。"), "info")
        page = questionnaire_pages.first_page(draft)
        return redirect(url_for("enterprise.page", public_id=draft.public_id, dimension=page))
    if assessment.status != AssessmentStatus.SUBMITTED.value:
        return redirect(url_for("enterprise.review", public_id=public_id))
    return _result_page(assessment, form), 400


@routes.get("/assessments/<public_id>/report.pdf")
@limiter.limit(expensive_limit, key_func=user_key)
def report_pdf(public_id: str) -> Response:
    """The same report as an A4 PDF with Chinese fonts embedded."""
    assessment = assessment_for(current_user, public_id)
    if assessment.status != AssessmentStatus.SUBMITTED.value:
        return redirect(url_for("enterprise.review", public_id=public_id))
    lang = page_language()
    state = report_files.request_pdf(assessment, lang, current_user.id)
    if state.pdf is None:  # being made: show its progress instead of holding the request
        return Response(
            render_template(
                "enterprise/report_progress.html",
                assessment=assessment,
                pdf=state,
                progress_page=True,
            ),
            status=202,
            mimetype="text/html",
        )
    return download(state.pdf, "application/pdf", enterprise_reports.pdf_filename(assessment, lang))


@routes.get("/assessments/<public_id>/needs-list.xlsx")
def needs_list(public_id: str) -> Response:
    """The roadmap's 改造需求清单 as Excel, one row per step (version-2 assessments)."""
    needs = roadmaps.needs_list(assessment_for(current_user, public_id), page_language())
    return download(needs.data, XLSX_MIMETYPE, needs.filename)
