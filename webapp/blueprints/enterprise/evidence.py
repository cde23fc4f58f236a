"""Evidence files attached to the answers of a draft: upload, delete, download."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from models import Assessment, AssessmentStatus
from webapp.blueprints.responses import evidence_download
from webapp.blueprints.routes import Routes
from webapp.forms.errors import refusal_flashed
from webapp.services import evidence, questionnaire_pages
from webapp.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from webapp.services.loaders import assessment_for, evidence_for

routes = Routes()


@routes.post("/assessments/<public_id>/evidence")
def evidence_upload(public_id: str) -> Response:
    """Attach a file to one answer of a draft (``services.evidence.attach``); back to the page
    with the outcome. The body cap of this route is ``EVIDENCE_MAX_BYTES``
    (``security.LARGE_UPLOADS``)."""
    assessment = assessment_for(current_user, public_id)
    dimension = request.form.get("page", "")
    item = request.form.get("item", "")
    upload = request.files.get("file")
    try:
        with refusal_flashed():
            stored = evidence.attach(
                current_user,
                assessment,
                item,
                (upload.filename or "") if upload else "",
                upload.read() if upload else b"",
            )
            flash(_("已上传佐证材料：%(name)s", name=stored.filename), "success")
    except PermissionDeniedError as exc:  # a view-only member: told on the page, not a 403
        flash(str(exc), "warning")
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


@routes.post("/evidence/<evidence_id>/delete")
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


@routes.get("/evidence/<evidence_id>")
def evidence_file(evidence_id: str) -> Response:
    """Download an evidence file of the user's own enterprise."""
    return evidence_download(evidence_id)
