"""A new draft pre-filled from the enterprise's previous round, or from its assessment on an
earlier questionnaire version.

Issue 14: a draft started on version 2 by a firm with a version-1 assessment starts with the
answers the instrument file marks as unchanged (``assessment.carry_over``); every page holding
such answers stays unconfirmed (``Assessment.carried_pages``) until the owner saves it with a
page button, and the assessment cannot be submitted before.
"""

from __future__ import annotations

from sqlalchemy import select

from assessment.carry_over import carried_answers
from assessment.instrument import applicable_answers
from assessment.types import Instrument
from models import Assessment, AssessmentStatus, Enterprise, round_record
from webapp.extensions import db
from webapp.services import snapshots
from webapp.services.assessment_rows import instrument_of


def earlier_assessment(
    enterprise_id: int, instrument: Instrument, round_code: str
) -> Assessment | None:
    """The assessment a new draft on ``instrument`` in ``round_code`` is pre-filled from.

    First the enterprise's latest earlier round on the same version (its submitted record in
    force: issue 15, "a new round's draft is pre-filled from the firm's previous round"); else
    its assessment on the version ``instrument`` carries from (newest submitted record in force,
    else newest draft: issue 14); None when there is neither.
    """
    previous_round = db.session.scalar(
        select(Assessment)
        .where(
            Assessment.enterprise_id == enterprise_id,
            Assessment.instrument_id == instrument.id,
            Assessment.instrument_version == instrument.version,
            Assessment.round_code < round_code,
            Assessment.status == AssessmentStatus.SUBMITTED.value,
            round_record(),
        )
        .order_by(Assessment.round_code.desc())
        .limit(1)
    )
    if previous_round is not None or instrument.carried_from_version is None:
        return previous_round
    return db.session.scalar(
        select(Assessment)
        .where(
            Assessment.enterprise_id == enterprise_id,
            Assessment.instrument_id == instrument.id,
            Assessment.instrument_version == instrument.carried_from_version,
            round_record(),
        )
        .order_by(
            (Assessment.status == AssessmentStatus.SUBMITTED.value).desc(),
            Assessment.id.desc(),
        )
        .limit(1)
    )


def prefill(draft: Assessment, instrument: Instrument) -> None:
    """Give a new draft on ``instrument`` (not yet committed; the caller commits) the answers
    carried from ``earlier_assessment``, those that apply to the enterprise as it is now
    (production type, cluster, skip logic), and mark their pages unconfirmed in
    ``draft.carried_pages`` (page -> item codes, in instrument order). Changes nothing when
    there is nothing to carry."""
    earlier = earlier_assessment(draft.enterprise_id, instrument, draft.round_code)
    if earlier is None:
        return
    enterprise = db.session.get(Enterprise, draft.enterprise_id)
    assert enterprise is not None  # the foreign key guarantees it
    carried = applicable_answers(
        instrument,
        snapshots.profile_of(enterprise),
        carried_answers(instrument_of(earlier), snapshots.responses_of(earlier), instrument),
    )
    if not carried:
        return
    pages: dict[str, list[str]] = {}
    for code in carried:
        pages.setdefault(instrument.item(code).dimension, []).append(code)
    draft.responses = snapshots.responses_to_json(carried)
    draft.carried_pages = pages


def unconfirmed(assessment: Assessment) -> dict[str, list[str]]:
    """Pages still awaiting the owner's confirmation -> their carried item codes."""
    return dict(assessment.carried_pages or {})


def confirm_page(assessment: Assessment, page: str) -> bool:
    """Mark ``page`` confirmed (the caller commits); whether anything changed."""
    pages = unconfirmed(assessment)
    if page not in pages:
        return False
    del pages[page]
    # A new object: the JSON column is not tracked for in-place changes.
    assessment.carried_pages = pages or None
    return True
