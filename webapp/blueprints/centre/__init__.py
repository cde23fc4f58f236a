from flask import Blueprint

bp = Blueprint(
    "centre", __name__, url_prefix="/centre"
)  # who may call it: MATRIX in webapp/access.py

from webapp.blueprints.centre import views  # noqa: E402,F401  (routes register on bp)
