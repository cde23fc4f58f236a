from flask import Blueprint

bp = Blueprint(
    "enterprise", __name__, url_prefix="/enterprise"
)  # who may call it: MATRIX in webapp/access.py

from webapp.blueprints.enterprise import views  # noqa: E402,F401  (routes register on bp)
