"""Administrators manage accounts: find users, open staff and officer accounts (the person sets
the password through a mailed link), attach staff to a centre, deactivate and reactivate.

The set-password link is the password-reset token (``accounts.reset_mail`` with purpose
``"invite"``), valid ``SET_PASSWORD_TTL``. Every change writes an audit row (entity ``user``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from assessment.localised import Localised
from models import EnablingCentre, Role, User, utcnow
from webapp.extensions import db
from webapp.jobs import enqueue
from webapp.services import audit
from webapp.services.accounts import new_session_token, normalise_email
from webapp.services.errors import InvalidInputError, NotFoundError
from webapp.services.passwords import hash_password

#: How long the set-password link of a new account works.
SET_PASSWORD_TTL = timedelta(days=7)
#: Roles an administrator opens accounts for (enterprise users register themselves).
CREATABLE_ROLES = (Role.CENTRE_STAFF.value, Role.GOVERNMENT.value, Role.ADMIN.value)
#: Labels of the account roles, Chinese first.
ROLE_LABELS = {
    Role.ENTERPRISE.value: Localised("企业用户", "Enterprise user"),
    Role.CENTRE_STAFF.value: Localised("赋能中心人员", "Centre staff"),
    Role.GOVERNMENT.value: Localised("政府部门人员", "Government officer"),
    Role.ADMIN.value: Localised("管理员", "Administrator"),
}
#: Most users one search lists.
LIST_LIMIT = 200


@dataclass(frozen=True)
class NewAccount:
    """An account to open: ``centre_code`` is required for centre staff and only for them;
    ``locale`` (``zh``/``en``) is the language of the invitation mail."""

    email: str
    display_name: str
    role: str
    centre_code: str = ""
    locale: str = "zh"


def find_users(query: str = "") -> list[User]:
    """Users whose e-mail or name contains ``query`` (case-insensitive), newest first, at most
    ``LIST_LIMIT``."""
    statement = select(User).order_by(User.id.desc()).limit(LIST_LIMIT)
    text = query.strip().lower()
    if text:
        pattern = f"%{text}%"
        statement = statement.where(
            or_(func.lower(User.email).like(pattern), func.lower(User.display_name).like(pattern))
        )
    return list(db.session.scalars(statement))


def active_centres() -> list[EnablingCentre]:
    """The centres staff can be attached to (not retired), by code."""
    return list(
        db.session.scalars(
            select(EnablingCentre)
            .where(EnablingCentre.retired.is_(False))
            .order_by(EnablingCentre.code)
        )
    )


def _centre_id(role: str, centre_code: str) -> int | None:
    if role != Role.CENTRE_STAFF.value:
        if centre_code:
            raise InvalidInputError("centre", _("只有赋能中心人员可以关联赋能中心。"))
        return None
    centre = db.session.scalar(
        select(EnablingCentre).where(
            EnablingCentre.code == centre_code, EnablingCentre.retired.is_(False)
        )
    )
    if centre is None:
        raise InvalidInputError("centre", _("请为赋能中心人员选择所属赋能中心。"))
    return centre.id


def create_account(actor: User, account: NewAccount, base_url: str) -> User:
    """Open a staff, officer or administrator account and mail its set-password link. The
    account has no usable password until the link is used. Audited; commits.

    Raises
    ------
    InvalidInputError
        Field ``role``: not in ``CREATABLE_ROLES``. Field ``centre``: staff without an active
        centre, or a centre for another role. Field ``email``: already registered.
    """
    if account.role not in CREATABLE_ROLES:
        raise InvalidInputError("role", _("请选择角色。"))
    centre_id = _centre_id(account.role, account.centre_code)
    email = normalise_email(account.email)
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise InvalidInputError("email", _("该电子邮箱已注册。"))
    user = User(
        email=email,
        display_name=account.display_name.strip(),
        role=account.role,
        centre_id=centre_id,
        locale=account.locale,
        # Nobody knows this password: the person sets one through the mailed link.
        password_hash=hash_password(secrets.token_urlsafe(32)),
        session_token=new_session_token(),
    )
    db.session.add(user)
    db.session.flush()
    _audit(actor, user, "created", {"role": user.role, "centre": account.centre_code})
    db.session.commit()
    send_set_password_link(actor, user.id, base_url)
    return user


def send_set_password_link(actor: User, user_id: int, base_url: str) -> User:
    """(Re)send the account's set-password invitation mail (job ``password_reset_mail``).

    Raises
    ------
    NotFoundError
        No such user.
    InvalidInputError
        Field ``user``: the account is deactivated.
    """
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFoundError(str(user_id))
    if not user.active:
        raise InvalidInputError("user", _("账户已停用，请先重新启用。"))
    enqueue(
        "password_reset_mail",
        {
            "user_id": user.id,
            "ttl_seconds": int(SET_PASSWORD_TTL.total_seconds()),
            "issued_at": utcnow().isoformat(),
            "base_url": base_url,
            "purpose": "invite",
        },
        actor_id=actor.id,
    )
    _audit(actor, user, "invitation_sent", {})
    db.session.commit()
    return user


def update_account(actor: User, user_id: int, centre_code: str | None, active: bool | None) -> User:
    """Attach a staff member to another centre (``centre_code``) and/or deactivate or
    reactivate an account (``active``); ``None`` leaves that part alone. A deactivated account's
    sessions end at once. Audited; commits.

    Raises
    ------
    NotFoundError
        No such user.
    InvalidInputError
        Field ``centre``: as ``create_account``. Field ``active``: the actor deactivating
        their own account (an administrator cannot lock themselves out).
    """
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFoundError(str(user_id))
    if centre_code is not None:
        user.centre_id = _centre_id(user.role, centre_code)
        _audit(actor, user, "centre_changed", {"centre": centre_code})
    if active is not None and active != user.active:
        if not active and user.id == actor.id:
            raise InvalidInputError("active", _("不能停用自己的账户。"))
        user.active = active
        user.session_token = new_session_token()
        _audit(actor, user, "reactivated" if active else "deactivated", {})
    db.session.commit()
    return user


def _audit(actor: User, user: User, action: str, detail: dict[str, str]) -> None:
    audit.record(actor, "user", user.email, action, detail)
