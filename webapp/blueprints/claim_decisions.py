"""Deciding a claim on an enterprise, which the owner (team page) and the enabling centre (for
enterprises without users of their own) both do with the same form."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp.forms.accounts import DecideClaimForm
from webapp.forms.errors import refusal_flashed
from webapp.services import claims


def decide_and_redirect(public_id: str, endpoint: str) -> Response:
    """Decide a claim from the form posted (``decision`` approve/refuse, ``reason``) and go
    back to ``endpoint``; the owner's and the centre's claim lists share this."""
    claims.decidable_claim(current_user, public_id)  # 404 before anything else
    form = DecideClaimForm()
    approve = {"approve": True, "refuse": False}.get(form.decision.data or "")
    if not form.validate_on_submit() or approve is None:
        flash(_("请求无效，请重试。"), "danger")
        return redirect(url_for(endpoint))
    with refusal_flashed():
        claims.decide_claim(
            current_user, public_id, approve, form.reason.data or "", request.host_url
        )
        message = (
            _("已批准认领申请，已通知申请人。") if approve else _("已拒绝认领申请，已通知申请人。")
        )
        flash(message, "success")
    return redirect(url_for(endpoint))
