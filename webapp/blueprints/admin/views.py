"""Administrator pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.errors import InstrumentVersionError
from reports.exports import XLSX_MIMETYPE
from webapp import registries
from webapp.blueprints.admin import deletions, enterprises, rounds, users
from webapp.blueprints.admin.catalogue_fields import (
    field_hint,
    field_label,
    provider_type_label,
)
from webapp.blueprints.admin.uploads import chosen_upload
from webapp.blueprints.responses import download, start_job
from webapp.services import catalogue_admin, instruments, releases, rescoring, settings
from webapp.services.errors import InvalidInputError
from webapp.services.quality import quality_versions, round_checks, round_quality
from webapp.services.round_versions import rounds_with_submissions
from webapp.services.rounds import current_round

#: Who may call each route: MATRIX in webapp/access.py.
bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.add_app_template_global(field_label, "catalogue_field_label")
bp.add_app_template_global(field_hint, "catalogue_field_hint")
bp.add_app_template_filter(provider_type_label, "provider_type_label")
for module in (enterprises, users, rounds, deletions):
    module.routes.add_to(bp)


@bp.app_template_global()
def catalogue_title(kind: str) -> str:
    """The heading of a catalogue part ("centres", "providers", "solutions", "programmes"; the workbook's
    sheet names) in the page's language; an unknown kind is shown as it is."""
    titles = {
        "centres": _("赋能中心名录"),
        "providers": _("服务商名录"),
        "solutions": _("解决方案名录"),
        "programmes": _("扶持项目"),
    }
    return titles.get(kind, kind)


@bp.get("/")
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


@bp.get("/releases")
def releases_page() -> str:
    """The round's statistics releases with their audit results, and a button to cut one."""
    round_code = request.args.get("round") or current_round()
    return render_template(
        "admin/releases.html",
        releases=releases.releases_of(round_code),
        round_code=round_code,
        rounds=rounds_with_submissions(),
    )


@bp.post("/releases")
def cut_release() -> Response:
    """Cut (snapshot, suppress, audit) a release of the round's government statistics now, as
    a background job; the releases page shows whether it was published."""
    round_code = request.form.get("round") or current_round()
    return start_job("statistics_release", {"round": round_code, "trigger": "admin"})


@bp.post("/jobs/rescore")
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


@bp.post("/jobs/refit")
def request_refit() -> Response:
    """Refit the round's peer clusters and reassign personas, as a background job."""
    round_code = request.form.get("round")
    if not round_code:
        flash(_("请填写批次。"), "warning")
        return redirect(url_for("admin.index"))
    return start_job("refit_clusters", {"round": round_code})


@bp.get("/catalogue")
def catalogue_page() -> str:
    """Centres, providers and solutions; import, export, retire; cost-sharing percentages."""
    return render_template(
        "admin/catalogue.html",
        entries=catalogue_admin.listing(),
        shares=settings.cost_shares(),
        audit=catalogue_admin.recent_audit(),
        errors=None,
    )


@bp.post("/catalogue/import")
def catalogue_import() -> Response | tuple[str, int]:
    """Import a workbook or CSV; a file with any bad row imports nothing and lists the rows."""
    upload = chosen_upload()
    if upload is None:
        return redirect(url_for("admin.catalogue_page"))
    filename = upload.filename or ""
    if not filename.lower().endswith((".xlsx", ".csv")):
        flash(_("只接受 .xlsx 或 .csv 文件。"), "warning")
        return redirect(url_for("admin.catalogue_page"))
    try:
        counts = catalogue_admin.import_catalogue_file(
            current_user, upload.read(), filename, request.form.get("kind") or None
        )
    except catalogue_admin.ImportRefused as exc:
        page = render_template(
            "admin/catalogue.html",
            entries=catalogue_admin.listing(),
            shares=settings.cost_shares(),
            audit=catalogue_admin.recent_audit(),
            errors=exc.errors,
        )
        return page, 422
    flash(_("导入成功：%(c)s", c=", ".join(f"{k} {v}" for k, v in counts.items())), "success")
    return redirect(url_for("admin.catalogue_page"))


@bp.get("/catalogue/export.xlsx")
def catalogue_export() -> Response:
    return download(catalogue_admin.export_catalogue(), XLSX_MIMETYPE, "catalogue.xlsx")


@bp.post("/catalogue/<kind>/<code>/retire")
def catalogue_retire(kind: str, code: str) -> Response:
    if kind not in catalogue_admin.SHEETS:
        abort(404)
    catalogue_admin.set_retired(current_user, kind, code, request.form.get("retired") == "1")
    return redirect(url_for("admin.catalogue_page") + f"#{kind}")


@bp.post("/settings/cost-shares")
def cost_shares() -> Response:
    try:
        settings.set_cost_shares(
            current_user,
            request.form.get("centre", type=float, default=-1.0),
            request.form.get("government", type=float, default=-1.0),
            request.form.get("enterprise", type=float, default=-1.0),
        )
    except InvalidInputError as exc:
        flash(exc.message, "warning")
    else:
        flash(_("费用分担比例已更新。"), "success")
    return redirect(url_for("admin.catalogue_page") + "#cost")


@bp.route("/catalogue/<kind>/edit", methods=["GET", "POST"])
def catalogue_edit(kind: str) -> Response | str | tuple[str, int]:
    """Create (no ``code`` argument) or edit one entry, checked by the same rules as imports."""
    if kind not in catalogue_admin.SHEETS:
        abort(404)
    fields = catalogue_admin.SHEETS[kind][2]
    code = request.args.get("code", "")
    if request.method == "POST":
        values = {f: request.form.get(f, "") for f in fields}
        for f in catalogue_admin.BOOL_FIELDS & set(fields):
            values[f] = "1" if request.form.get(f) else "0"
        try:
            catalogue_admin.apply_rows(current_user, {kind: [values]}, "form")
        except catalogue_admin.ImportRefused as exc:
            page = render_template(
                "admin/entry.html",
                kind=kind,
                fields=fields,
                values=values,
                errors=exc.errors,
                bool_fields=catalogue_admin.BOOL_FIELDS,
                line_fields=catalogue_admin.LINE_FIELDS,
            )
            return page, 422
        flash(_("已保存 %(code)s。", code=values["code"]), "success")
        return redirect(url_for("admin.catalogue_page") + f"#{kind}")
    values = catalogue_admin.entry_values(kind, code)
    return render_template(
        "admin/entry.html",
        kind=kind,
        fields=fields,
        values=values,
        errors=None,
        bool_fields=catalogue_admin.BOOL_FIELDS,
        line_fields=catalogue_admin.LINE_FIELDS,
    )


@bp.get("/instruments")
def instruments_page() -> str:
    """Questionnaire versions: packaged and published, which one is current, publish the next."""
    return render_template(
        "admin/instruments.html", versions=instruments.published_versions(), error=None, errors=[]
    )


@bp.post("/instruments")
def instruments_publish() -> Response | tuple[str, int]:
    """Publish an uploaded TOML file or Excel workbook as the next version; a refused file
    changes nothing and a refused workbook's rows are listed."""
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise instruments.PublicationRefused(_("请选择要发布的问卷文件（.toml 或 .xlsx）。"))
        published = instruments.publish(current_user, upload.read(), upload.filename)
    except instruments.PublicationRefused as exc:
        page = render_template(
            "admin/instruments.html",
            versions=instruments.published_versions(),
            error=exc.reason,
            errors=exc.errors,
        )
        return page, 422
    flash(
        _("已发布问卷 %(v)s，新开始的评估将使用该版本。", v=f"{published.id}-v{published.version}"),
        "success",
    )
    return redirect(url_for("admin.instruments_page"))


@bp.get("/instruments/<instrument_id>-v<version>.toml")
def instrument_download(instrument_id: str, version: str) -> Response:
    """The TOML of one version, to edit into the next."""
    text = instruments.instrument_text(instrument_id, version)
    if text is None:
        abort(404)
    return download(text, "application/toml", f"{instrument_id}-v{version}.toml")


@bp.get("/instruments/<instrument_id>-v<version>.xlsx")
def instrument_workbook_download(instrument_id: str, version: str) -> Response:
    """One version as an Excel workbook, to edit into the next."""
    data = instruments.instrument_workbook(instrument_id, version)
    if data is None:
        abort(404)
    return download(data, XLSX_MIMETYPE, f"{instrument_id}-v{version}.xlsx")
