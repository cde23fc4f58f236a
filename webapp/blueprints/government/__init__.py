from flask import Blueprint

bp = Blueprint(
    "government", __name__, url_prefix="/government"
)  # who may call it: MATRIX in webapp/access.py

from webapp.blueprints.government import views  # noqa: E402,F401  (routes register on bp)
