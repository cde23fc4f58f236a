"""User accounts and roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Role(StrEnum):
    """What a user may do; the access rules per role live in ``webapp/access.py``."""

    ENTERPRISE = "enterprise"  # 企业用户
    CENTRE_STAFF = "centre_staff"  # 赋能中心人员
    GOVERNMENT = "government"  # 政府部门人员
    ADMIN = "admin"  # 管理员


class MemberRole(StrEnum):
    """What an enterprise user may do in their own enterprise (``webapp/access.py`` applies it).

    The enterprise's first user is its owner (the "manage" right: invite and remove members,
    decide claims); colleagues join by invitation as editors (answer the questionnaire, ask for
    referrals) or viewers (read reports only).
    """

    OWNER = "owner"  # 负责人：可管理成员
    EDITOR = "editor"  # 编辑：可作答
    VIEWER = "viewer"  # 只读


class User(Base):
    """A person who logs in. Enterprise users belong to one enterprise, staff to one centre.

    The four properties below are the protocol Flask-Login expects; they are written out here so
    that the model does not import Flask.
    """

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20), default=Role.ENTERPRISE.value)
    locale: Mapped[str | None] = mapped_column(String(10))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"))
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("enabling_centre.id"))
    #: The user's right in their enterprise (``MemberRole``); meaningless for other roles.
    member_role: Mapped[str] = mapped_column(
        String(10), default=MemberRole.OWNER.value, server_default=MemberRole.OWNER.value
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Random value carried in the session and remember cookies; replacing it (logout, password
    #: reset) ends every session of the account, including copies of an old cookie.
    session_token: Mapped[str | None] = mapped_column(String(64))
    #: The privacy notice version the user last agreed to and when (UTC); None: never asked
    #: (accounts created by an administrator or the command line). ``webapp.services.privacy``
    #: holds the current version and asks an enterprise user again when it changes.
    consent_version: Mapped[str | None] = mapped_column(String(20))
    consented_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token or ''}"


class PasswordResetToken(Base):
    """A single-use, expiring password-reset token. Only its SHA-256 digest is stored here;
    the token itself travels once, in the link of an outbox notification."""

    __tablename__ = "password_reset_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Invitation(Base):
    """An owner's invitation of a colleague (by e-mail) into the enterprise with a member role.

    Only the SHA-256 digest of the link's token is stored; the mail job makes a new token on
    every (re)send, so an earlier link stops working. Valid until ``expires_at`` (7 days after
    the last send) and used once (``accepted_at``); ``revoked_at`` ends it early.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    member_role: Mapped[str] = mapped_column(String(10))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ClaimState(StrEnum):
    """Where a claim on an enterprise stands."""

    PENDING = "pending"  # 待审核
    APPROVED = "approved"  # 已批准
    REFUSED = "refused"  # 已拒绝


class EnterpriseClaim(Base):
    """A user's request to be attached to an enterprise already in the system, naming its USCC.

    Decided by the enterprise's owner when it has users, else by staff of its centre; the
    claimant gains nothing until it is approved.
    """

    __tablename__ = "enterprise_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    claimant_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    uscc: Mapped[str] = mapped_column(String(18))
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    state: Mapped[str] = mapped_column(String(10), default=ClaimState.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
