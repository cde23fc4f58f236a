"""Assessment rows and the questionnaire version each one is on: shared by drafts, submits and
corrections (``assessments`` and ``corrections`` both build on it, so neither imports the other
for these)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from assessment.types import Instrument
from models import Assessment, AssessmentStatus
from webapp.registries import instruments


def instrument_of(assessment: Assessment) -> Instrument:
    """The instrument version the assessment was started on (never a newer one)."""
    return instruments().get(assessment.instrument_id, assessment.instrument_version)


def new_assessment(
    enterprise_id: int,
    round_code: str,
    instrument: Instrument,
    responses: Mapping[str, Any] | None = None,
    status: AssessmentStatus = AssessmentStatus.DRAFT,
    **columns: Any,
) -> Assessment:
    """A new ``Assessment`` row (not yet added to the session) with a fresh random public id,
    on ``instrument``'s version; ``responses`` as stored JSON (default none); ``columns`` sets
    any other column (``submitted_at``, ``corrects_id`` ...)."""
    return Assessment(
        public_id=uuid.uuid4().hex,
        enterprise_id=enterprise_id,
        round_code=round_code,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        status=status.value,
        responses=dict(responses or {}),
        **columns,
    )
