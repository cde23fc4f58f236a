"""Responses several blueprints answer with: a file download, a table download, an evidence
file, and the progress page of a background job just started."""

from __future__ import annotations

from flask import redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from reports.exports import XLSX_MIMETYPE, table_csv, table_xlsx
from webapp import jobs
from webapp.security import attachment
from webapp.services import evidence
from webapp.services.loaders import evidence_for


def download(data: bytes | str, mimetype: str, filename: str) -> Response:
    """``data`` as an attachment named ``filename`` (``attachment``: ASCII fallback plus the
    exact name); a ``text/`` ``mimetype`` gets ``charset=utf-8``."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = attachment(filename)
    return response


def table_download(name: str, fmt: str, headers: list[str], rows: list[list[object]]) -> Response:
    """``headers`` and ``rows`` as the attachment ``name.fmt``: a one-sheet workbook whose
    sheet is named ``name`` for ``fmt`` "xlsx", else CSV (UTF-8)."""
    if fmt == "xlsx":
        return download(table_xlsx(name, headers, rows), XLSX_MIMETYPE, f"{name}.{fmt}")
    return download(table_csv(headers, rows), "text/csv", f"{name}.{fmt}")


def evidence_download(evidence_id: str) -> Response:
    """The response carrying an evidence file the current user may reach (``evidence_for``):
    an attachment with its checked MIME type and the owner's file name."""
    row, _assessment = evidence_for(current_user, evidence_id)
    response = download(evidence.read(row), evidence.KINDS[row.kind].mimetype, row.filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def start_job(kind: str, params: dict[str, object]) -> Response:
    """Queue a background job of ``kind`` (``webapp.jobs``) for the current user with
    ``params`` and send the user to its progress page."""
    job = jobs.enqueue(kind, params, current_user.id)
    return redirect(url_for("jobs.status", public_id=job.public_id))
