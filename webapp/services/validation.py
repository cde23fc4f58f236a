"""Staff validation of model stages (阶段校验), with an append-only audit trail."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from assessment.types import Stage
from models import Assessment, StageValidation, User, in_force
from webapp.extensions import db
from webapp.services.confirmation import confirm
from webapp.services.errors import ConflictError, InvalidInputError
from webapp.services.loaders import enterprise_for_staff


def validate_stage(
    actor: User, enterprise_id: int, staff_stage: str, reason: str
) -> StageValidation:
    """Confirm the model's stage or set another, for the enterprise's latest submitted assessment.

    A different stage needs a reason. The model's stage is never overwritten; the newest
    validation is the staff stage, and all of them remain as the audit trail. The first
    validation confirms the enterprise for government statistics (``confirmation``).

    Raises
    ------
    NotFoundError
        The enterprise is not in the actor's cohort.
    InvalidInputError
        Unknown stage code (``staff_stage``), or a changed stage without a reason (``reason``).
    ConflictError
        The enterprise has no submitted assessment.
    """
    enterprise = enterprise_for_staff(actor, enterprise_id)
    if staff_stage not in {s.code for s in Stage}:
        raise InvalidInputError("staff_stage", _("请选择 S0 至 S3 中的一个阶段。"))
    assessment = db.session.scalar(
        select(Assessment)
        .where(
            Assessment.enterprise_id == enterprise.id,
            in_force(),
        )
        .order_by(Assessment.submitted_at.desc())
        .limit(1)
    )
    if assessment is None or assessment.stage is None:
        raise ConflictError(_("该企业还没有提交的评估，无法校验阶段。"))
    reason = reason.strip()
    if staff_stage != assessment.stage and not reason:
        raise InvalidInputError("reason", _("修改阶段时必须说明理由。"))
    record = StageValidation(
        assessment_id=assessment.id,
        model_stage=assessment.stage,
        staff_stage=staff_stage,
        reason=reason,
        actor_id=actor.id,
    )
    db.session.add(record)
    confirm(enterprise, "validation")  # staff have met the firm: it counts in statistics
    db.session.commit()
    return record


def validations_of(assessment_id: int) -> list[tuple[StageValidation, str]]:
    """The audit trail of an assessment, newest first, with each actor's display name."""
    rows = db.session.execute(
        select(StageValidation, User.display_name)
        .join(User, User.id == StageValidation.actor_id)
        .where(StageValidation.assessment_id == assessment_id)
        .order_by(StageValidation.id.desc())
    )
    return [(v, name) for v, name in rows]


def staff_stages(assessment_ids: list[int]) -> dict[int, str]:
    """The newest staff stage of each assessment that has one."""
    rows = db.session.execute(
        select(StageValidation.assessment_id, StageValidation.staff_stage)
        .where(StageValidation.assessment_id.in_(assessment_ids))
        .order_by(StageValidation.id)
    )
    return {aid: stage for aid, stage in rows}
