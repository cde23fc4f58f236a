"""The admin blueprint, with the routes of the modules that hold its views.

The views live in modules named after what they show (``quality``, ``releases``, ``catalogue``,
``instruments``, ``enterprises``, ``users``, ``rounds``, ``deletions``); each declares its
routes next to its views (``webapp.blueprints.routes``) and is added here, so no module imports
the blueprint back. The catalogue's headings, field labels and hints (``catalogue_fields``) are
made template globals and filters here. Who may call each route: MATRIX in webapp/access.py."""

from __future__ import annotations

from flask import Blueprint

from webapp.blueprints.admin import (
    catalogue,
    deletions,
    enterprises,
    instruments,
    quality,
    releases,
    rounds,
    users,
)
from webapp.blueprints.admin.catalogue_fields import (
    capability_label,
    catalogue_title,
    field_hint,
    field_label,
    provider_type_label,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.add_app_template_global(catalogue_title, "catalogue_title")
bp.add_app_template_global(field_label, "catalogue_field_label")
bp.add_app_template_global(field_hint, "catalogue_field_hint")
bp.add_app_template_filter(provider_type_label, "provider_type_label")
bp.add_app_template_filter(capability_label, "capability_label")
for module in (quality, releases, catalogue, instruments, enterprises, users, rounds, deletions):
    module.routes.add_to(bp)
