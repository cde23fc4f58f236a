"""The centre's referral queue: referrals to follow up, and moving one to its next state."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.referrals import TRANSITIONS, ReferralState
from webapp.blueprints.routes import Routes
from webapp.forms.errors import refusal_flashed
from webapp.services import referrals

routes = Routes()


@routes.get("/referrals")
def referral_queue() -> str:
    """Referrals to follow up: open ones by age (all with ?all=1), with their history."""
    show_all = request.args.get("all") == "1"
    queue = referrals.centre_queue(current_user, open_only=not show_all)
    return render_template(
        "centre/referrals.html",
        queue=queue,
        contacts=referrals.contacts_of([r.enterprise_id for r, _ in queue]),
        show_all=show_all,
        events=referrals.events_of([r.id for r, _ in queue]),
        parties=referrals.parties_of([r for r, _ in queue]),
        transitions=TRANSITIONS,
        states=ReferralState,
    )


@routes.post("/referrals/<public_id>")
def move_referral(public_id: str) -> Response:
    """Move one referral to its next state."""
    with refusal_flashed():
        referrals.move_referral(
            current_user,
            public_id,
            request.form.get("state", ""),
            request.form.get("note", ""),
            for_owner=request.form.get("for_owner") == "1",
            base_url=request.host_url,
            contract=referrals.ContractInput(
                request.form.get("products", ""), request.form.get("amount_wan", "")
            ),
        )
        flash(_("对接状态已更新。"), "success")
    return redirect(url_for("centre.referral_queue") + f"#r-{public_id}")
