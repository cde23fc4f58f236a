from flask import Blueprint

from models import Role
from webapp.access import require_role

bp = Blueprint("centre", __name__, url_prefix="/centre")
bp.before_request(require_role(Role.CENTRE_STAFF))

from webapp.blueprints.centre import views  # noqa: E402,F401  (routes register on bp)
