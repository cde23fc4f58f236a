"""Administrator page of a round's statistics releases (snapshot, small-cell suppression, audit),
and cutting one."""

from __future__ import annotations

from flask import render_template, request
from werkzeug.wrappers import Response

from webapp.blueprints.responses import start_job
from webapp.blueprints.routes import Routes
from webapp.services import releases
from webapp.services.round_versions import rounds_with_submissions
from webapp.services.rounds import current_round

routes = Routes()


@routes.get("/releases")
def releases_page() -> str:
    """The round's statistics releases with their audit results, and a button to cut one."""
    round_code = request.args.get("round") or current_round()
    return render_template(
        "admin/releases.html",
        releases=releases.releases_of(round_code),
        round_code=round_code,
        rounds=rounds_with_submissions(),
    )


@routes.post("/releases")
def cut_release() -> Response:
    """Cut (snapshot, suppress, audit) a release of the round's government statistics now, as
    a background job; the releases page shows whether it was published."""
    round_code = request.form.get("round") or current_round()
    return start_job("statistics_release", {"round": round_code, "trigger": "admin"})
