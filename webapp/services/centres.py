"""Which enabling centre looks after an enterprise: assignment on profile completion and
hand-over between centres.

The rule is catalogue data (each centre's clusters, towns and ``region_wide`` flag) applied by
``assessment.catalogue.responsible_centre``.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from assessment.catalogue import responsible_centre
from assessment.referrals import OPEN_VALUES
from models import EnablingCentre, Enterprise, Referral, User
from webapp.access import may_act_for_centre
from webapp.extensions import db
from webapp.services import audit
from webapp.services.catalogue import current_catalogue
from webapp.services.errors import InvalidInputError, NotFoundError

#: Longest hand-over reason kept in the audit row (characters).
MAX_REASON = 500


def assign_centre(enterprise: Enterprise) -> EnablingCentre | None:
    """Set ``enterprise.centre_id`` to the responsible centre if it has none (a centre chosen
    before, or by a hand-over, stays). Returns the enterprise's centre; the caller commits."""
    if enterprise.centre_id is not None:
        return db.session.get(EnablingCentre, enterprise.centre_id)
    chosen = responsible_centre(current_catalogue().centres, enterprise.cluster, enterprise.town)
    if chosen is None:
        return None
    row = db.session.scalar(select(EnablingCentre).where(EnablingCentre.code == chosen.code))
    if row is not None:
        enterprise.centre_id = row.id
    return row


def handover_targets(actor: User) -> list[EnablingCentre]:
    """The active centres other than the actor's own, by code (for the hand-over form)."""
    return list(
        db.session.scalars(
            select(EnablingCentre)
            .where(EnablingCentre.retired.is_(False), EnablingCentre.id != actor.centre_id)
            .order_by(EnablingCentre.code)
        )
    )


def hand_over(actor: User, enterprise_id: int, centre_code: str, reason: str) -> Enterprise:
    """Move an enterprise of the actor's centre to another centre, with its open referrals.

    Writes an audit row (entity ``enterprise``, action ``hand_over``, detail: from, to,
    reason, referrals moved) and commits.

    Raises
    ------
    NotFoundError
        The enterprise does not exist or is not in the actor's centre (staff of another centre
        cannot tell it exists).
    InvalidInputError
        Field ``centre``: unknown, retired, or the current centre. Field ``reason``: empty or
        longer than ``MAX_REASON`` characters.
    """
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None or not may_act_for_centre(actor, enterprise.centre_id):
        raise NotFoundError(str(enterprise_id))
    target = db.session.scalar(select(EnablingCentre).where(EnablingCentre.code == centre_code))
    if target is None or target.retired or target.id == enterprise.centre_id:
        raise InvalidInputError("centre", _("请选择另一个赋能中心。"))
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInputError("reason", _("请写明移交原因（最多 500 字）。"))
    source = db.session.get(EnablingCentre, enterprise.centre_id)
    open_referrals = list(
        db.session.scalars(
            select(Referral).where(
                Referral.enterprise_id == enterprise.id,
                Referral.centre_id == enterprise.centre_id,
                Referral.state.in_(OPEN_VALUES),
            )
        )
    )
    for referral in open_referrals:
        referral.centre_id = target.id
    enterprise.centre_id = target.id
    audit.record(
        actor,
        "enterprise",
        enterprise.uscc,
        "hand_over",
        {
            "from": source.code if source is not None else None,
            "to": target.code,
            "reason": reason,
            "referrals": [r.public_id for r in open_referrals],
        },
    )
    db.session.commit()
    return enterprise
