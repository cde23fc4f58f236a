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
