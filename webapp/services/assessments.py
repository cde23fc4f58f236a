"""Assessments: start, save as the user goes, submit once, score.

Every function here takes the actor explicitly and commits once at the end.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from assessment.consistency import ConsistencyWarning, check_consistency
from assessment.instrument import current_instrument, load_instrument, missing_items
from assessment.scoring import score
from assessment.types import AssessmentResult, Instrument, Item
from models import (
    Assessment,
    AssessmentResultRecord,
    AssessmentStatus,
    DimensionScore,
    Enterprise,
    User,
    in_force,
    utcnow,
)
from webapp.access import may_reach_assessment
from webapp.extensions import db
from webapp.services import snapshots
from webapp.services.errors import ConflictError, NotFoundError


def instrument_of(assessment: Assessment) -> Instrument:
    """The instrument version the assessment was started on (never a newer one)."""
    return load_instrument(assessment.instrument_id, assessment.instrument_version)


def latest_assessment(enterprise_id: int) -> Assessment | None:
    return db.session.scalar(
        select(Assessment)
        .where(Assessment.enterprise_id == enterprise_id)
        .order_by(Assessment.round_code.desc(), Assessment.id.desc())
        .limit(1)
    )


def latest_submitted(enterprise_id: int) -> Assessment | None:
    """The enterprise's newest submitted assessment still in force (never a superseded one)."""
    return db.session.scalar(
        select(Assessment)
        .where(Assessment.enterprise_id == enterprise_id, in_force())
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
        .limit(1)
    )


def start_assessment(actor: User, round_code: str) -> Assessment:
    """The actor's enterprise's assessment of this round, created as a draft if none exists.

    When the round's assessment was corrected, this is the newest record of the round: a
    correction still being filled in, or the submitted correction.
    """
    if actor.enterprise_id is None:
        raise NotFoundError("no enterprise")
    existing = db.session.scalar(
        select(Assessment)
        .where(Assessment.enterprise_id == actor.enterprise_id, Assessment.round_code == round_code)
        .order_by(Assessment.id.desc())
        .limit(1)
    )
    if existing is not None:
        return existing
    instrument = current_instrument()
    assessment = Assessment(
        public_id=uuid.uuid4().hex,
        enterprise_id=actor.enterprise_id,
        round_code=round_code,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        status=AssessmentStatus.DRAFT.value,
        responses={},
    )
    db.session.add(assessment)
    db.session.commit()
    return assessment


def assessment_for(actor: User, public_id: str) -> Assessment:
    """The assessment with this public id if it belongs to the actor's enterprise.

    Raises
    ------
    NotFoundError
        No such assessment, or it belongs to another enterprise (the two are not told apart).
    """
    assessment = db.session.scalar(select(Assessment).where(Assessment.public_id == public_id))
    if assessment is None or not may_reach_assessment(actor, assessment):
        raise NotFoundError(public_id)
    return assessment


def items_for_page(assessment: Assessment, dimension_code: str) -> list[Item]:
    """Items of one page that apply to this enterprise.

    Skip logic on the production type and on answers given on earlier pages is applied here.
    An item whose ``show_if`` depends on an answer on the same page is kept, and the page
    reveals it as soon as that answer changes; scoring counts it only when its condition holds.
    """
    from assessment.instrument import is_applicable

    instrument = instrument_of(assessment)
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None
    profile = snapshots.assessment_profile(assessment, enterprise)
    responses = snapshots.responses_of(assessment)
    page = instrument.items_of(dimension_code)
    on_page = {i.code for i in page}
    return [
        i
        for i in page
        if profile.production_type in i.applies_to
        and (i.show_if is None or i.show_if.item in on_page or is_applicable(i, profile, responses))
    ]


def save_responses(
    assessment: Assessment,
    answers: Mapping[str, Any],
    cleared: Iterable[str],
    expected_version: int | None,
) -> Assessment:
    """Merge one page's answers into the draft.

    Parameters
    ----------
    answers : mapping
        Item code -> normalised answer (option code, list of option codes, number).
    cleared : iterable of str
        Item codes the user emptied on this page.
    expected_version : int or None
        The ``version_id`` the page was loaded with; ``None`` skips the check.

    Raises
    ------
    ConflictError
        The assessment was submitted, or changed since the page was loaded (another tab).
    """
    if assessment.status == AssessmentStatus.SUBMITTED.value:
        raise ConflictError(_("该评估已提交，答案不能再修改。"))
    if expected_version is not None and expected_version != assessment.version_id:
        raise ConflictError(_("此问卷已在另一个窗口或设备上修改。请刷新页面查看最新答案后再保存。"))
    merged = dict(assessment.responses or {})
    for code in cleared:
        merged.pop(code, None)
    merged.update(answers)
    if merged != assessment.responses:
        assessment.responses = merged
        try:
            db.session.commit()
        except StaleDataError as exc:
            db.session.rollback()
            raise ConflictError(
                _("此问卷已在另一个窗口或设备上修改。请刷新页面查看最新答案后再保存。")
            ) from exc
    return assessment


@dataclass(frozen=True)
class SubmitOutcome:
    """``missing`` lists required items still unanswered; empty when the submit happened."""

    assessment: Assessment
    missing: tuple[Item, ...]
    already_submitted: bool = False


def missing_for(assessment: Assessment) -> list[Item]:
    """Required items that apply to this enterprise and have no answer yet."""
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None
    return missing_items(
        instrument_of(assessment),
        snapshots.assessment_profile(assessment, enterprise),
        snapshots.responses_of(assessment),
    )


def apply_result(assessment: Assessment, result: AssessmentResult) -> None:
    """Make ``result`` the assessment's current result and keep it in the result history;
    record which plan-target indicators its answers meet.

    Replaces the dimension-score rows (used by SQL aggregates); earlier results stay in
    ``assessment_result``. The caller commits.
    """
    columns = snapshots.result_columns(result) | snapshots.plan_indicator_columns(
        assessment.responses or {}
    )
    for column, value in columns.items():
        setattr(assessment, column, value)
    if assessment.id is not None:
        db.session.execute(
            delete(DimensionScore).where(DimensionScore.assessment_id == assessment.id)
        )
    else:
        db.session.flush()  # the rows below need the assessment's id
    db.session.add_all(
        DimensionScore(**row)
        for row in snapshots.dimension_score_rows(assessment.id, assessment.round_code, result)
    )
    db.session.add(AssessmentResultRecord(**snapshots.result_history_row(assessment.id, result)))


def _freeze_and_score(assessment: Assessment, actor: User) -> None:
    """Mark ``assessment`` submitted with its profile snapshot, score and persona; the caller
    commits. Flushes may raise ``StaleDataError`` when another request submitted it first."""
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None
    profile = snapshots.profile_of(enterprise)
    instrument = instrument_of(assessment)
    responses = snapshots.responses_of(assessment)
    result = score(instrument, profile, responses)
    warnings = check_consistency(instrument, profile, responses)
    assessment.status = AssessmentStatus.SUBMITTED.value
    assessment.submitted_at = utcnow()
    assessment.submitted_by_id = actor.id
    assessment.profile_snapshot = snapshots.profile_to_json(profile)
    for column, value in snapshots.profile_columns(profile).items():
        setattr(assessment, column, value)
    assessment.consistency_warnings = [w.code for w in warnings]
    apply_result(assessment, result)
    from webapp.services.clusters import assign_persona

    assign_persona(assessment, dict(result.scorecard.dimension_scores))
    if assessment.corrects_id is not None:
        from webapp.services.corrections import record_submitted

        record_submitted(assessment, actor)


def consistency_warnings(assessment: Assessment) -> tuple[ConsistencyWarning, ...]:
    """Answers of this assessment that contradict each other (asked back, never blocking)."""
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None
    return check_consistency(
        instrument_of(assessment),
        snapshots.assessment_profile(assessment, enterprise),
        snapshots.responses_of(assessment),
    )


def submit_assessment(assessment: Assessment, actor: User) -> SubmitOutcome:
    """Freeze the assessment and store its scored result. Idempotent.

    A second submit (double click, second tab, replayed request) returns the stored result
    unchanged with ``already_submitted=True``. A submit with required answers missing changes
    nothing and returns them. Submitting a correction (``corrects_id`` set) makes it the
    round's assessment in force and writes its audit row in the same commit.
    """
    if assessment.status == AssessmentStatus.SUBMITTED.value:
        return SubmitOutcome(assessment, (), already_submitted=True)
    missing = missing_for(assessment)
    if missing:
        return SubmitOutcome(assessment, tuple(missing))
    try:
        _freeze_and_score(assessment, actor)
        db.session.commit()
    except (StaleDataError, IntegrityError):
        # Another request submitted the same assessment first (a double click, a second tab):
        # its version check fails at the first flush - often an autoflush inside scoring, not
        # at the commit - or its result rows collide. Theirs stands; this one shows it.
        db.session.rollback()
        db.session.refresh(assessment)
        if assessment.status != AssessmentStatus.SUBMITTED.value:
            raise
        return SubmitOutcome(assessment, (), already_submitted=True)
    return SubmitOutcome(assessment, ())
