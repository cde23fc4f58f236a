"""The centre blueprint, with the routes of the modules that hold its views.

The views live in modules named after what they show (``cohort``, ``enterprise_page``,
``onsite_rating``, ``claims``, ``referrals``, ``pipeline``); each declares its routes next to
its views (``webapp.blueprints.routes``) and is added here, so no module imports the blueprint
back. Who may call each route: MATRIX in webapp/access.py."""

from __future__ import annotations

from flask import Blueprint

from webapp.blueprints.centre import (
    claims,
    cohort,
    enterprise_page,
    onsite_rating,
    pipeline,
    referrals,
)

bp = Blueprint("centre", __name__, url_prefix="/centre")
for module in (cohort, enterprise_page, onsite_rating, claims, referrals, pipeline):
    module.routes.add_to(bp)
