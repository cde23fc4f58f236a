"""Public pages: landing page, health check, language switch, vendored chart library."""

from __future__ import annotations

from flask import (
    Blueprint,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from reports.charts import plotly_js_path
from webapp.access import home_endpoint
from webapp.extensions import db
from webapp.security import safe_local_path
from webapp.services import accounts

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> Response | str:
    """Landing page; a logged-in user goes straight to their role's home."""
    if current_user.is_authenticated and home_endpoint(current_user) != "main.index":
        return redirect(url_for(home_endpoint(current_user)))
    return render_template("main/index.html")


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 ``{"status": "ok"}`` when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "unavailable", "database": "unreachable"}), 503
    return jsonify({"status": "ok"}), 200


@bp.post("/lang/<code>")
def set_language(code: str) -> Response:
    """Remember the chosen language for this session (and, when logged in, as the language of
    the account's mails) and go back where the user was."""
    if code in ("zh", "en"):
        session["lang"] = code
        if current_user.is_authenticated:
            accounts.set_mail_language(current_user.id, code)
    return redirect(safe_local_path(request.form.get("next")) or url_for("main.index"))


@bp.get("/vendor/plotly.min.js")
def plotly_js() -> Response:
    """plotly.js from the installed plotly package: pages never depend on a CDN."""
    return send_file(plotly_js_path(), mimetype="text/javascript", max_age=86400)
