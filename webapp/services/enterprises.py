"""The enterprise profile: create and update, with the derived size class and 规上 flag."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from models import Assessment, AssessmentStatus, Enterprise, User
from webapp.extensions import db
from webapp.services import snapshots
from webapp.services.errors import ConflictError, InvalidInputError


@dataclass(frozen=True)
class ProfileData:
    """A validated profile from the form. ``revenue_wan`` is in 万元 (10,000 CNY)."""

    name: str
    uscc: str
    industry_code: str
    production_type: str
    town: str
    employees: int
    revenue_wan: float


def save_profile(actor: User, data: ProfileData) -> Enterprise:
    """Create the actor's enterprise, or update it.

    The size class follows 统计上大中小微型企业划分办法(2017) for industry, and ``above_scale``
    means annual revenue >= 2000 万元; both are recomputed on every save.

    Raises
    ------
    InvalidInputError
        The USCC belongs to another registered enterprise (field ``uscc``).
    ConflictError
        The actor tries to change the USCC of an enterprise that already has a submitted
        assessment (the code identifies the enterprise in every report).
    """
    enterprise = db.session.get(Enterprise, actor.enterprise_id) if actor.enterprise_id else None
    other = db.session.scalar(select(Enterprise).where(Enterprise.uscc == data.uscc))
    if other is not None and (enterprise is None or other.id != enterprise.id):
        raise InvalidInputError(
            "uscc", _("该统一社会信用代码已被其他账户登记。如有疑问请联系管理员。")
        )
    if enterprise is None:
        enterprise = Enterprise(uscc=data.uscc)
        db.session.add(enterprise)
    elif enterprise.uscc != data.uscc and _has_submitted(enterprise):
        raise ConflictError(_("已有提交的评估，统一社会信用代码不能再修改。"))
    enterprise.uscc = data.uscc
    enterprise.name = data.name.strip()
    columns = snapshots.enterprise_columns(
        data.industry_code, data.production_type, data.town, data.employees, data.revenue_wan
    )
    for column, value in columns.items():
        setattr(enterprise, column, value)
    db.session.flush()
    actor.enterprise_id = enterprise.id
    db.session.commit()
    return enterprise


def _has_submitted(enterprise: Enterprise) -> bool:
    return (
        db.session.scalar(
            select(Assessment.id).where(
                Assessment.enterprise_id == enterprise.id,
                Assessment.status == AssessmentStatus.SUBMITTED.value,
            )
        )
        is not None
    )
