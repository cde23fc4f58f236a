"""Accounts: registration and authentication."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from models import Role, User
from webapp.extensions import db
from webapp.services.errors import InvalidInputError

# A constant hash to compare against when the account does not exist, so that a login attempt
# for an unknown e-mail takes as long as one with a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def register_user(
    email: str, password: str, display_name: str, role: Role = Role.ENTERPRISE
) -> User:
    """Create an account; the password is stored as a salted scrypt hash.

    Raises
    ------
    InvalidInputError
        ``email`` is already registered (field ``email``).
    """
    email = normalise_email(email)
    exists = db.session.scalar(select(func.count()).where(User.email == email))
    if exists:
        raise InvalidInputError("email", _("该电子邮箱已注册，请直接登录。"))
    user = User(
        email=email,
        password_hash=generate_password_hash(password),
        display_name=display_name.strip(),
        role=role.value,
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or ``None`` (never says which was wrong)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user
