"""A submitted assessment compared with the firm's previous round (issue 15, T0 → T1)."""

from __future__ import annotations

from sqlalchemy import select

from assessment.round_change import RoundChange, compare_rounds
from models import Assessment, in_force
from webapp.extensions import db
from webapp.services import snapshots
from webapp.services.assessment_rows import instrument_of


def reports_by_round(enterprise_id: int) -> list[Assessment]:
    """The enterprise's submitted assessments in force, one per round, newest round first."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.enterprise_id == enterprise_id, in_force())
            .order_by(Assessment.round_code.desc(), Assessment.id.desc())
        )
    )


def previous_round(assessment: Assessment) -> Assessment | None:
    """The firm's submitted assessment in force of the latest round before ``assessment``'s."""
    return db.session.scalar(
        select(Assessment)
        .where(
            Assessment.enterprise_id == assessment.enterprise_id,
            Assessment.round_code < assessment.round_code,
            in_force(),
        )
        .order_by(Assessment.round_code.desc())
        .limit(1)
    )


def change_from_previous_round(assessment: Assessment) -> RoundChange | None:
    """What moved since the firm's previous round (``assessment.round_change``); None for a
    firm's first round or a draft."""
    after = snapshots.result_of(assessment)
    earlier = previous_round(assessment)
    before = snapshots.result_of(earlier) if earlier is not None else None
    if after is None or earlier is None or before is None:
        return None
    return compare_rounds(
        before, after, instrument_of(assessment), earlier.round_code, assessment.round_code
    )
