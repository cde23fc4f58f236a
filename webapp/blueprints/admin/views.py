"""Administrator pages."""

from __future__ import annotations

from flask import current_app, render_template, request

from webapp.blueprints.admin import bp
from webapp.services.quality import round_quality


@bp.get("/")
def index() -> str:
    """Measurement quality of a round (默认当前批次)."""
    round_code = request.args.get("round") or current_app.config["CURRENT_ROUND"]
    return render_template(
        "admin/quality.html", report=round_quality(round_code), round_code=round_code
    )
