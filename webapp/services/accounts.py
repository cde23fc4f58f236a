"""Accounts: registration, authentication, session tokens and password reset.

Password rules and hashing live in ``webapp/services/passwords.py``; who may call which page
in ``webapp/access.py``. These functions take explicit arguments and commit once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from models import PasswordResetToken, Role, User, utcnow
from webapp.extensions import db
from webapp.jobs import enqueue
from webapp.services.errors import InvalidInputError, NotFoundError
from webapp.services.mail import MAIL_LANGUAGES, OutgoingMail, compose, language_of, link
from webapp.services.passwords import (
    DUMMY_HASH,
    check_password_rules,
    hash_password,
    verify_password,
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def new_session_token() -> str:
    """32 random bytes, hex (64 characters)."""
    return secrets.token_hex(32)


def register_user(
    email: str,
    password: str,
    display_name: str,
    role: Role = Role.ENTERPRISE,
    locale: str | None = None,
    consent_version: str | None = None,
) -> User:
    """Create an account; the password is checked by the rules and stored as an Argon2id hash.
    ``locale`` (``zh`` or ``en``; the page language at registration) is the language of the
    user's mails. ``consent_version`` is the privacy notice version the person agreed to when
    registering (recorded with the time); None for accounts an administrator creates.

    Raises
    ------
    InvalidInputError
        ``email`` is already registered (field ``email``), or the password breaks the rules of
        ``passwords.check_password_rules`` (field ``password``).
    """
    email = normalise_email(email)
    check_password_rules(password, email)
    exists = db.session.scalar(select(func.count()).where(User.email == email))
    if exists:
        raise InvalidInputError("email", _("该电子邮箱已注册，请直接登录。"))
    user = User(
        email=email,
        password_hash=hash_password(password),
        display_name=display_name.strip(),
        role=role.value,
        locale=locale,
        session_token=new_session_token(),
        consent_version=consent_version,
        consented_at=utcnow() if consent_version is not None else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def email_registered(email: str) -> bool:
    """Whether an account with this e-mail exists (for the invitation page, reached only with
    the invitation's token, which already names the address)."""
    found = db.session.scalar(select(func.count()).where(User.email == normalise_email(email)))
    return bool(found)


def set_mail_language(user_id: int, locale: str) -> None:
    """Store ``locale`` (``zh`` or ``en``; anything else is ignored) as the language of the
    account's mails and of its pages when the session has no choice."""
    user = db.session.get(User, user_id)
    if user is not None and locale in MAIL_LANGUAGES and user.locale != locale:
        user.locale = locale
        db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or ``None`` (never says which was wrong).

    An unknown e-mail costs the same hash computation as a wrong password. A correct password
    stored under a legacy or weaker hash is re-hashed with Argon2id; an account without a
    session token gets one.
    """
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        verify_password(DUMMY_HASH, password)
        return None
    matches, needs_rehash = verify_password(user.password_hash, password)
    if not matches or not user.active:
        return None
    if needs_rehash:
        user.password_hash = hash_password(password)
    if not user.session_token:
        user.session_token = new_session_token()
    db.session.commit()
    return user


def user_for_session(session_id: str) -> User | None:
    """The user a session or remember cookie names (``"<id>:<session token>"``), if the token
    is still the account's current one and the account is active."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not user.session_token:
        return None
    return user if hmac.compare_digest(user.session_token, token) else None


def end_sessions(user_id: int) -> None:
    """Replace the account's session token: every session and remember cookie issued so far
    stops working (logout, password reset)."""
    user = db.session.get(User, user_id)
    if user is not None:
        user.session_token = new_session_token()
        db.session.commit()


def token_digest(token: str) -> str:
    """The SHA-256 hex digest stored for a mailed token (reset links, invitations)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


#: Unused, unexpired reset links an account may hold at once.
MAX_LIVE_RESET_LINKS = 3


def request_password_reset(
    email: str, ttl: timedelta, now: datetime | None = None, base_url: str | None = None
) -> bool:
    """Have a single-use reset link mailed to the account, if the account exists and is active.

    Only a background job (``password_reset_mail``) makes the token and sends it, so the token
    itself is never stored (only its SHA-256 digest) and the request never waits for the mail
    server. ``base_url`` is the address the request came to, used for the link when
    ``PUBLIC_BASE_URL`` is not configured. The caller shows the same message either way, so
    the answer never reveals whether an account exists. Returns whether a mail was queued (for
    tests and logs only).
    """
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        return False
    issued = now or utcnow()
    live = db.session.scalar(
        select(func.count()).where(
            PasswordResetToken.user_id == user.id,
            PasswordResetToken.used_at.is_(None),
            PasswordResetToken.expires_at > issued,
        )
    )
    if (live or 0) >= MAX_LIVE_RESET_LINKS:
        # Requests from many addresses cannot flood one outbox (review finding 18); the owner
        # still holds the live links already sent, and the answer does not change.
        return False
    enqueue(
        "password_reset_mail",
        {
            "user_id": user.id,
            "ttl_seconds": int(ttl.total_seconds()),
            "issued_at": issued.isoformat(),
            "base_url": base_url or "",
        },
        actor_id=None,
    )
    return True


def reset_mail(
    user_id: int, ttl_seconds: int, issued_at: str, base_url: str, purpose: str = "reset"
) -> OutgoingMail | None:
    """Make a reset token for the user (its digest stored, valid ``ttl_seconds`` from
    ``issued_at``, an ISO 8601 UTC time) and the mail that carries its link, in the user's
    language. ``purpose`` is ``"reset"`` (a forgotten password) or ``"invite"`` (an account an
    administrator opened: the same link sets the first password). ``None`` when the account is
    gone or deactivated. Commits the token."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    token = secrets.token_urlsafe(32)
    issued = as_utc(datetime.fromisoformat(issued_at))
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=token_digest(token),
            created_at=issued,
            expires_at=issued + timedelta(seconds=ttl_seconds),
        )
    )
    db.session.commit()
    return compose(
        "account_invite" if purpose == "invite" else "password_reset",
        user.email,
        language_of(user),
        user=user,
        days=max(1, ttl_seconds // 86400),
        minutes=ttl_seconds // 60,
        link=link(f"/auth/reset/{token}", base_url),
    )


def _live_token(token: str, now: datetime) -> PasswordResetToken:
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == token_digest(token))
    )
    if row is None or row.used_at is not None or as_utc(row.expires_at) <= now:
        raise NotFoundError("reset token")
    return row


def as_utc(moment: datetime) -> datetime:
    """``moment`` with the UTC zone: SQLite gives back naive datetimes; every stored time
    is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def check_reset_token(token: str, now: datetime | None = None) -> None:
    """Raises ``NotFoundError`` when the token is unknown, used or expired (not told apart)."""
    _live_token(token, now or utcnow())


def reset_password(token: str, new_password: str, now: datetime | None = None) -> User:
    """Set a new password with a reset token; the token and every other open token of the
    account are used up, and every existing session of the account ends.

    Raises
    ------
    NotFoundError
        The token is unknown, used or expired.
    InvalidInputError
        The new password breaks the rules (field ``password``).
    """
    moment = now or utcnow()
    row = _live_token(token, moment)
    user = db.session.get(User, row.user_id)
    assert user is not None
    check_password_rules(new_password, user.email)
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=moment)
    )
    db.session.commit()
    return user
