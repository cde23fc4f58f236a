from flask import Blueprint

# who may call it: MATRIX in webapp/access.py
bp = Blueprint("jobs", __name__, url_prefix="/jobs")

from webapp.blueprints.jobs import views  # noqa: E402,F401  (routes register on bp)
