from flask import Blueprint

bp = Blueprint(
    "admin", __name__, url_prefix="/admin"
)  # who may call it: MATRIX in webapp/access.py

from webapp.blueprints.admin import enterprises, views  # noqa: E402,F401  (routes register on bp)
