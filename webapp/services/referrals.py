"""Referrals (对接): the enterprise asks, the centre follows up, everyone sees the state."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from assessment.localised import Localised
from assessment.packages import PACKAGES_BY_CODE
from assessment.referrals import (
    OPEN_VALUES,
    Contract,
    InvalidTransitionError,
    ReferralState,
    check_transition,
)
from models import (
    Assessment,
    AssessmentStatus,
    EnablingCentre,
    Enterprise,
    Notification,
    Referral,
    ReferralEvent,
    Role,
    ServiceProvider,
    User,
)
from webapp.access import may_act_for_centre
from webapp.extensions import db
from webapp.jobs import enqueue
from webapp.services.centres import assign_centre
from webapp.services.corrections import is_superseded
from webapp.services.errors import ConflictError, InvalidInputError, NotFoundError
from webapp.services.loaders import assessment_for
from webapp.services.mail import OutgoingMail, compose, language_of, link
from webapp.services.plain_text import check_plain_text


def notify(users: list[User], zh: str, en: str, link: str) -> None:
    """Add an in-app notice in both languages with ``link`` for each of ``users`` (not
    committed)."""
    for user in users:
        db.session.add(Notification(user_id=user.id, text_zh=zh, text_en=en, link=link))


def _centre_staff(centre_id: int | None) -> list[User]:
    if centre_id is None:
        return []
    return list(
        db.session.scalars(
            select(User).where(User.centre_id == centre_id, User.role == Role.CENTRE_STAFF.value)
        )
    )


@dataclass(frozen=True)
class Parties:
    """Who a referral names, each in both languages: ``target``, the centre, provider or
    service package the firm asked for, and ``handler``, the centre that follows the referral
    up when that is not the target itself (None when the target centre handles it, or no
    centre does)."""

    target: Localised
    handler: Localised | None


def parties_of(referrals: list[Referral]) -> dict[int, Parties]:
    """The ``Parties`` of each referral, by referral id, read from the catalogue in two
    queries whatever the number of referrals. A target no longer in the catalogue keeps the
    name stored with the referral, in both languages."""
    if not referrals:
        return {}
    codes = {r.target_code for r in referrals}
    centre_ids = {r.centre_id for r in referrals if r.centre_id is not None}
    centres = list(
        db.session.scalars(
            select(EnablingCentre).where(
                EnablingCentre.code.in_(codes) | EnablingCentre.id.in_(centre_ids)
            )
        )
    )
    names = {c.code: Localised(c.name_zh, c.name_en) for c in centres}
    names |= {
        p.code: Localised(p.name_zh, p.name_en)
        for p in db.session.scalars(select(ServiceProvider).where(ServiceProvider.code.in_(codes)))
    }
    names |= {code: p.name for code, p in PACKAGES_BY_CODE.items() if code in codes}
    handlers = {c.id: c for c in centres}
    out = {}
    for referral in referrals:
        handler = handlers.get(referral.centre_id) if referral.centre_id is not None else None
        out[referral.id] = Parties(
            names.get(referral.target_code, Localised(referral.target_name, referral.target_name)),
            None
            if handler is None or handler.code == referral.target_code
            else Localised(handler.name_zh, handler.name_en),
        )
    return out


def request_referral(actor: User, assessment_public_id: str, target_code: str) -> Referral:
    """Ask to be contacted about a recommended centre or provider. Asking twice is harmless.

    The referral is handled by the enterprise's own centre (assigned now if it has none,
    ``centres.assign_centre``), which brokers a provider referral; only when the catalogue
    gives the enterprise no centre does a centre referral go to the recommended centre itself.

    Raises
    ------
    NotFoundError
        Not the actor's assessment, or an unknown centre/provider code.
    ConflictError
        The assessment is not submitted.
    """
    assessment = assessment_for(actor, assessment_public_id)
    if assessment.status != AssessmentStatus.SUBMITTED.value:
        raise ConflictError(_("请先提交评估。"))
    if is_superseded(assessment):
        raise ConflictError(_("该评估已被更正，请在最新的诊断报告上申请对接。"))
    centre = db.session.scalar(select(EnablingCentre).where(EnablingCentre.code == target_code))
    provider = db.session.scalar(select(ServiceProvider).where(ServiceProvider.code == target_code))
    target = centre or provider
    if target is None or target.retired:
        raise NotFoundError(target_code)
    existing = db.session.scalar(
        select(Referral).where(
            Referral.assessment_id == assessment.id,
            Referral.target_code == target_code,
            Referral.state.in_(OPEN_VALUES),
        )
    )
    if existing is not None:
        return existing
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None
    assign_centre(enterprise)
    handling = enterprise.centre_id or (centre.id if centre is not None else None)
    referral = Referral(
        public_id=uuid.uuid4().hex,
        enterprise_id=enterprise.id,
        assessment_id=assessment.id,
        centre_id=handling,
        target_kind="centre" if centre is not None else "provider",
        target_code=target_code,
        target_name=target.name_zh,
        state=ReferralState.REQUESTED.value,
    )
    db.session.add(referral)
    db.session.flush()
    db.session.add(
        ReferralEvent(
            referral_id=referral.id, from_state=None, to_state=referral.state, actor_id=actor.id
        )
    )
    notify(
        _centre_staff(handling),
        f"{enterprise.name} 申请对接：{target.name_zh}",
        f"{enterprise.name} asks to be put in touch with {target.name_en}",
        f"/centre/referrals#r-{referral.public_id}",
    )
    db.session.commit()
    return referral


def move_referral(
    actor: User,
    public_id: str,
    target_state: str,
    note: str,
    for_owner: bool = False,
    base_url: str | None = None,
    contract: ContractInput | None = None,
) -> Referral:
    """Move a referral of the actor's centre to ``target_state``.

    Closing needs a reason (the note); 已签约 needs ``contract``: the products and the amount
    in 万元 as typed (``"12.5"``), checked by ``assessment.referrals.check_transition``. The
    enterprise's users are told in the app and by a mail (job ``referral_mail``, in each user's
    language, with the note when ``for_owner``; ``base_url`` as for ``mail.link``). A note
    marked ``for_owner`` also appears on the owner's referral page; other notes stay with the
    centre.

    Raises
    ------
    NotFoundError
        No such referral in the actor's centre.
    InvalidInputError
        A move the life cycle does not allow (field ``state``), a close without a reason
        (``note``), a contract without products (``products``) or with an amount that is not a
        number in (0, 100,000] 万元 (``amount``), or text breaking the plain-text rule.
    ConflictError
        Someone else moved it at the same time.
    """
    referral = db.session.scalar(select(Referral).where(Referral.public_id == public_id))
    if referral is None or not may_act_for_centre(actor, referral.centre_id):
        raise NotFoundError(public_id)
    check_plain_text("note", note, multiline=True)
    try:
        current, target = ReferralState(referral.state), ReferralState(target_state)
    except ValueError:
        raise InvalidInputError("state", _("未知的对接状态。")) from None
    signed = _contract(contract) if target == ReferralState.CONTRACTED else None
    try:
        check_transition(current, target, note, signed)
    except InvalidTransitionError as exc:
        raise InvalidInputError(exc.field, _transition_message(exc.field)) from exc
    parties = parties_of([referral])[referral.id]
    referral.state = target.value
    if target == ReferralState.CLOSED:
        referral.close_reason = note.strip()
    if signed is not None:
        referral.contract_products = signed.products.strip()
        referral.contract_amount_wan = signed.amount_wan
    event = _record_step(referral, current, target, actor, note.strip(), for_owner, parties)
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise ConflictError(_("该对接刚被其他人更新，请刷新后再试。")) from exc
    enqueue("referral_mail", {"event_id": event.id, "base_url": base_url or ""}, actor.id)
    return referral


@dataclass(frozen=True)
class ContractInput:
    """A contract as staff typed it: ``products`` and ``amount_wan`` (a decimal in 万元)."""

    products: str
    amount_wan: str


def _contract(contract: ContractInput | None) -> Contract:
    if contract is None:
        return Contract("", 0.0)
    check_plain_text("products", contract.products)
    try:
        amount = float(contract.amount_wan.strip().replace(",", ""))
    except ValueError:
        raise InvalidInputError("amount", _transition_message("amount")) from None
    if not math.isfinite(amount):
        raise InvalidInputError("amount", _transition_message("amount"))
    return Contract(contract.products, amount)


def _transition_message(field: str) -> str:
    return {
        "note": _("关闭对接时请写明原因。"),
        "products": _("签约时请写明签约的产品或服务。"),
        "amount": _("请填写签约金额（万元，大于 0、不超过 100000）。"),
    }.get(field, _("该对接不能转到这个状态。"))


def _record_step(
    referral: Referral,
    current: ReferralState,
    target: ReferralState,
    actor: User,
    note: str,
    for_owner: bool,
    parties: Parties,
) -> ReferralEvent:
    """Add the event of one step and tell the enterprise's users in the app, naming the
    referral's ``parties`` (not committed)."""
    event = ReferralEvent(
        referral_id=referral.id,
        from_state=current.value,
        to_state=target.value,
        actor_id=actor.id,
        note=note,
        for_owner=bool(for_owner and note),
    )
    db.session.add(event)
    owners = list(
        db.session.scalars(select(User).where(User.enterprise_id == referral.enterprise_id))
    )
    handler = parties.handler
    notify(
        owners,
        f"您与“{parties.target.zh}”的对接状态：{target.label.zh}"
        + (f"（由“{handler.zh}”跟进）" if handler is not None else ""),
        f"Your referral to {parties.target.en}: {target.label.en}"
        + (f" (followed up by {handler.en})" if handler is not None else ""),
        "/enterprise/referrals",
    )
    db.session.flush()
    return event


def record_reassessment(assessment: Assessment, actor: User) -> list[Referral]:
    """Close the loop: the firm's referrals at 已完成 move to 已复评 with ``assessment`` (the
    post-project assessment, just submitted) as their re-assessment, and the centre's staff
    are told in the app. Called by the submit service in the same transaction (not committed).

    Only referrals completed on an earlier assessment move: a firm's first assessment cannot
    re-assess a project it has not had yet.
    """
    completed = list(
        db.session.scalars(
            select(Referral).where(
                Referral.enterprise_id == assessment.enterprise_id,
                Referral.state == ReferralState.COMPLETED.value,
                Referral.assessment_id != assessment.id,
            )
        )
    )
    parties = parties_of(completed)
    for referral in completed:
        referral.state = ReferralState.REASSESSED.value
        referral.reassessment_id = assessment.id
        _record_step(
            referral,
            ReferralState.COMPLETED,
            ReferralState.REASSESSED,
            actor,
            "",
            False,
            parties[referral.id],
        )
        target = parties[referral.id].target
        notify(
            _centre_staff(referral.centre_id),
            f"{target.zh} 项目已复评",
            f"Post-project assessment submitted for the referral to {target.en}",
            f"/centre/referrals?all=1#r-{referral.public_id}",
        )
    return completed


def referral_mails(event_id: int, base_url: str) -> list[OutgoingMail]:
    """The mails telling the enterprise's active users about one referral step: new state,
    the centre following it up when that is not the target (``Parties``), the note when staff
    marked it for the owner, a link to the owner's referral page; each in the recipient's
    language. Empty when the event is gone."""
    event = db.session.get(ReferralEvent, event_id)
    referral = db.session.get(Referral, event.referral_id) if event is not None else None
    if event is None or referral is None:
        return []
    parties = parties_of([referral])[referral.id]
    state = ReferralState(event.to_state)
    users = db.session.scalars(
        select(User).where(User.enterprise_id == referral.enterprise_id, User.active.is_(True))
    )
    out = []
    for user in users:
        lang = language_of(user)
        out.append(
            compose(
                "referral_progress",
                user.email,
                lang,
                user=user,
                target=parties.target.for_locale(lang),
                handler=parties.handler.for_locale(lang) if parties.handler is not None else "",
                state=state.label.for_locale(lang),
                note=event.note if event.for_owner else "",
                link=link("/enterprise/referrals", base_url),
            )
        )
    return out


def owner_notes(referral_ids: list[int]) -> dict[int, list[ReferralEvent]]:
    """The steps whose note staff marked for the owner, per referral id, oldest first."""
    out: dict[int, list[ReferralEvent]] = {}
    rows = db.session.scalars(
        select(ReferralEvent)
        .where(ReferralEvent.referral_id.in_(referral_ids), ReferralEvent.for_owner.is_(True))
        .order_by(ReferralEvent.id)
    )
    for event in rows:
        out.setdefault(event.referral_id, []).append(event)
    return out


def reassessment_ids(referrals: list[Referral]) -> dict[int, str]:
    """Assessment id -> public id of the re-assessments these referrals name (for links)."""
    ids = [r.reassessment_id for r in referrals if r.reassessment_id is not None]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Assessment.id, Assessment.public_id).where(Assessment.id.in_(ids))
    )
    return {row.id: row.public_id for row in rows}


def enterprise_referrals(actor: User) -> list[Referral]:
    if actor.enterprise_id is None:
        return []
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.enterprise_id == actor.enterprise_id)
            .order_by(Referral.created_at.desc())
        )
    )


def centre_queue(actor: User, open_only: bool = True) -> list[tuple[Referral, str]]:
    """The centre's referrals with enterprise names, open ones first by age."""
    query = (
        select(Referral, Enterprise.name)
        .join(Enterprise, Enterprise.id == Referral.enterprise_id)
        .where(Referral.centre_id == actor.centre_id, Referral.centre_id.is_not(None))
        .order_by(Referral.created_at)
    )
    if open_only:
        query = query.where(Referral.state.in_(OPEN_VALUES))
    return [(r, name) for r, name in db.session.execute(query)]


@dataclass(frozen=True)
class Contact:
    """Who to call at an enterprise (from its profile; empty strings where not given)."""

    name: str
    phone: str
    email: str


def contacts_of(enterprise_ids: list[int]) -> dict[int, Contact]:
    """The contact person of each enterprise, by id (the queue shows them to its centre)."""
    rows = db.session.execute(
        select(
            Enterprise.id,
            Enterprise.contact_name,
            Enterprise.contact_phone,
            Enterprise.contact_email,
        ).where(Enterprise.id.in_(enterprise_ids))
    )
    return {row.id: Contact(row.contact_name, row.contact_phone, row.contact_email) for row in rows}


def open_referral_count(centre_id: int | None) -> int:
    return int(
        db.session.scalar(
            select(func.count(Referral.id)).where(
                Referral.centre_id == centre_id,
                Referral.state.in_(OPEN_VALUES),
            )
        )
        or 0
    )


def events_of(referral_ids: list[int]) -> dict[int, list[ReferralEvent]]:
    out: dict[int, list[ReferralEvent]] = {}
    rows = db.session.scalars(
        select(ReferralEvent)
        .where(ReferralEvent.referral_id.in_(referral_ids))
        .order_by(ReferralEvent.id)
    )
    for event in rows:
        out.setdefault(event.referral_id, []).append(event)
    return out


def notifications_for(actor: User, limit: int = 10) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == actor.id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def referrals_by_target(assessment: Assessment) -> dict[str, Referral]:
    """Target code -> the assessment's referral to it (the latest, when it asked more than
    once)."""
    rows = db.session.scalars(
        select(Referral).where(Referral.assessment_id == assessment.id).order_by(Referral.id)
    )
    return {referral.target_code: referral for referral in rows}
