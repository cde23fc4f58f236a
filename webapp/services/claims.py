"""Claims on an enterprise already in the system (imported by an administrator, or registered
by someone else): nobody takes over a firm silently.

A user whose profile names a registered USCC may request a claim. It is decided by the
enterprise's owner when the firm has users, else by staff of the firm's enabling centre
(``decider_of``). Until approved the claimant reaches nothing of the firm; approved, they are
attached as a member (as its owner when it had no users, and the firm is then confirmed by
``"claim"``, ``confirmation.confirm``). The deciders get a mail when a claim arrives (the
owner, or every active staff member of the centre), the claimant one with the decision; a
refusal names who decided and the reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from assessment.localised import Localised
from models import (
    ClaimState,
    EnablingCentre,
    Enterprise,
    EnterpriseClaim,
    MemberRole,
    Role,
    User,
    utcnow,
)
from webapp.access import may_act_for_centre, may_manage_enterprise
from webapp.extensions import db
from webapp.jobs import enqueue
from webapp.services import audit
from webapp.services.confirmation import confirm
from webapp.services.errors import ConflictError, InvalidInputError, NotFoundError
from webapp.services.mail import OutgoingMail, compose, language_of, link
from webapp.services.plain_text import check_plain_text

#: Longest claimant note and refusal reason (characters).
MAX_TEXT = 500
#: Labels of the claim states, Chinese first.
CLAIM_STATE_LABELS = {
    ClaimState.PENDING.value: Localised("待审核", "Pending"),
    ClaimState.APPROVED.value: Localised("已批准", "Approved"),
    ClaimState.REFUSED.value: Localised("已拒绝", "Refused"),
}


@dataclass(frozen=True)
class Decider:
    """Who decides claims on an enterprise: its owner (``owner`` set) or its centre's staff
    (``centre`` set); both ``None`` when it has neither (an administrator must first assign
    a centre)."""

    owner: User | None
    centre: EnablingCentre | None

    def name(self, lang: str) -> str:
        """A phrase naming the decider in ``lang``, with the centre's contact line."""
        if self.owner is not None:
            return _("该企业的负责人（%(name)s）", name=self.owner.display_name)
        if self.centre is not None:
            names = Localised(self.centre.name_zh, self.centre.name_en or self.centre.name_zh)
            contact = f" ({self.centre.contact})" if self.centre.contact else ""
            return names.for_locale(lang) + contact
        return _("系统管理员")


@dataclass(frozen=True)
class ClaimRow:
    """A claim with what its list shows: the enterprise and the claimant."""

    claim: EnterpriseClaim
    enterprise: Enterprise
    claimant: User


def decider_of(enterprise: Enterprise) -> Decider:
    """The enterprise's owner if it has an active one, else its centre (see ``Decider``)."""
    owner = db.session.scalar(
        select(User)
        .where(
            User.enterprise_id == enterprise.id,
            User.member_role == MemberRole.OWNER.value,
            User.active.is_(True),
        )
        .order_by(User.id)
        .limit(1)
    )
    centre = db.session.get(EnablingCentre, enterprise.centre_id) if enterprise.centre_id else None
    return Decider(owner, None if owner is not None else centre)


def request_claim(actor: User, uscc: str, note: str, base_url: str) -> EnterpriseClaim:
    """Ask to be attached to the enterprise registered under ``uscc``; its deciders are mailed
    (job ``claim_request_mail``, links from ``base_url``). Audited; commits.

    Raises
    ------
    InvalidInputError
        Field ``uscc``: no enterprise has this USCC, the actor already belongs to an enterprise,
        or the actor already has a pending claim on it. Field ``note``: longer than
        ``MAX_TEXT`` characters or not plain text.
    """
    note = note.strip()
    if len(note) > MAX_TEXT:
        raise InvalidInputError("note", _("说明最多 500 字。"))
    check_plain_text("note", note)
    enterprise = db.session.scalar(select(Enterprise).where(Enterprise.uscc == uscc.strip()))
    if enterprise is None:
        raise InvalidInputError("uscc", _("没有以此统一社会信用代码登记的企业。"))
    if actor.role != Role.ENTERPRISE.value or actor.enterprise_id is not None:
        raise InvalidInputError("uscc", _("此账户已属于一家企业，不能再认领其他企业。"))
    pending = db.session.scalar(
        select(func.count()).where(
            EnterpriseClaim.claimant_id == actor.id,
            EnterpriseClaim.enterprise_id == enterprise.id,
            EnterpriseClaim.state == ClaimState.PENDING.value,
        )
    )
    if pending:
        raise InvalidInputError("uscc", _("您已申请认领该企业，请等待审核。"))
    claim = EnterpriseClaim(
        public_id=uuid.uuid4().hex,
        enterprise_id=enterprise.id,
        claimant_id=actor.id,
        uscc=enterprise.uscc,
        note=note,
    )
    db.session.add(claim)
    _audit(actor, claim, "claim_requested", {"claimant": actor.email})
    db.session.commit()
    enqueue("claim_request_mail", {"claim_id": claim.id, "base_url": base_url}, actor_id=actor.id)
    return claim


def decider_users(enterprise: Enterprise) -> list[User]:
    """The users who decide claims on ``enterprise``: its owner, else the active staff of its
    centre (none when it has neither; an administrator must first assign a centre)."""
    decider = decider_of(enterprise)
    if decider.owner is not None:
        return [decider.owner]
    if decider.centre is None:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role == Role.CENTRE_STAFF.value,
                User.centre_id == decider.centre.id,
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )


def request_mails(claim_id: int, base_url: str) -> list[OutgoingMail]:
    """The mails telling each decider (``decider_users``) that a claim arrived, each in their
    language, with the claimant, their note and a link to the page where it is decided (the
    owner's team page, or the centre's claims page). Empty when the claim is gone or already
    decided."""
    claim = db.session.get(EnterpriseClaim, claim_id)
    if claim is None or claim.state != ClaimState.PENDING.value:
        return []
    enterprise = db.session.get(Enterprise, claim.enterprise_id)
    claimant = db.session.get(User, claim.claimant_id)
    assert enterprise is not None and claimant is not None
    messages = []
    for decider in decider_users(enterprise):
        path = "/enterprise/team" if decider.role == Role.ENTERPRISE.value else "/centre/claims"
        messages.append(
            compose(
                "claim_request",
                decider.email,
                language_of(decider),
                decider=decider,
                claimant=claimant,
                enterprise=enterprise,
                claim=claim,
                link=link(path, base_url),
            )
        )
    return messages


def _rows(*where: object) -> list[ClaimRow]:
    found = db.session.execute(
        select(EnterpriseClaim, Enterprise, User)
        .join(Enterprise, Enterprise.id == EnterpriseClaim.enterprise_id)
        .join(User, User.id == EnterpriseClaim.claimant_id)
        .where(*where)  # type: ignore[arg-type]
        .order_by(EnterpriseClaim.state != ClaimState.PENDING.value, EnterpriseClaim.id.desc())
    ).all()
    return [ClaimRow(c, e, u) for c, e, u in found]


def claims_for_owner(actor: User) -> list[ClaimRow]:
    """Claims on the actor's enterprise (pending first), when the actor is its owner."""
    if actor.enterprise_id is None or not may_manage_enterprise(actor, actor.enterprise_id):
        return []
    return _rows(EnterpriseClaim.enterprise_id == actor.enterprise_id)


def claims_for_centre(actor: User) -> list[ClaimRow]:
    """Claims on the enterprises of the actor's centre: the pending ones the centre decides
    (the firm has no owner) first, then the decided ones."""
    if actor.role != Role.CENTRE_STAFF.value or actor.centre_id is None:
        return []
    rows = _rows(Enterprise.centre_id == actor.centre_id)
    return [
        r
        for r in rows
        if r.claim.state != ClaimState.PENDING.value or decider_of(r.enterprise).centre is not None
    ]


def own_claims_with_deciders(actor: User, lang: str) -> list[tuple[ClaimRow, str]]:
    """The actor's own claims, pending first, each with who decides it in ``lang`` (the
    profile page shows them until the claimant belongs to an enterprise)."""
    rows = _rows(EnterpriseClaim.claimant_id == actor.id)
    return [(row, decider_of(row.enterprise).name(lang)) for row in rows]


def may_decide(actor: User, enterprise: Enterprise) -> bool:
    """The owner of the enterprise; staff of its centre when it has no owner."""
    decider = decider_of(enterprise)
    if decider.owner is not None:
        return may_manage_enterprise(actor, enterprise.id)
    return decider.centre is not None and may_act_for_centre(actor, enterprise.centre_id)


def decidable_claim(actor: User, public_id: str) -> tuple[EnterpriseClaim, Enterprise]:
    """The claim with this public id and its enterprise, if the actor may decide it.

    Raises
    ------
    NotFoundError
        No such claim, or the actor may not decide it (``may_decide``): the two are not told
        apart.
    """
    claim = db.session.scalar(select(EnterpriseClaim).where(EnterpriseClaim.public_id == public_id))
    enterprise = db.session.get(Enterprise, claim.enterprise_id) if claim is not None else None
    if claim is None or enterprise is None or not may_decide(actor, enterprise):
        raise NotFoundError(public_id)
    return claim, enterprise


def decide_claim(
    actor: User, public_id: str, approve: bool, reason: str, base_url: str
) -> EnterpriseClaim:
    """Approve or refuse a pending claim; the claimant is mailed the decision (job
    ``claim_decision_mail``). Approved: the claimant joins the enterprise, as its owner when it
    had none (the firm is then confirmed by ``"claim"``), else as an editor. Audited; commits.

    Raises
    ------
    NotFoundError
        No such claim, or the actor may not decide it (``may_decide``; staff of another centre
        and other enterprises' users cannot tell it exists).
    InvalidInputError
        Field ``reason``: a refusal without a reason, or a reason over ``MAX_TEXT`` characters.
    ConflictError
        The claim was already decided, or the claimant joined another enterprise meanwhile.
    """
    claim, enterprise = decidable_claim(actor, public_id)
    if claim.state != ClaimState.PENDING.value:
        raise ConflictError(_("该认领申请已经处理。"))
    reason = reason.strip()
    if (not approve and not reason) or len(reason) > MAX_TEXT:
        raise InvalidInputError("reason", _("拒绝时请写明原因（最多 500 字）。"))
    check_plain_text("reason", reason)
    claimant = db.session.get(User, claim.claimant_id)
    assert claimant is not None
    if approve:
        _attach(claimant, enterprise)
    claim.state = (ClaimState.APPROVED if approve else ClaimState.REFUSED).value
    claim.decided_at = utcnow()
    claim.decided_by_id = actor.id
    claim.reason = reason
    _audit(actor, claim, f"claim_{claim.state}", {"claimant": claimant.email, "reason": reason})
    db.session.commit()
    enqueue("claim_decision_mail", {"claim_id": claim.id, "base_url": base_url}, actor_id=actor.id)
    return claim


def _attach(claimant: User, enterprise: Enterprise) -> None:
    if claimant.enterprise_id is not None:
        raise ConflictError(_("申请人已加入另一家企业，此申请不能再批准。"))
    had_owner = decider_of(enterprise).owner is not None
    claimant.enterprise_id = enterprise.id
    claimant.member_role = (MemberRole.EDITOR if had_owner else MemberRole.OWNER).value
    if not had_owner:
        confirm(enterprise, "claim")


def decision_mail(claim_id: int, base_url: str) -> OutgoingMail | None:
    """The mail telling the claimant the decision, in their language: approved (with a link to
    the enterprise's pages) or refused (with the reason and who decided). ``None`` when the
    claim is gone or still pending."""
    claim = db.session.get(EnterpriseClaim, claim_id)
    if claim is None or claim.state == ClaimState.PENDING.value:
        return None
    claimant = db.session.get(User, claim.claimant_id)
    enterprise = db.session.get(Enterprise, claim.enterprise_id)
    decided_by = db.session.get(User, claim.decided_by_id) if claim.decided_by_id else None
    assert claimant is not None and enterprise is not None
    lang = language_of(claimant)
    approved = claim.state == ClaimState.APPROVED.value
    with force_locale(lang):
        who = "" if approved else _decider_phrase(decided_by, enterprise, lang)
    return compose(
        "claim_approved" if approved else "claim_refused",
        claimant.email,
        lang,
        claimant=claimant,
        enterprise=enterprise,
        claim=claim,
        link=link("/enterprise/", base_url),
        who=who,
    )


def _decider_phrase(decided_by: User | None, enterprise: Enterprise, lang: str) -> str:
    if decided_by is not None and decided_by.role == Role.CENTRE_STAFF.value:
        centre = db.session.get(EnablingCentre, decided_by.centre_id)
        return Decider(None, centre).name(lang)
    if decided_by is not None:
        return Decider(decided_by, None).name(lang)
    return decider_of(enterprise).name(lang)


def _audit(actor: User, claim: EnterpriseClaim, action: str, detail: dict[str, str]) -> None:
    audit.record(actor, "enterprise", claim.uscc, action, detail)
