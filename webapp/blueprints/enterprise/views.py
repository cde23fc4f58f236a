"""The SME owner's pages: profile, questionnaire, submit, result and PDF."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.referrals import ReferralState
from models import Assessment, AssessmentStatus, Enterprise
from reports.exports import XLSX_MIMETYPE
from webapp.blueprints.enterprise import team
from webapp.blueprints.enterprise.forms import CorrectionForm, ProfileForm
from webapp.blueprints.responses import download
from webapp.extensions import db, limiter
from webapp.forms.accounts import ClaimForm
from webapp.forms.errors import show_field_error
from webapp.forms.questionnaire import make_section_form, read_page_answers
from webapp.language import page_language
from webapp.security import expensive_limit, user_key
from webapp.services import (
    assessments,
    claims,
    corrections,
    enterprise_reports,
    evidence,
    questionnaire_pages,
    referrals,
    report_cache,
    report_files,
    roadmaps,
    round_changes,
    segments,
)
from webapp.services.enterprises import ProfileData, UsccTakenError, save_profile
from webapp.services.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from webapp.services.loaders import assessment_for, evidence_for
from webapp.services.rounds import current_round

#: Who may call each route: MATRIX in webapp/access.py.
bp = Blueprint("enterprise", __name__, url_prefix="/enterprise")
bp.add_url_rule("/team", view_func=team.team, methods=["GET", "POST"])
bp.add_url_rule(
    "/team/invitations/<public_id>/resend", view_func=team.invitation_resend, methods=["POST"]
)
bp.add_url_rule(
    "/team/invitations/<public_id>/revoke", view_func=team.invitation_revoke, methods=["POST"]
)
bp.add_url_rule(
    "/team/members/<int:user_id>/remove", view_func=team.member_remove, methods=["POST"]
)
bp.add_url_rule(
    "/team/members/<int:user_id>/owner", view_func=team.member_make_owner, methods=["POST"]
)
bp.add_url_rule("/team/claims/<public_id>", view_func=team.decide_claim, methods=["POST"])
bp.add_url_rule("/claims", view_func=team.claim, methods=["POST"])
#: Page buttons that confirm a page's carried answers: 保存, 保存并继续, 检查并提交.
CONFIRMING_ACTIONS = frozenset({"save", "next", "review"})


def _enterprise() -> Enterprise | None:
    if current_user.enterprise_id is None:
        return None
    return db.session.get(Enterprise, current_user.enterprise_id)


@bp.get("/")
def home() -> Response | str:
    """The owner's start page: the enterprise, this round's assessment and past results."""
    enterprise = _enterprise()
    if enterprise is None:
        return redirect(url_for("enterprise.profile"))
    overview = questionnaire_pages.overview(enterprise, current_round())
    return render_template(
        "enterprise/home.html",
        enterprise=enterprise,
        overview=overview,
        reports=round_changes.reports_by_round(enterprise.id),
    )


@bp.route("/profile", methods=["GET", "POST"])
def profile() -> Response | str:
    """Create or edit the enterprise profile."""
    enterprise = _enterprise()
    form = ProfileForm(obj=enterprise)
    claim_form, claim_decider = None, ""
    lang = page_language()
    if form.validate_on_submit():
        data = ProfileData(
            name=form.name.data or "",
            uscc=form.uscc.data or "",
            industry_code=form.industry_code.data or "",
            production_type=form.production_type.data or "",
            town=form.town.data or "",
            employees=int(form.employees.data or 0),
            revenue_wan=float(form.revenue_wan.data or 0),
            contact_name=form.contact_name.data or "",
            contact_phone=form.contact_phone.data or "",
            contact_email=form.contact_email.data or "",
        )
        try:
            save_profile(current_user, data)
        except UsccTakenError as exc:
            form.uscc.errors.append(exc.message)
            claim_form = ClaimForm(formdata=None, uscc=exc.uscc)
            claim_decider = exc.decider
        except InvalidInputError as exc:
            show_field_error(form, exc)
        except ConflictError as exc:
            form.uscc.errors.append(str(exc))
        else:
            flash(_("企业信息已保存。"), "success")
            return redirect(url_for("enterprise.home"))
    return render_template(
        "enterprise/profile.html",
        form=form,
        enterprise=enterprise,
        claim_form=claim_form,
        claim_decider=claim_decider,
        own_claims=[] if enterprise else claims.own_claims_with_deciders(current_user, lang),
    )


@bp.post("/assessments/start")
def start() -> Response:
    """Start (or resume) this round's assessment and open its first unfinished page, or the
    review page when every page is complete (e.g. a correction with all answers carried)."""
    if _enterprise() is None:
        return redirect(url_for("enterprise.profile"))
    assessment = assessments.start_assessment(current_user, current_round())
    if assessment.status == AssessmentStatus.SUBMITTED.value:
        return redirect(url_for("enterprise.result", public_id=assessment.public_id))
    page = questionnaire_pages.resume_page(assessment)
    if page is None:
        return redirect(url_for("enterprise.review", public_id=assessment.public_id))
    return redirect(url_for("enterprise.page", public_id=assessment.public_id, dimension=page))


@bp.route("/assessments/<public_id>/pages/<dimension>", methods=["GET", "POST"])
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


@bp.post("/assessments/<public_id>/evidence")
def evidence_upload(public_id: str) -> Response:
    """Attach a file to one answer of a draft (``services.evidence.attach``); back to the page
    with the outcome. The body cap of this route is ``EVIDENCE_MAX_BYTES``
    (``security.LARGE_UPLOADS``)."""
    assessment = assessment_for(current_user, public_id)
    dimension = request.form.get("page", "")
    item = request.form.get("item", "")
    upload = request.files.get("file")
    try:
        stored = evidence.attach(
            current_user,
            assessment,
            item,
            (upload.filename or "") if upload else "",
            upload.read() if upload else b"",
        )
    except InvalidInputError as exc:
        flash(exc.message, "danger")
    except (ConflictError, PermissionDeniedError) as exc:
        flash(str(exc), "warning")
    else:
        flash(_("已上传佐证材料：%(name)s", name=stored.filename), "success")
    return _back_to_page(assessment, dimension, item)


def _back_to_page(assessment: Assessment, dimension: str, item: str) -> Response:
    """The questionnaire page ``dimension`` at question ``item`` (the first page when the form
    named no page of this assessment; the result once it is submitted)."""
    if assessment.status != AssessmentStatus.DRAFT.value:
        return redirect(url_for("enterprise.result", public_id=assessment.public_id))
    try:
        questionnaire_pages.navigation(assessment, dimension)
    except NotFoundError:
        dimension = questionnaire_pages.first_page(assessment)
    target = url_for("enterprise.page", public_id=assessment.public_id, dimension=dimension)
    return redirect(f"{target}#q-{item}" if item.replace("-", "").isalnum() else target)


@bp.post("/evidence/<evidence_id>/delete")
def evidence_delete(evidence_id: str) -> Response:
    """Delete an evidence file while its assessment is a draft."""
    row, assessment = evidence_for(current_user, evidence_id)
    item = row.item_code
    try:
        evidence.remove(current_user, row, assessment)
    except (ConflictError, PermissionDeniedError) as exc:
        flash(str(exc), "warning")
    else:
        flash(_("已删除佐证材料。"), "success")
    return _back_to_page(assessment, request.form.get("page", ""), item)


@bp.get("/evidence/<evidence_id>")
def evidence_file(evidence_id: str) -> Response:
    """Download an evidence file of the user's own enterprise."""
    return evidence_download(evidence_id)


def evidence_download(evidence_id: str) -> Response:
    """The response carrying an evidence file the current user may reach (``evidence_for``):
    an attachment with its checked MIME type and the owner's file name."""
    row, _assessment = evidence_for(current_user, evidence_id)
    response = download(evidence.read(row), evidence.KINDS[row.kind].mimetype, row.filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


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


@bp.get("/assessments/<public_id>/review")
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


@bp.post("/assessments/<public_id>/submit")
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


@bp.get("/assessments/<public_id>/result")
def result(public_id: str) -> Response | str:
    """The result page: stage, index, radar against peers, gaps, tasks and matches."""
    assessment = assessment_for(current_user, public_id)
    if assessment.status != AssessmentStatus.SUBMITTED.value:
        return redirect(url_for("enterprise.review", public_id=public_id))
    return _result_page(assessment, CorrectionForm(formdata=None))


def _result_page(assessment: Assessment, form: CorrectionForm) -> str:
    lang = page_language()
    built = report_cache.cached_report(assessment, lang)
    return render_template(
        "enterprise/result.html",
        assessment=assessment,
        report=built.report,
        radar_html=built.radar_html,
        referred=referrals.referral_codes_for(assessment),
        correction_form=form,
        correction=corrections.correction_of(assessment),
        corrects=corrections.corrected_record(assessment),
        pdf=report_files.pdf_state(assessment, lang),
    )


@bp.post("/assessments/<public_id>/correction")
def start_correction(public_id: str) -> Response | tuple[str, int]:
    """Start correcting a submitted assessment (reason required) and open the new draft."""
    assessment = assessment_for(current_user, public_id)
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            draft = corrections.start_correction(current_user, public_id, form.reason.data or "")
        except InvalidInputError as exc:
            form.reason.errors = [exc.message]
        except ConflictError as exc:
            flash(str(exc), "warning")
            return redirect(url_for("enterprise.result", public_id=public_id))
        else:
            flash(_("已创建更正稿，原答案已带入。修改后请重新提交；原报告会保留。"), "info")
            page = questionnaire_pages.first_page(draft)
            return redirect(url_for("enterprise.page", public_id=draft.public_id, dimension=page))
    if assessment.status != AssessmentStatus.SUBMITTED.value:
        return redirect(url_for("enterprise.review", public_id=public_id))
    return _result_page(assessment, form), 400


@bp.post("/assessments/<public_id>/referrals")
def request_referral(public_id: str) -> Response:
    """Ask to be contacted about one recommended centre or provider."""
    try:
        referrals.request_referral(current_user, public_id, request.form.get("target", ""))
    except ConflictError as exc:
        flash(str(exc), "warning")
    else:
        flash(_("已提交对接申请，赋能中心会与您联系。可在“我的对接”查看进展。"), "success")
    return redirect(url_for("enterprise.result", public_id=public_id) + "#recommendations")


@bp.get("/referrals")
def my_referrals() -> str:
    """The enterprise's referrals with their states, and its notifications."""
    mine = referrals.enterprise_referrals(current_user)
    return render_template(
        "enterprise/referrals.html",
        referrals=mine,
        notes=referrals.owner_notes([r.id for r in mine]),
        reassessments=referrals.reassessment_ids(mine),
        notifications=referrals.notifications_for(current_user),
        states=ReferralState,
    )


@bp.get("/assessments/<public_id>/report.pdf")
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


@bp.get("/assessments/<public_id>/needs-list.xlsx")
def needs_list(public_id: str) -> Response:
    """The roadmap's 改造需求清单 as Excel, one row per step (version-2 assessments)."""
    needs = roadmaps.needs_list(assessment_for(current_user, public_id), page_language())
    return download(needs.data, XLSX_MIMETYPE, needs.filename)
