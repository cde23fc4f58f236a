"""Administrator pages for deletion requests: the pending list and carrying one out."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp.blueprints.routes import Routes
from webapp.services import privacy
from webapp.services.errors import NotFoundError

routes = Routes()


@routes.get("/deletions")
def deletions() -> str:
    """Pending deletion requests, oldest first, each with a button to carry it out."""
    return render_template("admin/deletions.html", pending=privacy.pending_deletions())


@routes.post("/deletions/<int:request_id>")
def carry_out_deletion(request_id: int) -> Response:
    """Anonymise the firm of one pending request (audit row; the requester is mailed)."""
    try:
        privacy.carry_out_deletion(current_user, request_id)
    except NotFoundError:
        flash(_("该删除申请不存在或已处理。"), "error")
    else:
        flash(_("企业的个人信息已删除，申请人会收到邮件。"), "success")
    return redirect(url_for("admin.deletions"))
