"""The enterprise profile: create and update, with the derived size class and 规上 flag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from assessment.contacts import normalise_phone
from models import Assessment, AssessmentStatus, Enterprise, User
from webapp.extensions import db
from webapp.services import audit, snapshots
from webapp.services.accounts import normalise_email
from webapp.services.centres import assign_centre
from webapp.services.claims import decider_of
from webapp.services.errors import ConflictError, InvalidInputError
from webapp.services.plain_text import check_plain_text


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
        The name breaks the plain-text rule (field ``name``), or the USCC belongs to another
        registered enterprise (``UsccTakenError``, field ``uscc``; the attempt is audited and
        the message says who decides a claim: the firm's owner, else its enabling centre).
        A contact phone that is neither a Chinese mobile nor a landline number (field
        ``contact_phone``).
    ConflictError
        The actor tries to change the USCC of an enterprise that already has a submitted
        assessment (the code identifies the enterprise in every report).
    """
    check_plain_text("name", data.name)
    phone = ""
    if data.contact_phone.strip():
        phone = normalise_phone(data.contact_phone) or ""
        if not phone:
            raise InvalidInputError("contact_phone", _("请填写手机号码或带区号的固定电话。"))
    enterprise = db.session.get(Enterprise, actor.enterprise_id) if actor.enterprise_id else None
    other = db.session.scalar(select(Enterprise).where(Enterprise.uscc == data.uscc))
    if other is not None and (enterprise is None or other.id != enterprise.id):
        _refuse_taken_uscc(actor, other, data)
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
    enterprise.contact_name = data.contact_name.strip() or actor.display_name
    enterprise.contact_phone = phone
    enterprise.contact_email = normalise_email(data.contact_email) or actor.email
    assign_centre(enterprise)
    db.session.flush()
    actor.enterprise_id = enterprise.id
    db.session.commit()
    return enterprise


def _refuse_taken_uscc(actor: User, other: Enterprise, data: ProfileData) -> NoReturn:
    """Record the refused registration in the audit log and raise ``UsccTakenError``, whose
    message names who decides a claim on the firm (``claims.decider_of``): the profile page
    then offers to request a claim (``claims.request_claim``)."""
    audit.record(
        actor,
        "enterprise",
        data.uscc,
        "uscc_claim_refused",
        {"enterprise_id": other.id, "name_given": data.name[:200]},
    )
    db.session.commit()
    who = decider_of(other).name(str(get_locale() or "zh")[:2])
    raise UsccTakenError(
        data.uscc,
        who,
        _(
            "该统一社会信用代码已登记在系统中，不能直接登记。如您代表该企业，可申请认领，"
            "由%(who)s审核；批准前您看不到该企业的任何信息。本次登记尝试已记录。",
            who=who,
        ),
    )


class UsccTakenError(InvalidInputError):
    """The USCC belongs to an enterprise already in the system (field ``uscc``); ``uscc`` is
    the code, for the claim form the profile page offers, and ``decider`` names who decides a
    claim, in the page's language."""

    def __init__(self, uscc: str, decider: str, message: str) -> None:
        super().__init__("uscc", message)
        self.uscc = uscc
        self.decider = decider


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
