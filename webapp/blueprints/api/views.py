"""JSON API v1. Views validate with the schemas, call one service, and serialise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from flask_smorest import abort as smorest_abort

from webapp.blueprints.api.schemas import (
    AssessmentDetailSchema,
    AssessmentSummarySchema,
    InstrumentSchema,
    ScoreRequestSchema,
    ScoreResponseSchema,
)
from webapp.services import api_scoring
from webapp.services.api_scoring import ScoreInputError

bp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Instrument, stateless scoring, and an enterprise's own assessments.",
)

#: flask-smorest's ``abort`` (which ships no type hints) always raises: an HTTP error whose body
#: carries the keyword arguments (``errors`` per field).
abort: Callable[..., NoReturn] = smorest_abort


@bp.route("/instruments/current")
class CurrentInstrument(MethodView):
    @bp.response(200, InstrumentSchema)
    def get(self) -> dict[str, Any]:
        """The instrument new assessments use: dimensions, items, options and skip logic."""
        return api_scoring.instrument_document()


@bp.route("/score")
class Score(MethodView):
    @bp.arguments(ScoreRequestSchema)
    @bp.response(200, ScoreResponseSchema)
    @bp.alt_response(422, description="Invalid input; `errors.json` names each bad field")
    def post(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Score answers without storing anything."""
        try:
            return api_scoring.score_payload(payload)
        except ScoreInputError as exc:
            abort(422, errors={"json": exc.errors})


@bp.route("/assessments")
class OwnAssessments(MethodView):
    @bp.response(200, AssessmentSummarySchema(many=True))
    @bp.alt_response(401, description="Not logged in")
    @bp.alt_response(403, description="Not an enterprise account")
    def get(self) -> list[dict[str, Any]]:
        """The logged-in enterprise's assessments, newest round first."""
        return api_scoring.own_assessments(current_user)


@bp.route("/assessments/<public_id>")
class OwnAssessment(MethodView):
    @bp.response(200, AssessmentDetailSchema)
    @bp.alt_response(401, description="Not logged in")
    @bp.alt_response(404, description="No such assessment of this enterprise")
    def get(self, public_id: str) -> dict[str, Any]:
        """One of the logged-in enterprise's assessments with its result and roadmap."""
        return api_scoring.own_assessment(current_user, public_id)
