"""The enterprise profile: create and update, with the derived size class and 规上 flag."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from assessment.classification import cluster_for_industry, is_above_scale, size_class
from assessment.contacts import normalise_phone
from models import Enterprise, User
from webapp.extensions import db
from webapp.services.accounts import normalise_email
from webapp.services.centres import assign_centre
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
    #: Who the enterprise's centre calls; empty name and e-mail fall back to the account's.
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


def save_profile(actor: User, data: ProfileData) -> Enterprise:
    """Create the actor's enterprise, or update it.

    The size class follows 统计上大中小微型企业划分办法(2017) for industry, and ``above_scale``
    means annual revenue >= 2000 万元; both are recomputed on every save. An enterprise without
    a centre is assigned to the one responsible for its cluster and town
    (``centres.assign_centre``). The contact phone is stored normalised
    (``assessment.contacts.normalise_phone``).

    Raises
    ------
    InvalidInputError
        The USCC belongs to another registered enterprise (field ``uscc``).
        A contact phone that is neither a Chinese mobile nor a landline number (field
        ``contact_phone``).
    ConflictError
        The actor tries to change the USCC of an enterprise that already has a submitted
        assessment (the code identifies the enterprise in every report).
    """
    phone = ""
    if data.contact_phone.strip():
        phone = normalise_phone(data.contact_phone) or ""
        if not phone:
            raise InvalidInputError("contact_phone", _("请填写手机号码或带区号的固定电话。"))
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
    enterprise.industry_code = data.industry_code
    enterprise.cluster = cluster_for_industry(data.industry_code).value
    enterprise.production_type = data.production_type
    enterprise.town = data.town
    enterprise.employees = data.employees
    enterprise.revenue_wan = data.revenue_wan
    enterprise.size_class = size_class(data.industry_code, data.employees, data.revenue_wan).value
    enterprise.above_scale = is_above_scale(data.revenue_wan)
    enterprise.contact_name = data.contact_name.strip() or actor.display_name
    enterprise.contact_phone = phone
    enterprise.contact_email = normalise_email(data.contact_email) or actor.email
    assign_centre(enterprise)
    db.session.flush()
    actor.enterprise_id = enterprise.id
    db.session.commit()
    return enterprise


def _has_submitted(enterprise: Enterprise) -> bool:
    from models import Assessment, AssessmentStatus

    return (
        db.session.scalar(
            select(Assessment.id).where(
                Assessment.enterprise_id == enterprise.id,
                Assessment.status == AssessmentStatus.SUBMITTED.value,
            )
        )
        is not None
    )
