"""The enterprise's referrals: asking to be contacted about a recommendation of the result
page, and the list of its referrals with their states and notifications."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.referrals import ReferralState
from webapp.blueprints.routes import Routes
from webapp.language import page_language
from webapp.services import referrals
from webapp.services.errors import ConflictError

routes = Routes()


@routes.post("/assessments/<public_id>/referrals")
def request_referral(public_id: str) -> Response:
    """Ask to be contacted about one recommended centre or provider."""
    try:
        referral = referrals.request_referral(
            current_user, public_id, request.form.get("target", "")
        )
    except ConflictError as exc:
        flash(str(exc), "warning")
    else:
        handler = referrals.parties_of([referral])[referral.id].handler
        if handler is None:
            flash(_("已提交对接申请，赋能中心会与您联系。可在“我的对接”查看进展。"), "success")
        else:
            flash(
                _(
                    "已提交对接申请，由“%(centre)s”跟进，该中心会与您联系。可在“我的对接”查看进展。",
                    centre=handler.for_locale(page_language()),
                ),
                "success",
            )
    return redirect(url_for("enterprise.result", public_id=public_id) + "#recommendations")


@routes.get("/referrals")
def my_referrals() -> str:
    """The enterprise's referrals with their states, and its notifications."""
    mine = referrals.enterprise_referrals(current_user)
    return render_template(
        "enterprise/referrals.html",
        referrals=mine,
        notes=referrals.owner_notes([r.id for r in mine]),
        reassessments=referrals.reassessment_ids(mine),
        parties=referrals.parties_of(mine),
        notifications=referrals.notifications_for(current_user),
        states=ReferralState,
    )
