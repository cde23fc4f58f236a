"""The questionnaire: starting this round's assessment, its pages (saved on every change and
every button), the review of what is missing, and the submit."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from models import Assessment, AssessmentStatus
from webapp.blueprints.enterprise.profile import own_enterprise
from webapp.blueprints.routes import Routes
from webapp.forms.questionnaire import make_section_form, read_page_answers
from webapp.language import page_language
from webapp.services import (
    assessments,
    evidence,
    questionnaire_pages,
    report_files,
    segments,
)
from webapp.services.errors import ConflictError
from webapp.services.loaders import assessment_for
from webapp.services.rounds import current_round

routes = Routes()

#: Page buttons that confirm a page's carried answers: 保存, 保存并继续, 检查并提交.
CONFIRMING_ACTIONS = frozenset({"save", "next", "review"})


@routes.post("/assessments/start")
def start() -> Response:
    """Start (or resume) this round's assessment and open its first unfinished page, or the
    review page when every page is complete (e.g. a correction with all answers carried)."""
    if own_enterprise() is None:
        return redirect(url_for("enterprise.profile"))
    assessment = assessments.start_assessment(current_user, current_round())
    if assessment.status == AssessmentStatus.SUBMITTED.value:
        return redirect(url_for("enterprise.result", public_id=assessment.public_id))
    page = questionnaire_pages.resume_page(assessment)
    if page is None:
        return redirect(url_for("enterprise.review", public_id=assessment.public_id))
    return redirect(url_for("enterprise.page", public_id=assessment.public_id, dimension=page))


@routes.route("/assessments/<public_id>/pages/<dimension>", methods=["GET", "POST"])
def page(public_id: str, dimension: str) -> Response | str | tuple[Response | str, int]:
    """One page of the questionnaire; answers save on every change and on every button."""
    assessment = assessment_for(current_user, public_id)
    if assessment.status == AssessmentStatus.SUBMITTED.value:
        return redirect(url_for("enterprise.result", public_id=public_id))
    nav = questionnaire_pages.navigation(assessment, dimension)
    locale = page_language()
    items = assessments.items_for_page(assessment, dimension)
    form = make_section_form(items, assessment.responses or {}, locale=locale)
    autosave = request.headers.get("X-Autosave") == "1"
    if request.method == "POST" and form.validate_on_submit():
        read = read_page_answers(form, items, locale=locale)
        expected = int(form.version.data) if (form.version.data or "").isdigit() else None
        action = form.action.data or "save"
        # A page button that saves (not autosave, not the side navigation) confirms the page's
        # carried answers, unless an answer on it needs correcting.
        confirming = action in CONFIRMING_ACTIONS and not autosave and not read.errors
        confirm = dimension if confirming else None
        try:
            assessments.save_responses(
                current_user, assessment, read.answers, read.cleared, expected, confirm_page=confirm
            )
        except ConflictError as exc:
            if autosave:
                return jsonify({"saved": False, "conflict": True, "message": str(exc)}), 409
            flash(str(exc), "danger")
            return render_template(
                "enterprise/page.html", **_page_context(form, nav, assessment, items)
            ), 409
        if autosave:
            return jsonify({"saved": True, "version": assessment.version_id, "errors": read.errors})
        for code, message in read.errors.items():
            form[f"item_{code}"].errors = [message]
        if not read.errors:
            target = _target_after(public_id, nav, action)
            if target is not None:
                return redirect(target)
            flash(_("已保存。"), "success")
            return redirect(url_for("enterprise.page", public_id=public_id, dimension=dimension))
        flash(_("本页有答案需要修改，其余答案已保存。"), "warning")
    elif request.method == "POST" and autosave:
        return jsonify({"saved": False, "message": _("页面已过期，请刷新后重试。")}), 400
    form.version.data = str(assessment.version_id)
    return render_template("enterprise/page.html", **_page_context(form, nav, assessment, items))


def _page_context(
    form: object, nav: questionnaire_pages.Navigation, assessment: Assessment, items: object
) -> dict[str, object]:
    """What ``enterprise/page.html`` shows: the form, the parts, and the evidence per item."""
    return {
        "form": form,
        "nav": nav,
        "assessment": assessment,
        "items": items,
        "evidence": evidence.by_item(assessment.id),
        "evidence_accept": evidence.ACCEPT,
        "evidence_max_mb": f"{current_app.config['EVIDENCE_MAX_BYTES'] / 1048576:g}",
    }


def _target_after(public_id: str, nav: questionnaire_pages.Navigation, action: str) -> str | None:
    """Where a page's button leads after saving: previous, next, another page or the review."""
    if action == "prev" and nav.previous:
        return url_for("enterprise.page", public_id=public_id, dimension=nav.previous)
    if action == "next" and nav.next:
        return url_for("enterprise.page", public_id=public_id, dimension=nav.next)
    if action == "review" or (action == "next" and nav.next is None):
        return url_for("enterprise.review", public_id=public_id)
    if action.startswith("goto:") and action[5:] in {p.code for p in nav.pages}:
        return url_for("enterprise.page", public_id=public_id, dimension=action[5:])
    return None


@routes.get("/assessments/<public_id>/review")
def review(public_id: str) -> Response | str:
    """Before submitting: what is still missing, page by page."""
    assessment = assessment_for(current_user, public_id)
    if assessment.status == AssessmentStatus.SUBMITTED.value:
        return redirect(url_for("enterprise.result", public_id=public_id))
    summary = questionnaire_pages.review(assessment)
    warnings = assessments.consistency_warnings(assessment)
    return render_template(
        "enterprise/review.html",
        assessment=assessment,
        summary=summary,
        warnings=warnings,
        answers=questionnaire_pages.review_answers(assessment),
    )


@routes.post("/assessments/<public_id>/submit")
def submit(public_id: str) -> Response:
    """Submit once; a repeated submit lands on the same result."""
    assessment = assessment_for(current_user, public_id)
    declared = request.form.get("declare") in ("on", "y", "1", "true")
    outcome = assessments.submit_assessment(assessment, current_user, declared=declared)
    if outcome.undeclared:
        flash(_("提交前请勾选真实性承诺。"), "warning")
    if outcome.missing:
        flash(_("还有 %(n)d 道必答题未回答，请补充后再提交。", n=len(outcome.missing)), "warning")
    if outcome.unconfirmed:
        flash(
            _(
                "还有 %(n)d 个部分的带入答案未确认，请逐页核对并保存后再提交。",
                n=len(outcome.unconfirmed),
            ),
            "warning",
        )
    if outcome.refused:
        return redirect(url_for("enterprise.review", public_id=public_id))
    if outcome.already_submitted:
        flash(_("该评估已提交，以下是提交时的结果。"), "info")
    else:
        report_files.request_at_submit(assessment, page_language(), current_user.id)
        segments.request_refresh(assessment, current_user.id)
    return redirect(url_for("enterprise.result", public_id=public_id))
