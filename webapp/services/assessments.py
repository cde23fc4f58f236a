"""Assessments: start, save as the user goes, submit once, score.

Every function here takes the actor explicitly and commits once at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from assessment.consistency import ConsistencyWarning, check_consistency
from assessment.instrument import is_applicable, is_offered, missing_items
from assessment.types import EnterpriseProfile, Instrument, Item, Responses
from models import (
    Assessment,
    AssessmentStatus,
    Enterprise,
    User,
    in_force,
    utcnow,
)
from webapp.access import may_answer
from webapp.extensions import db
from webapp.registries import instruments, scorer_for
from webapp.services import audit, carried_answers, referrals, results, snapshots
from webapp.services.assessment_rows import instrument_of, new_assessment
from webapp.services.clusters import assign_persona
from webapp.services.corrections import record_submitted
from webapp.services.errors import ConflictError, NotFoundError, PermissionDeniedError


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
    correction still being filled in, or the submitted correction. A new draft starts with
    the answers carried from the enterprise's assessment on the version its questionnaire
    carries from (``carried_answers.prefill``), their pages unconfirmed.
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
    instrument = instruments().current()
    assessment = new_assessment(actor.enterprise_id, round_code, instrument)
    carried_answers.prefill(assessment, instrument)
    db.session.add(assessment)
    db.session.commit()
    return assessment


def scoring_inputs(assessment: Assessment) -> tuple[Instrument, EnterpriseProfile, Responses]:
    """What the scoring model reads for this assessment: its instrument version, the profile it
    was (or will be) scored with (``snapshots.assessment_profile``) and its answers."""
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None  # the foreign key guarantees it
    return (
        instrument_of(assessment),
        snapshots.assessment_profile(assessment, enterprise),
        snapshots.responses_of(assessment),
    )


def items_for_page(assessment: Assessment, dimension_code: str) -> list[Item]:
    """Items of one page that apply to this enterprise.

    Skip logic on the production type, on the enterprise's cluster (v2's cluster modules: only
    the module of the cluster its GB/T 4754 division belongs to) and on answers given on earlier
    pages is applied here.
    An item whose ``show_if`` depends on an answer on the same page is kept, and the page
    reveals it as soon as that answer changes; scoring counts it only when its condition holds.
    """
    instrument, profile, responses = scoring_inputs(assessment)
    page = instrument.items_of(dimension_code)
    on_page = {i.code for i in page}
    return [
        i
        for i in page
        if is_offered(i, profile)
        and (i.show_if is None or i.show_if.item in on_page or is_applicable(i, profile, responses))
    ]


def save_responses(
    actor: User,
    assessment: Assessment,
    answers: Mapping[str, Any],
    cleared: Iterable[str],
    expected_version: int | None,
    confirm_page: str | None = None,
) -> Assessment:
    """Merge one page's answers into the draft, saved by ``actor`` (a member of the enterprise
    with the right to answer: owner or editor).

    Every save that changes answers writes an audit row (entity ``assessment``, action
    ``responses_saved``, actor, detail: the item codes changed and cleared), so the answers of
    several members of one enterprise stay attributed.

    Parameters
    ----------
    answers : mapping
        Item code -> normalised answer (option code, list of option codes, number).
    cleared : iterable of str
        Item codes the user emptied on this page.
    expected_version : int or None
        The ``version_id`` the page was loaded with; ``None`` skips the check.
    confirm_page : str, optional
        The page (dimension code) the owner confirms with this save: its carried answers no
        longer await confirmation (``carried_answers.confirm_page``).

    Raises
    ------
    PermissionDeniedError
        The actor is a view-only member (``access.may_answer``).
    ConflictError
        The assessment was submitted, or changed since the page was loaded (another tab).
    """
    _check_may_answer(actor)
    if assessment.status == AssessmentStatus.SUBMITTED.value:
        raise ConflictError(_("该评估已提交，答案不能再修改。"))
    if expected_version is not None and expected_version != assessment.version_id:
        raise ConflictError(_("此问卷已在另一个窗口或设备上修改。请刷新页面查看最新答案后再保存。"))
    merged = dict(assessment.responses or {})
    for code in cleared:
        merged.pop(code, None)
    merged.update(answers)
    confirmed = confirm_page is not None and carried_answers.confirm_page(assessment, confirm_page)
    before = dict(assessment.responses or {})
    if merged != before or confirmed:
        changed = sorted(code for code in merged if merged[code] != before.get(code))
        removed = sorted(set(before) - set(merged))
        if changed or removed:
            audit.record(
                actor,
                "assessment",
                assessment.public_id,
                "responses_saved",
                {"items": changed, "cleared": removed},
            )
        assessment.responses = merged
        try:
            db.session.commit()
        except StaleDataError as exc:
            db.session.rollback()
            raise ConflictError(
                _("此问卷已在另一个窗口或设备上修改。请刷新页面查看最新答案后再保存。")
            ) from exc
    return assessment


def _check_may_answer(actor: User) -> None:
    if not may_answer(actor):
        raise PermissionDeniedError(
            _("您在本企业的账户只能查看，不能修改或提交。请联系企业负责人。")
        )


@dataclass(frozen=True)
class SubmitOutcome:
    """``missing`` lists required items still unanswered, ``unconfirmed`` the pages of
    carried answers not yet confirmed (page codes) and ``undeclared`` says the declaration of
    truth was not confirmed; all empty or false when the submit happened."""

    assessment: Assessment
    missing: tuple[Item, ...]
    already_submitted: bool = False
    unconfirmed: tuple[str, ...] = ()
    undeclared: bool = False

    @property
    def refused(self) -> bool:
        """Nothing was submitted: answers missing, carried pages unconfirmed or no declaration."""
        return bool(self.missing or self.unconfirmed or self.undeclared)


def missing_for(assessment: Assessment) -> list[Item]:
    """Required items that apply to this enterprise and have no answer yet."""
    return missing_items(*scoring_inputs(assessment))


def _freeze_and_score(assessment: Assessment, actor: User) -> None:
    """Mark ``assessment`` submitted with its profile snapshot, score and persona; the caller
    commits. Flushes may raise ``StaleDataError`` when another request submitted it first."""
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None
    profile = snapshots.profile_of(enterprise)
    instrument = instrument_of(assessment)
    responses = snapshots.responses_of(assessment)
    result = scorer_for(instrument)(instrument, profile, responses)
    warnings = check_consistency(instrument, profile, responses)
    assessment.status = AssessmentStatus.SUBMITTED.value
    assessment.submitted_at = utcnow()
    assessment.submitted_by_id = actor.id
    # The declaration of truth goes with the submit (``submit_assessment`` refuses without it).
    assessment.declared_at = assessment.submitted_at
    assessment.declared_by_id = actor.id
    assessment.profile_snapshot = snapshots.profile_to_json(profile)
    for column, value in snapshots.profile_columns(profile).items():
        setattr(assessment, column, value)
    assessment.consistency_warnings = [w.code for w in warnings]
    results.apply_result(assessment, result)
    assign_persona(assessment, dict(result.scorecard.dimension_scores))
    # The rule-based path now; the statistical segment when the firm's centre cohort is
    # segmented again, a background job started after the submit (segments.request_refresh).
    for column, value in snapshots.path_columns(responses, assessment.instrument_version).items():
        setattr(assessment, column, value)
    if assessment.corrects_id is not None:
        record_submitted(assessment, actor)


def consistency_warnings(assessment: Assessment) -> tuple[ConsistencyWarning, ...]:
    """Answers of this assessment that contradict each other (asked back, never blocking)."""
    return check_consistency(*scoring_inputs(assessment))


def submit_assessment(assessment: Assessment, actor: User, *, declared: bool) -> SubmitOutcome:
    """Freeze the assessment and store its scored result. Idempotent.

    ``declared`` is the owner's declaration of truth (真实性承诺, the self-report use in
    工信厅企业〔2024〕56号): without it nothing changes (``undeclared=True``); with it the
    time and the user are recorded on the row (``declared_at``, ``declared_by_id``).

    A second submit (double click, second tab, replayed request) returns the stored result
    unchanged with ``already_submitted=True``. A submit with required answers missing, or with
    pages of carried answers the owner has not confirmed, changes nothing and returns them.
    Submitting a correction (``corrects_id`` set) makes it the round's assessment in force and
    writes its audit row in the same commit. The firm's referrals at 已完成 move to 已复评 with
    this assessment (``referrals.record_reassessment``).

    Raises
    ------
    PermissionDeniedError
        The actor is a view-only member (``access.may_answer``).
    """
    _check_may_answer(actor)
    if assessment.status == AssessmentStatus.SUBMITTED.value:
        return SubmitOutcome(assessment, (), already_submitted=True)
    missing = missing_for(assessment)
    unconfirmed = tuple(carried_answers.unconfirmed(assessment))
    if missing or unconfirmed or not declared:
        return SubmitOutcome(
            assessment, tuple(missing), unconfirmed=unconfirmed, undeclared=not declared
        )
    try:
        _freeze_and_score(assessment, actor)
        referrals.record_reassessment(assessment, actor)
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
