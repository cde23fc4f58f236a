"""The enterprise blueprint, with the routes of the modules that hold its views.

The views live in modules named after what they show (``profile``, ``questionnaire``,
``evidence``, ``result``, ``referrals``, ``team``); each declares its routes next to its views
(``webapp.blueprints.routes``) and is added here, so no module imports the blueprint back.
Who may call each route: MATRIX in webapp/access.py."""

from __future__ import annotations

from flask import Blueprint

from webapp.blueprints.enterprise import evidence, profile, questionnaire, referrals, result, team

bp = Blueprint("enterprise", __name__, url_prefix="/enterprise")
for module in (team, profile, questionnaire, evidence, result, referrals):
    module.routes.add_to(bp)
