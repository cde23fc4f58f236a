from flask_smorest import Blueprint

bp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Instrument, stateless scoring, and an enterprise's own assessments.",
)

from webapp.blueprints.api import views  # noqa: E402,F401  (routes register on bp)
