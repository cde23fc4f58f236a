"""The pipeline (升级漏斗): firms close to their next stage or MIIT level, its export, and the
group referral of the chosen firms to a service package."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.packages import PACKAGES
from assessment.referrals import ReferralState
from assessment.types import IndustryCluster
from webapp.blueprints.responses import table_download
from webapp.blueprints.routes import Routes
from webapp.forms.errors import refusal_flashed
from webapp.language import page_language
from webapp.services import group_referrals, pipeline
from webapp.services.round_versions import rounds_with_submissions

routes = Routes()


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


@routes.get("/pipeline")
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


@routes.get("/pipeline.<any(xlsx, csv):fmt>")
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


@routes.post("/pipeline/refer")
def refer_group() -> Response:
    """Refer the chosen firms to a service package, each with its own referral."""
    ids = [int(v) for v in request.form.getlist("enterprise") if v.isdigit()]
    with refusal_flashed():
        made = group_referrals.refer_group(
            current_user,
            ids,
            request.form.get("package", ""),
            request.form.get("note", ""),
            base_url=request.host_url,
            group_action=request.form.get("group_action") or None,
        )
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
