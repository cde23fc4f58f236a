from flask import Blueprint

from models import Role
from webapp.access import require_role

bp = Blueprint("enterprise", __name__, url_prefix="/enterprise")
bp.before_request(require_role(Role.ENTERPRISE))

from webapp.blueprints.enterprise import views  # noqa: E402,F401  (routes register on bp)
