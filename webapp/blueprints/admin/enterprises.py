"""Administrator pages for the enterprise bulk import (same service as ``flask enterprises import``)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from reports.exports import XLSX_MIMETYPE, table_csv, table_xlsx
from webapp.blueprints.admin.uploads import chosen_upload
from webapp.blueprints.responses import download
from webapp.blueprints.routes import Routes
from webapp.services import enterprise_import
from webapp.services.tabular_import import ImportRefused

MIMETYPES = {"xlsx": XLSX_MIMETYPE, "csv": "text/csv"}

routes = Routes()


@routes.get("/enterprises/import")
def enterprises_page() -> str:
    """The upload form, the columns it expects and the template files."""
    return render_template("admin/enterprise_import.html", errors=None)


@routes.post("/enterprises/import")
def enterprises_import() -> Response | tuple[str, int]:
    """Import a workbook or CSV of enterprises; a file with any bad row imports nothing."""
    upload = chosen_upload()
    if upload is None:
        return redirect(url_for("admin.enterprises_page"))
    try:
        added = enterprise_import.import_enterprises(
            current_user, upload.read(), upload.filename or ""
        )
    except ImportRefused as exc:
        return render_template("admin/enterprise_import.html", errors=exc.errors), 422
    flash(_("已导入 %(n)d 家企业。", n=added), "success")
    return redirect(url_for("admin.enterprises_page"))


@routes.get("/enterprises/import/template.<fmt>")
def enterprises_template(fmt: str) -> Response:
    """The template file: the column codes and two example rows."""
    if fmt not in MIMETYPES:
        abort(404)
    headers, rows = enterprise_import.template_table()
    data = (
        table_xlsx(enterprise_import.SHEET, headers, rows)
        if fmt == "xlsx"
        else table_csv(headers, rows)
    )
    return download(data, MIMETYPES[fmt], f"enterprises-template.{fmt}")
