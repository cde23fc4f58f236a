"""Group referrals: a centre refers many firms to one service package in one action."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import select

from assessment.packages import PACKAGES_BY_CODE
from assessment.referrals import OPEN_VALUES, ReferralState
from models import Enterprise, Referral, ReferralEvent, User
from webapp.extensions import db
from webapp.jobs import enqueue
from webapp.services.assessments import latest_submitted
from webapp.services.errors import InvalidInputError, NotFoundError
from webapp.services.plain_text import check_plain_text
from webapp.services.referrals import notify


def refer_group(
    actor: User, enterprise_ids: list[int], package_code: str, note: str, base_url: str | None
) -> list[Referral]:
    """Refer firms of the actor's centre to a service package in one action: each firm gets
    its own referral (target kind ``package``, state 已申请, on its newest submitted assessment)
    in the usual life cycle, and its users a notice in the app and the referral mail (job
    ``referral_mail``). A firm with an open referral to the package keeps it (submitting twice
    creates each referral once). Returns the referrals created now.

    Raises
    ------
    NotFoundError
        An unknown package, or a firm that is not in the actor's centre (then nothing is
        created).
    InvalidInputError
        No firm chosen (field ``enterprise``), or a note breaking the plain-text rule.
    """
    if not enterprise_ids:
        raise InvalidInputError("enterprise", _("请至少选择一家企业。"))
    package = PACKAGES_BY_CODE.get(package_code)
    if package is None or actor.centre_id is None:
        raise NotFoundError(package_code)
    check_plain_text("note", note, multiline=True)
    firms = list(
        db.session.scalars(
            select(Enterprise).where(
                Enterprise.id.in_(set(enterprise_ids)), Enterprise.centre_id == actor.centre_id
            )
        )
    )
    if len(firms) != len(set(enterprise_ids)):
        raise NotFoundError("enterprise")
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
        )
        db.session.add(referral)
        db.session.flush()
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
    db.session.flush()
    db.session.commit()
    for _referral, event in created:
        enqueue("referral_mail", {"event_id": event.id, "base_url": base_url or ""}, actor.id)
    return [r for r, _e in created]
