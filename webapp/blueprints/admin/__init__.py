from flask import Blueprint

from models import Role
from webapp.access import require_role

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_role(Role.ADMIN))

from webapp.blueprints.admin import views  # noqa: E402,F401  (routes register on bp)
