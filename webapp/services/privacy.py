"""Privacy: the notice's version and consent to it, deletion requests and their execution.

The notice itself is ``templates/privacy/notice.html`` (zh/en through Flask-Babel); what it
promises about who sees what is enforced in ``webapp/access.py``. ``NOTICE_VERSION`` is the one
place the notice's version is written: change it together with the notice's text, and every
enterprise user is asked to consent again at their next request
(``webapp/blueprints/privacy``). What a deletion removes and what it keeps is documented in
``docs/privacy.md``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from models import (
    Assessment,
    DeletionRequest,
    DeletionState,
    Enterprise,
    EnterpriseClaim,
    Invitation,
    Notification,
    OnsiteRating,
    PasswordResetToken,
    Referral,
    ReferralEvent,
    Role,
    StageValidation,
    User,
    utcnow,
)
from webapp.extensions import db
from webapp.jobs import enqueue
from webapp.services import audit, evidence, report_files
from webapp.services.accounts import new_session_token
from webapp.services.errors import ConflictError, InvalidInputError, NotFoundError
from webapp.services.mail import OutgoingMail, compose, language_of
from webapp.services.passwords import hash_password

#: The version of the privacy notice now in force (the date it took effect, then a serial).
NOTICE_VERSION = "2026-12-01.2"

#: How long the firm's data is kept, in years after its last assessment; the notice says so.
RETENTION_YEARS = 5


def needs_consent(user: User) -> bool:
    """Whether ``user`` must (again) agree to the notice before continuing: an enterprise
    user whose recorded consent is not for ``NOTICE_VERSION`` (accounts of staff, officers
    and administrators are created by an administrator and never asked)."""
    return user.role == Role.ENTERPRISE.value and user.consent_version != NOTICE_VERSION


def record_consent(user_id: int, version: str, now: datetime | None = None) -> None:
    """Record that the user agreed to notice ``version`` at ``now`` (UTC; default: now).

    Raises
    ------
    InvalidInputError
        ``version`` is not ``NOTICE_VERSION`` (the page was older than the notice; field
        ``version``): consent counts only for the text the user was shown.
    NotFoundError
        No such user.
    """
    if version != NOTICE_VERSION:
        raise InvalidInputError("version", _("隐私说明已更新，请阅读新版本后再同意。"))
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFoundError(str(user_id))
    user.consent_version = version
    user.consented_at = now or utcnow()
    db.session.commit()


def pending_request(enterprise_id: int) -> DeletionRequest | None:
    """The enterprise's deletion request still waiting for an administrator, if any."""
    return db.session.scalar(
        select(DeletionRequest).where(
            DeletionRequest.enterprise_id == enterprise_id,
            DeletionRequest.state == DeletionState.PENDING.value,
        )
    )


def request_deletion(actor: User) -> DeletionRequest:
    """The actor (a user of an enterprise) asks for the firm's personal data to be deleted;
    administrators are told in the app. Commits once.

    Raises
    ------
    NotFoundError
        The actor belongs to no enterprise.
    ConflictError
        A request of the firm is already pending.
    """
    if actor.enterprise_id is None:
        raise NotFoundError("enterprise")
    if pending_request(actor.enterprise_id) is not None:
        raise ConflictError(_("删除申请已提交，正在等待管理员处理。"))
    request = DeletionRequest(enterprise_id=actor.enterprise_id, requested_by_id=actor.id)
    db.session.add(request)
    for admin in db.session.scalars(select(User).where(User.role == Role.ADMIN.value, User.active)):
        db.session.add(
            Notification(
                user_id=admin.id,
                text_zh="有一项新的企业数据删除申请待处理。",
                text_en="A new request to delete an enterprise's data is waiting.",
                link="/admin/deletions",
            )
        )
    db.session.commit()
    return request


@dataclass(frozen=True)
class PendingDeletion:
    """A pending request as the administrators' page lists it."""

    id: int
    enterprise_id: int
    enterprise_name: str
    uscc: str
    requested_by: str
    requested_at: datetime


def pending_deletions() -> list[PendingDeletion]:
    """Every pending deletion request, oldest first."""
    rows = db.session.execute(
        select(DeletionRequest, Enterprise, User)
        .join(Enterprise, Enterprise.id == DeletionRequest.enterprise_id)
        .join(User, User.id == DeletionRequest.requested_by_id)
        .where(DeletionRequest.state == DeletionState.PENDING.value)
        .order_by(DeletionRequest.requested_at, DeletionRequest.id)
    ).all()
    return [
        PendingDeletion(r.id, e.id, e.name, e.uscc, u.email, r.requested_at) for r, e, u in rows
    ]


def anonymous_uscc(enterprise_id: int) -> str:
    """The placeholder that replaces a deleted firm's USCC: 18 characters, unique per
    enterprise, and never a valid code (it starts with ``X``, not a GB 32100-2015 registration
    authority code), so the real firm can register again."""
    return f"X{enterprise_id:017d}"


def carry_out_deletion(actor: User, request_id: int) -> DeletionRequest:
    """Remove the firm's personal data as ``docs/privacy.md`` describes, mail the requester
    (in their language, composed before their address is removed), and write an audit row.
    Commits once.

    Kept as anonymous statistics: the enterprise row with its grouping fields (industry,
    cluster, town, size class, production type) and its submitted assessments (answers are
    option codes and figures; no item takes free text). Removed: the firm's name, USCC and
    contacts; every user's name, e-mail and password (accounts deactivated); correction
    reasons, staff notes, validation and on-site rating reasons, referral notes, contract products and close
    reasons; the users' notifications and reset tokens; invitations to the firm (colleagues'
    addresses); the USCC, note and reason of claims on it; its evidence files (佐证材料: the
    stored bytes and their rows, whose original file names are personal data), counted in the
    audit row as ``evidence_files``.

    Raises
    ------
    NotFoundError
        No pending request with that id.
    """
    request = db.session.get(DeletionRequest, request_id)
    if request is None or request.state != DeletionState.PENDING.value:
        raise NotFoundError(str(request_id))
    enterprise = db.session.get(Enterprise, request.enterprise_id)
    requester = db.session.get(User, request.requested_by_id)
    if enterprise is None or requester is None:
        raise NotFoundError(str(request_id))
    mail = _deletion_mail(requester, enterprise.name)
    counts = _anonymise(enterprise)
    files = evidence.forget_enterprise(enterprise.id)
    request.state = DeletionState.DONE.value
    request.carried_out_by_id = actor.id
    request.carried_out_at = utcnow()
    # The old USCC is not kept: the audit row proves the deletion, not the identity.
    audit.record(
        actor,
        "enterprise",
        enterprise.uscc,
        "personal_data_deleted",
        {
            "request": request.id,
            "enterprise_id": enterprise.id,
            **counts,
            "evidence_files": len(files),
        },
    )
    db.session.commit()
    evidence.unlink(files)  # after the commit: a failed deletion keeps every file
    enqueue(
        "deletion_mail",
        {"to": mail.to, "subject": mail.subject, "body": mail.body, "request": request.id},
        actor.id,
    )
    return request


def _deletion_mail(user: User, firm_name: str) -> OutgoingMail:
    return compose("deletion", user.email, language_of(user), user=user, firm=firm_name)


def _anonymise(enterprise: Enterprise) -> dict[str, int]:
    """Blank the firm's identifying fields and every row of free text about it; returns
    counts for the audit row. Does not commit."""
    # Stored data, not page text: the same in both languages, like every firm name.
    enterprise.name = f"已删除的企业 #{enterprise.id}"
    enterprise.uscc = anonymous_uscc(enterprise.id)
    enterprise.contact_name = enterprise.contact_phone = enterprise.contact_email = ""
    user_ids = list(db.session.scalars(select(User.id).where(User.enterprise_id == enterprise.id)))
    for user in db.session.scalars(select(User).where(User.id.in_(user_ids))):
        user.email = f"deleted-{user.id}@deleted.invalid"
        user.display_name = "已删除的用户"
        # A hash of a secret nobody ever sees: no password opens the account again.
        user.password_hash = hash_password(secrets.token_urlsafe(32))
        user.session_token = new_session_token()
        user.active = False
        user.locale = None
    db.session.execute(delete(Notification).where(Notification.user_id.in_(user_ids)))
    # Invitations name colleagues' addresses; claims carry the USCC and the claimant's words.
    db.session.execute(delete(Invitation).where(Invitation.enterprise_id == enterprise.id))
    db.session.execute(
        update(EnterpriseClaim)
        .where(EnterpriseClaim.enterprise_id == enterprise.id)
        .values(uscc=enterprise.uscc, note="", reason="")
    )
    db.session.execute(delete(PasswordResetToken).where(PasswordResetToken.user_id.in_(user_ids)))
    report_files.forget_enterprise(enterprise.id)  # stored PDFs name the firm
    assessment_ids = select(Assessment.id).where(Assessment.enterprise_id == enterprise.id)
    db.session.execute(
        update(Assessment)
        .where(Assessment.enterprise_id == enterprise.id, Assessment.correction_reason.is_not(None))
        .values(correction_reason="")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(StageValidation)
        .where(StageValidation.assessment_id.in_(assessment_ids))
        .values(reason="")
    )
    for rating in db.session.scalars(
        select(OnsiteRating).where(OnsiteRating.assessment_id.in_(assessment_ids))
    ):
        rating.reasons = {code: "" for code in rating.reasons}
        if rating.finished is not None:
            changed = [{**c, "reason": ""} for c in rating.finished.get("changed", [])]
            rating.finished = {**rating.finished, "changed": changed}
    referral_ids = select(Referral.id).where(Referral.enterprise_id == enterprise.id)
    db.session.execute(
        update(ReferralEvent).where(ReferralEvent.referral_id.in_(referral_ids)).values(note="")
    )
    db.session.execute(
        update(Referral)
        .where(Referral.enterprise_id == enterprise.id)
        .values(contract_products="", close_reason="")
        .execution_options(synchronize_session=False)
    )
    return {"users": len(user_ids)}
