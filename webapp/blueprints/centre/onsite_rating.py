"""The on-site rating (现场评定) of an enterprise's 16 scenarios against its evidence."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp.blueprints.routes import Routes
from webapp.services import onsite
from webapp.services.errors import ConflictError, InvalidInputError

routes = Routes()

#: The suffix of a reason field's name on the rating page (``item_<scenario>__reason``).
REASON_SUFFIX = "__reason"


def _rating_fields() -> tuple[dict[str, str], dict[str, str]]:
    """Levels and reasons from the rating form: ``item_<scenario>`` -> "0".."4" and
    ``item_<scenario>__reason`` -> text (the questionnaire's ``item_`` names, so that
    ``questionnaire.js`` keeps and restores them as it does answers)."""
    levels: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for name, value in request.form.items():
        if not name.startswith("item_"):
            continue
        code = name[len("item_") :]
        if code.endswith(REASON_SUFFIX):
            reasons[code[: -len(REASON_SUFFIX)]] = value
        else:
            levels[code] = value
    return levels, reasons


@routes.route("/enterprises/<int:enterprise_id>/rating", methods=["GET", "POST"])
def onsite_rating(enterprise_id: int) -> Response | str | tuple[Response | str, int]:
    """The on-site rating (现场评定): the 16 scenarios against the evidence; every change is
    saved at once (``X-Autosave``, JSON answer) and "finish" records the verified level."""
    subject = onsite.subject_for(current_user, enterprise_id)
    autosave = request.headers.get("X-Autosave") == "1"
    error: str | None = None
    status = 200
    if request.method == "POST":
        levels, reasons = _rating_fields()
        version = request.form.get("version", "")
        try:
            rating = onsite.save(
                current_user,
                enterprise_id,
                levels,
                reasons,
                int(version) if version.isdigit() else None,
            )
            if autosave:
                return jsonify({"saved": True, "version": rating.version_id})
            if request.form.get("action") == "finish":
                onsite.finish(current_user, enterprise_id)
                flash(_("现场评定已完成并记录。"), "success")
                return redirect(url_for("centre.enterprise", enterprise_id=enterprise_id))
        except (InvalidInputError, ConflictError) as exc:
            message = exc.message if isinstance(exc, InvalidInputError) else str(exc)
            status = 409 if isinstance(exc, ConflictError) else 400
            if autosave:
                return jsonify({"saved": False, "message": message}), status
            error = message
        else:
            flash(_("已保存。"), "success")
            return redirect(url_for("centre.onsite_rating", enterprise_id=enterprise_id))
    rating = onsite.working_copy(subject)
    page = render_template(
        "centre/onsite.html",
        subject=subject,
        rating=rating,
        version=onsite.version_of(rating),
        verified=onsite.verified_of(rating),
        evidence=onsite.evidence_by_scenario(subject),
        error=error,
    )
    return (page, status) if status != 200 else page
