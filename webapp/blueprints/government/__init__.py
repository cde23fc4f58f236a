from flask import Blueprint

from models import Role
from webapp.access import require_role

bp = Blueprint("government", __name__, url_prefix="/government")
bp.before_request(require_role(Role.GOVERNMENT))

from webapp.blueprints.government import views  # noqa: E402,F401  (routes register on bp)
