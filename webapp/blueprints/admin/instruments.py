"""Administrator page of the questionnaire versions (packaged and published, which one is
current), publishing the next one, and each version's TOML and Excel files to edit into it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from reports.exports import XLSX_MIMETYPE
from webapp.blueprints.responses import download
from webapp.blueprints.routes import Routes
from webapp.services import instruments

routes = Routes()


@routes.get("/instruments")
def instruments_page() -> str:
    """Questionnaire versions: packaged and published, which one is current, publish the next."""
    return render_template(
        "admin/instruments.html", versions=instruments.published_versions(), error=None, errors=[]
    )


@routes.post("/instruments")
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


@routes.get("/instruments/<instrument_id>-v<version>.toml")
def instrument_download(instrument_id: str, version: str) -> Response:
    """The TOML of one version, to edit into the next."""
    text = instruments.instrument_text(instrument_id, version)
    if text is None:
        abort(404)
    return download(text, "application/toml", f"{instrument_id}-v{version}.toml")


@routes.get("/instruments/<instrument_id>-v<version>.xlsx")
def instrument_workbook_download(instrument_id: str, version: str) -> Response:
    """One version as an Excel workbook, to edit into the next."""
    data = instruments.instrument_workbook(instrument_id, version)
    if data is None:
        abort(404)
    return download(data, XLSX_MIMETYPE, f"{instrument_id}-v{version}.xlsx")
