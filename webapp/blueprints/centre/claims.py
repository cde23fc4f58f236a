"""Claims on the cohort's enterprises that have no users of their own, which the centre
decides in the owner's place."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp.blueprints.claim_decisions import decide_and_redirect
from webapp.blueprints.routes import Routes
from webapp.forms.accounts import DecideClaimForm
from webapp.services import claims

routes = Routes()


@routes.get("/claims")
def claims_page() -> str:
    """Claims on the cohort's enterprises that have no users of their own (pending first)."""
    return render_template(
        "centre/claims.html",
        claims=claims.claims_for_centre(current_user),
        decide_form=DecideClaimForm(formdata=None),
    )


@routes.post("/claims/<public_id>")
def decide_claim(public_id: str) -> Response:
    """Approve or refuse a claim on an enterprise of the centre that has no users."""
    return decide_and_redirect(public_id, "centre.claims_page")
