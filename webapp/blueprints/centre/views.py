"""Enabling-centre staff pages: the cohort and one enterprise."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.classification import TOWNS
from assessment.localised import Localised
from assessment.packages import PACKAGES
from assessment.referrals import TRANSITIONS, ReferralState
from assessment.types import IndustryCluster, SizeClass
from reports.exports import XLSX_MIMETYPE
from webapp.blueprints.centre.charts import cohort_figures
from webapp.blueprints.centre.forms import HandOverForm, StageValidationForm
from webapp.blueprints.enterprise.team import decide_and_redirect
from webapp.blueprints.enterprise.views import evidence_download
from webapp.blueprints.responses import download, start_job, table_download
from webapp.extensions import limiter
from webapp.forms.accounts import DecideClaimForm
from webapp.forms.errors import show_field_error
from webapp.language import page_language
from webapp.security import expensive_limit, user_key
from webapp.services import (
    centres,
    claims,
    cohorts,
    evidence,
    group_referrals,
    onsite,
    pipeline,
    referrals,
    report_cache,
    roadmaps,
    validation,
)
from webapp.services.clusters import current_model, persona_names
from webapp.services.errors import ConflictError, InvalidInputError
from webapp.services.round_versions import rounds_with_submissions
from webapp.services.rounds import current_round

#: Who may call each route: MATRIX in webapp/access.py.
bp = Blueprint("centre", __name__, url_prefix="/centre")


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


@bp.get("/")
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
        bases={
            aid: basis.value
            for aid, basis in onsite.bases_of(
                [a.id for _e, a in page_of_cohort.rows if a is not None and a.status == "submitted"]
            ).items()
        },
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


@bp.get("/export.<any(xlsx, csv):fmt>")
def export(fmt: str) -> Response:
    """The filtered cohort as Excel or CSV (another ``fmt``: no such route, 404)."""
    f = _filter()
    headers, rows = cohorts.export_table(current_user, f, page_language())
    return table_download(f"cohort-{f.round_code}", fmt, headers, rows)


@bp.post("/reports")
@limiter.limit(expensive_limit, key_func=user_key)
def request_reports() -> Response:
    """Start a zip of the cohort's PDF reports for the round as a background job."""
    round_code = request.form.get("round")
    if not round_code:
        abort(400)
    lang = page_language()
    return start_job("cohort_pdfs", {"actor": current_user.id, "round": round_code, "lang": lang})


@bp.route("/enterprises/<int:enterprise_id>", methods=["GET", "POST"])
def enterprise(enterprise_id: int) -> Response | str:
    """One enterprise: profile, rounds, persona, answers with warnings, stage validation."""
    detail = cohorts.enterprise_detail(current_user, enterprise_id)
    form = StageValidationForm()
    if form.validate_on_submit():
        try:
            validation.validate_stage(
                current_user, enterprise_id, form.staff_stage.data or "", form.reason.data or ""
            )
        except InvalidInputError as exc:
            show_field_error(form, exc)
        except ConflictError as exc:
            flash(str(exc), "warning")
        else:
            flash(_("阶段校验已记录。"), "success")
            return redirect(url_for("centre.enterprise", enterprise_id=enterprise_id))
    elif request.method == "GET" and detail.assessment is not None:
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


@bp.get("/evidence/<evidence_id>")
def evidence_file(evidence_id: str) -> Response:
    """Download an evidence file of an enterprise of the staff member's cohort."""
    return evidence_download(evidence_id)


#: The suffix of a reason field's name on the rating page (``item_<scenario>__reason``).
REASON_SUFFIX = "__reason"


def _rating_fields() -> tuple[dict[str, str], dict[str, str]]:
    """Levels and reasons from the rating form: ``item_<scenario>`` -> "0".."4" and
    ``item_<scenario>__reason`` -> text (the questionnaire's ``item_`` names, so that
    ``questionnaire.js`` keeps and restores them as it does answers)."""
    levels: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for name, value in request.form.items():
        if not name.startswith("item_"):
            continue
        code = name[len("item_") :]
        if code.endswith(REASON_SUFFIX):
            reasons[code[: -len(REASON_SUFFIX)]] = value
        else:
            levels[code] = value
    return levels, reasons


@bp.route("/enterprises/<int:enterprise_id>/rating", methods=["GET", "POST"])
def onsite_rating(enterprise_id: int) -> Response | str | tuple[Response | str, int]:
    """The on-site rating (现场评定): the 16 scenarios against the evidence; every change is
    saved at once (``X-Autosave``, JSON answer) and "finish" records the verified level."""
    subject = onsite.subject_for(current_user, enterprise_id)
    autosave = request.headers.get("X-Autosave") == "1"
    error: str | None = None
    status = 200
    if request.method == "POST":
        levels, reasons = _rating_fields()
        version = request.form.get("version", "")
        try:
            rating = onsite.save(
                current_user,
                enterprise_id,
                levels,
                reasons,
                int(version) if version.isdigit() else None,
            )
            if autosave:
                return jsonify({"saved": True, "version": rating.version_id})
            if request.form.get("action") == "finish":
                onsite.finish(current_user, enterprise_id)
                flash(_("现场评定已完成并记录。"), "success")
                return redirect(url_for("centre.enterprise", enterprise_id=enterprise_id))
        except (InvalidInputError, ConflictError) as exc:
            message = exc.message if isinstance(exc, InvalidInputError) else str(exc)
            status = 409 if isinstance(exc, ConflictError) else 400
            if autosave:
                return jsonify({"saved": False, "message": message}), status
            error = message
        else:
            flash(_("已保存。"), "success")
            return redirect(url_for("centre.onsite_rating", enterprise_id=enterprise_id))
    rating = onsite.working_copy(subject)
    page = render_template(
        "centre/onsite.html",
        subject=subject,
        rating=rating,
        version=onsite.version_of(rating),
        verified=onsite.verified_of(rating),
        evidence=onsite.evidence_by_scenario(subject),
        error=error,
    )
    return (page, status) if status != 200 else page


@bp.get("/enterprises/<int:enterprise_id>/needs-list.xlsx")
def needs_list(enterprise_id: int) -> Response:
    """The 改造需求清单 of a cohort enterprise's latest (version-2) assessment, as Excel."""
    needs = roadmaps.staff_needs_list(current_user, enterprise_id, page_language())
    return download(needs.data, XLSX_MIMETYPE, needs.filename)


@bp.route("/enterprises/<int:enterprise_id>/hand-over", methods=["GET", "POST"])
def hand_over(enterprise_id: int) -> Response | str:
    """Hand the enterprise over to another centre with a reason (audit row)."""
    enterprise = cohorts.enterprise_for_staff(current_user, enterprise_id)
    form = HandOverForm()
    locale = get_locale()
    form.centre.choices = [("", _("请选择"))] + [
        (c.code, Localised(c.name_zh, c.name_en).for_locale(locale))
        for c in centres.handover_targets(current_user)
    ]
    if form.validate_on_submit():
        try:
            centres.hand_over(
                current_user, enterprise_id, form.centre.data or "", form.reason.data or ""
            )
        except InvalidInputError as exc:
            show_field_error(form, exc)
        else:
            flash(_("已将 %(name)s 移交给其他赋能中心。", name=enterprise.name), "success")
            return redirect(url_for("centre.cohort"))
    return render_template("centre/hand_over.html", form=form, enterprise=enterprise)


@bp.get("/claims")
def claims_page() -> str:
    """Claims on the cohort's enterprises that have no users of their own (pending first)."""
    return render_template(
        "centre/claims.html",
        claims=claims.claims_for_centre(current_user),
        decide_form=DecideClaimForm(formdata=None),
    )


@bp.post("/claims/<public_id>")
def decide_claim(public_id: str) -> Response:
    """Approve or refuse a claim on an enterprise of the centre that has no users."""
    return decide_and_redirect(public_id, "centre.claims_page")


@bp.get("/referrals")
def referral_queue() -> str:
    """Referrals to follow up: open ones by age (all with ?all=1), with their history."""
    show_all = request.args.get("all") == "1"
    queue = referrals.centre_queue(current_user, open_only=not show_all)
    return render_template(
        "centre/referrals.html",
        queue=queue,
        contacts=referrals.contacts_of([r.enterprise_id for r, _ in queue]),
        show_all=show_all,
        events=referrals.events_of([r.id for r, _ in queue]),
        transitions=TRANSITIONS,
        states=ReferralState,
    )


@bp.post("/referrals/<public_id>")
def move_referral(public_id: str) -> Response:
    """Move one referral to its next state."""
    try:
        referrals.move_referral(
            current_user,
            public_id,
            request.form.get("state", ""),
            request.form.get("note", ""),
            for_owner=request.form.get("for_owner") == "1",
            base_url=request.host_url,
            contract=referrals.ContractInput(
                request.form.get("products", ""), request.form.get("amount_wan", "")
            ),
        )
    except (InvalidInputError, ConflictError) as exc:
        flash(getattr(exc, "message", str(exc)), "warning")
    else:
        flash(_("对接状态已更新。"), "success")
    return redirect(url_for("centre.referral_queue") + f"#r-{public_id}")


def _pipeline_args() -> dict[str, str]:
    args = request.args
    kind, sort = args.get("kind", ""), args.get("sort", "")
    return {
        "round": args.get("round") or current_app.config["CURRENT_ROUND"],
        "kind": kind if kind in pipeline.KINDS else pipeline.KINDS[0],
        "cluster": args.get("cluster") or "",
        "gap": args.get("gap") or "",
        "sort": sort if sort in pipeline.SORTS else "name",
    }


def _pipeline_rows(a: dict[str, str], lang: str) -> list[pipeline.PipelineRow]:
    return pipeline.pipeline_rows(
        current_user,
        a["round"],
        a["kind"],
        lang,
        cluster=a["cluster"] or None,
        gap_item=a["gap"] or None,
        sort=a["sort"],
    )


@bp.get("/pipeline")
def pipeline_page() -> str:
    """The pipeline (升级漏斗): firms one answer from the next stage or MIIT level, or at 一级
    one step from 二级, by pilot industry, with their referral status; the common gaps; a form
    to refer the chosen firms to a service package."""
    a = _pipeline_args()
    lang = page_language()
    rows = _pipeline_rows(a, lang)
    per_page = current_app.config["PER_PAGE"]
    pages = max(1, -(-len(rows) // per_page))
    page = max(1, min(request.args.get("page", 1, type=int), pages))
    return render_template(
        "centre/pipeline.html",
        a=a,
        rows=rows[(page - 1) * per_page : page * per_page],
        total=len(rows),
        page=page,
        pages=pages,
        gaps=pipeline.common_gaps(current_user, a["round"], lang),
        clusters=list(IndustryCluster),
        packages=PACKAGES,
        group_action=group_referrals.new_group_action(),
        kinds=pipeline.KINDS,
        rounds=rounds_with_submissions(),
    )


@bp.get("/pipeline.<any(xlsx, csv):fmt>")
def pipeline_export(fmt: str) -> Response:
    """The filtered pipeline as Excel or CSV, headers and labels in the page's language
    (another ``fmt``: no such route, 404)."""
    a = _pipeline_args()
    lang = page_language()
    headers = [
        _("统一社会信用代码"),
        _("企业名称"),
        _("产业集群"),
        _("阶段"),
        _("工信部等级"),
        _("成熟度指数"),
        _("转型路径"),
        _("关键答案"),
        _("对接状态"),
    ]
    table = [
        [
            r.enterprise.uscc,
            r.enterprise.name,
            IndustryCluster(r.enterprise.cluster).label.for_locale(lang),
            r.assessment.stage or "",
            r.miit_level,
            round(r.assessment.maturity_index or 0.0, 2),
            r.path.name.for_locale(lang),
            "\n".join(r.findings),
            ReferralState(r.referral_state).label.for_locale(lang) if r.referral_state else "",
        ]
        for r in _pipeline_rows(a, lang)
    ]
    return table_download(f"pipeline-{a['round']}", fmt, headers, table)


@bp.post("/pipeline/refer")
def refer_group() -> Response:
    """Refer the chosen firms to a service package, each with its own referral."""
    ids = [int(v) for v in request.form.getlist("enterprise") if v.isdigit()]
    try:
        made = group_referrals.refer_group(
            current_user,
            ids,
            request.form.get("package", ""),
            request.form.get("note", ""),
            base_url=request.host_url,
            group_action=request.form.get("group_action") or None,
        )
    except InvalidInputError as exc:
        flash(exc.message, "warning")
    except ConflictError as exc:
        flash(str(exc), "warning")
    else:
        flash(
            _("已为 %(n)d 家企业创建对接（已有同一服务包对接的企业不重复创建）。", n=len(made)),
            "success",
        )
    back: dict[str, Any] = {
        k: v
        for k, v in request.form.items()
        if k in ("round", "kind", "cluster", "gap", "sort") and v
    }
    return redirect(url_for("centre.pipeline_page", **back))
