"""Corrections (更正): a submitted assessment is never edited; its owner corrects it with a new one.

The correction is a new draft record of the same round and instrument version, pre-filled with
the corrected record's answers, linked to it by ``corrects_id`` and carrying the owner's reason.
When it is submitted (``assessments.submit_assessment``) it stands for the round and the older
record is superseded; the older row is not touched. Each step writes an ``audit_log`` row
(entity ``assessment``): who, when, why, and what the stage and index were before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from models import Assessment, AssessmentStatus, AuditLog, User, superseded
from webapp.extensions import db
from webapp.services import audit
from webapp.services.assessment_rows import instrument_of, new_assessment
from webapp.services.errors import ConflictError, InvalidInputError
from webapp.services.loaders import assessment_for

#: Longest reason kept (characters); the column is ``String(500)``.
MAX_REASON = 500


def correction_of(assessment: Assessment) -> Assessment | None:
    """The record that corrects ``assessment`` (draft or submitted), if one was started."""
    return db.session.scalar(select(Assessment).where(Assessment.corrects_id == assessment.id))


def corrected_record(assessment: Assessment) -> Assessment | None:
    """The record ``assessment`` corrects (None for a round's original record)."""
    if assessment.corrects_id is None:
        return None
    return db.session.get(Assessment, assessment.corrects_id)


def is_superseded(assessment: Assessment) -> bool:
    """Whether a submitted correction replaces ``assessment`` for its round."""
    return bool(
        db.session.scalar(select(superseded(Assessment)).where(Assessment.id == assessment.id))
    )


def start_correction(actor: User, public_id: str, reason: str) -> Assessment:
    """Open a correction of the actor's submitted assessment ``public_id``; idempotent.

    Parameters
    ----------
    actor : User
        An enterprise user; only their own enterprise's assessments are reachable.
    public_id : str
        The submitted assessment to correct.
    reason : str
        Why the answers need correcting (1-500 characters after trimming); kept on the new
        record and in the audit log.

    Returns
    -------
    Assessment
        The new draft (answers, round and instrument version copied), or the correction
        already started for this record (a second click opens the same draft).

    Raises
    ------
    NotFoundError
        Not the actor's assessment (or no such id).
    InvalidInputError
        ``reason`` is empty or too long (field ``reason``).
    ConflictError
        The assessment is still a draft, or it was already superseded by a submitted
        correction (correct the newest record instead).
    """
    original = assessment_for(actor, public_id)
    if original.status != AssessmentStatus.SUBMITTED.value:
        raise ConflictError(_("只能更正已提交的评估。"))
    existing = correction_of(original)
    if existing is not None:
        if existing.status == AssessmentStatus.SUBMITTED.value:
            raise ConflictError(_("该评估已被更正，请在最新的诊断报告上发起更正。"))
        return existing
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInputError("reason", _("请说明更正的原因。"))
    if len(reason) > MAX_REASON:
        raise InvalidInputError("reason", _("原因最多 %(n)d 个字。", n=MAX_REASON))
    correction = new_assessment(
        original.enterprise_id,
        original.round_code,
        instrument_of(original),
        original.responses,
        corrects_id=original.id,
        correction_reason=reason,
    )
    db.session.add(correction)
    db.session.flush()
    _audit(actor, correction, original, "correction_started")
    try:
        db.session.commit()
    except IntegrityError:
        # Another request started the correction first (``corrects_id`` is unique): use it.
        db.session.rollback()
        started = correction_of(original)
        if started is None:
            raise
        return started
    return correction


def record_submitted(correction: Assessment, actor: User) -> None:
    """Add the audit row of a correction being submitted; the submit's commit writes it.

    Called by ``assessments.submit_assessment`` after the correction was scored, so the row
    holds the stage and index before and after.
    """
    original = db.session.get(Assessment, correction.corrects_id)
    assert original is not None
    _audit(actor, correction, original, "correction_submitted")


def _audit(actor: User, correction: Assessment, original: Assessment, action: str) -> AuditLog:
    detail: dict[str, object] = {
        "corrects": original.public_id,
        "round": original.round_code,
        "reason": correction.correction_reason,
        "stage_before": original.stage,
        "index_before": original.maturity_index,
    }
    if correction.status == AssessmentStatus.SUBMITTED.value:
        detail |= {"stage_after": correction.stage, "index_after": correction.maturity_index}
    return audit.record(actor, "assessment", correction.public_id, action, detail)


@dataclass(frozen=True)
class CorrectionEntry:
    """One correction of an enterprise's assessment, as centre staff see it."""

    round_code: str
    corrected: Assessment
    correction: Assessment
    reason: str
    actor_name: str | None
    started_at: datetime
    submitted_at: datetime | None


def correction_history(enterprise_id: int) -> list[CorrectionEntry]:
    """Every correction of the enterprise's assessments, newest first (drafts included).

    One query: each correction with the record it corrects and the owner who submitted it
    (or, while it is a draft, nobody yet).
    """
    corrected = aliased(Assessment)
    rows = db.session.execute(
        select(Assessment, corrected, User.display_name)
        .join(corrected, corrected.id == Assessment.corrects_id)
        .outerjoin(User, User.id == Assessment.submitted_by_id)
        .where(Assessment.enterprise_id == enterprise_id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
    ).all()
    return [
        CorrectionEntry(
            round_code=new.round_code,
            corrected=old,
            correction=new,
            reason=new.correction_reason or "",
            actor_name=name,
            started_at=new.created_at,
            submitted_at=new.submitted_at,
        )
        for new, old, name in rows
    ]
