"""Administrator pages of the catalogue (centres, providers, solutions, programmes): the listing,
importing and exporting the workbook, editing, retiring and restoring one entry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from reports.exports import XLSX_MIMETYPE
from webapp.blueprints.admin.uploads import chosen_upload
from webapp.blueprints.responses import download
from webapp.blueprints.routes import Routes
from webapp.services import catalogue_admin
from webapp.services.tabular_import import RowError

routes = Routes()


def _catalogue(errors: Sequence[RowError] | None = None) -> str:
    """The catalogue page, with the rows of a refused import when there are any."""
    return render_template(
        "admin/catalogue.html",
        entries=catalogue_admin.listing(),
        audit=catalogue_admin.recent_audit(),
        errors=errors,
    )


def _entry(kind: str, values: Mapping[str, str], errors: Sequence[RowError] | None = None) -> str:
    """The form of one ``kind`` of entry filled with ``values``, with the reasons it was
    refused when there are any."""
    return render_template(
        "admin/entry.html",
        kind=kind,
        fields=catalogue_admin.SHEETS[kind][2],
        values=values,
        errors=errors,
        bool_fields=catalogue_admin.BOOL_FIELDS,
        line_fields=catalogue_admin.LINE_FIELDS,
    )


@routes.get("/catalogue")
def catalogue_page() -> str:
    """Centres, providers, solutions and programmes; import, export, retire."""
    return _catalogue()


@routes.post("/catalogue/import")
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
        return _catalogue(exc.errors), 422
    flash(_("导入成功：%(c)s", c=", ".join(f"{k} {v}" for k, v in counts.items())), "success")
    return redirect(url_for("admin.catalogue_page"))


@routes.get("/catalogue/export.xlsx")
def catalogue_export() -> Response:
    """The whole catalogue as a workbook in the import format."""
    return download(catalogue_admin.export_catalogue(), XLSX_MIMETYPE, "catalogue.xlsx")


@routes.post("/catalogue/<kind>/<code>/retire")
def catalogue_retire(kind: str, code: str) -> Response:
    """Retire (form field ``retired`` is "1") or restore one entry, back to its part of the
    page; an unknown ``kind`` is a 404, and so is an unknown ``code`` (``NotFoundError``)."""
    if kind not in catalogue_admin.SHEETS:
        abort(404)
    catalogue_admin.set_retired(current_user, kind, code, request.form.get("retired") == "1")
    return redirect(url_for("admin.catalogue_page") + f"#{kind}")


@routes.route("/catalogue/<kind>/edit", methods=["GET", "POST"])
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
            return _entry(kind, values, exc.errors), 422
        flash(_("已保存 %(code)s。", code=values["code"]), "success")
        return redirect(url_for("admin.catalogue_page") + f"#{kind}")
    return _entry(kind, catalogue_admin.entry_values(kind, code))
