"""Background jobs of every kind: one progress page and one download, for whoever started the
job (and administrators)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp.blueprints import responses
from webapp.services.loaders import job_for

#: Who may call each route: MATRIX in webapp/access.py.
bp = Blueprint("jobs", __name__, url_prefix="/jobs")

#: Job kind -> (page title, endpoint of the page the job was started from, its link text).
KINDS = {
    "government_pdf": (_l("报告生成"), "government.dashboard", _l("返回汇总看板")),
    "government_xlsx": (_l("报告生成"), "government.dashboard", _l("返回汇总看板")),
    "cohort_pdfs": (_l("批量生成企业报告"), "centre.cohort", _l("返回企业群")),
    "rescore_round": (_l("重新评分"), "admin.index", _l("返回测量质量")),
    "refit_clusters": (_l("重新拟合聚类"), "admin.index", _l("返回测量质量")),
}


@bp.get("/<public_id>")
def status(public_id: str) -> str:
    """Progress of a job; the page refreshes itself until the job is done or failed."""
    job = job_for(current_user, public_id)
    title, back, back_label = KINDS.get(job.kind, (_l("后台任务"), "main.index", _l("返回首页")))
    return render_template("jobs/job.html", job=job, title=title, back=back, back_label=back_label)


@bp.get("/<public_id>/download")
def download(public_id: str) -> Response:
    """The file the job produced."""
    job = job_for(current_user, public_id)
    if job.state != "done" or job.result is None:
        abort(404)
    return responses.download(job.result, job.result_type, job.result_name)
