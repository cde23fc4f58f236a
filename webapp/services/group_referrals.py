"""Group referrals: a centre refers many firms to one service package in one action."""

from __future__ import annotations

import re
import uuid

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from assessment.packages import PACKAGES_BY_CODE
from assessment.referrals import OPEN_VALUES, ReferralState
from models import Enterprise, Referral, ReferralEvent, User
from webapp.extensions import db
from webapp.jobs import enqueue
from webapp.services.assessments import latest_submitted
from webapp.services.errors import ConflictError, InvalidInputError, NotFoundError
from webapp.services.plain_text import check_plain_text
from webapp.services.referrals import notify

#: A group action's idempotency key: 32 hex digits (``uuid.uuid4().hex``, made per form).
GROUP_ACTION = re.compile(r"[0-9a-f]{32}")


def new_group_action() -> str:
    """A fresh idempotency key for one group form (rendered into it, sent back with it)."""
    return uuid.uuid4().hex


def _already_done() -> ConflictError:
    return ConflictError(_("这组对接已经提交过，每家企业只创建了一条对接。"))


def refer_group(
    actor: User,
    enterprise_ids: list[int],
    package_code: str,
    note: str,
    base_url: str | None,
    group_action: str | None = None,
) -> list[Referral]:
    """Refer firms of the actor's centre to a service package in one action: each firm gets
    its own referral (target kind ``package``, state 已申请, on its newest submitted assessment)
    in the usual life cycle, and its users a notice in the app and the referral mail (job
    ``referral_mail``). A firm with an open referral to the package keeps it (submitting twice
    creates each referral once). Returns the referrals created now.

    ``group_action`` is the form's idempotency key (``new_group_action``): each referral
    stores it, and the database holds one referral per (group action, firm)
    (``uq_referral_group_action``), so the same form submitted twice - one after the other or
    at the same moment - creates each referral once and the second submit is told so.

    Raises
    ------
    NotFoundError
        An unknown package, or a firm that is not in the actor's centre (then nothing is
        created).
    InvalidInputError
        No firm chosen (field ``enterprise``), or a note breaking the plain-text rule.
    ConflictError
        The group action was submitted before (then nothing more is created).
    """
    if not enterprise_ids:
        raise InvalidInputError("enterprise", _("请至少选择一家企业。"))
    package = PACKAGES_BY_CODE.get(package_code)
    if package is None or actor.centre_id is None:
        raise NotFoundError(package_code)
    check_plain_text("note", note, multiline=True)
    if group_action is not None and not GROUP_ACTION.fullmatch(group_action):
        raise InvalidInputError("group_action", _("表单已失效，请刷新页面后重试。"))
    firms = list(
        db.session.scalars(
            select(Enterprise).where(
                Enterprise.id.in_(set(enterprise_ids)), Enterprise.centre_id == actor.centre_id
            )
        )
    )
    if len(firms) != len(set(enterprise_ids)):
        raise NotFoundError("enterprise")
    if group_action is not None and db.session.scalar(
        select(Referral.id).where(Referral.group_action == group_action).limit(1)
    ):
        raise _already_done()
    already = set(
        db.session.scalars(
            select(Referral.enterprise_id).where(
                Referral.enterprise_id.in_([e.id for e in firms]),
                Referral.target_code == package.code,
                Referral.state.in_(OPEN_VALUES),
            )
        )
    )
    created: list[tuple[Referral, ReferralEvent]] = []
    for enterprise in firms:
        assessment = latest_submitted(enterprise.id)
        if enterprise.id in already or assessment is None:
            continue
        referral = Referral(
            public_id=uuid.uuid4().hex,
            enterprise_id=enterprise.id,
            assessment_id=assessment.id,
            centre_id=actor.centre_id,
            target_kind="package",
            target_code=package.code,
            target_name=package.name_zh,
            state=ReferralState.REQUESTED.value,
            group_action=group_action,
        )
        db.session.add(referral)
        try:
            db.session.flush()
        except IntegrityError:
            # the same group action, submitted at the same moment, created it first
            db.session.rollback()
            raise _already_done() from None
        event = ReferralEvent(
            referral_id=referral.id,
            from_state=None,
            to_state=referral.state,
            actor_id=actor.id,
            note=note.strip(),
            for_owner=bool(note.strip()),
        )
        db.session.add(event)
        owners = list(db.session.scalars(select(User).where(User.enterprise_id == enterprise.id)))
        notify(
            owners,
            f"赋能中心为您推荐服务包：{package.name_zh}",
            f"Your enabling centre refers you to a service package: {package.name_en}",
            "/enterprise/referrals",
        )
        created.append((referral, event))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _already_done() from None
    for _referral, event in created:
        enqueue("referral_mail", {"event_id": event.id, "base_url": base_url or ""}, actor.id)
    return [r for r, _e in created]
