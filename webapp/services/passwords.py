"""Password rules and password hashing (OWASP ASVS 4.0 V2.1 and V2.4).

Rules (V2.1): at least ``MIN_LENGTH`` and at most ``MAX_LENGTH`` characters, any characters
allowed and none required (no composition rules, V2.1.9), never truncated, and not one of the
19,640 common or breached passwords packaged in ``webapp/data/common-passwords.txt.gz``
(V2.1.7; checked offline).

Hashing (V2.4): Argon2id with OWASP's minimum parameters (19 MiB memory, 2 iterations, 1 lane;
OWASP Password Storage Cheat Sheet), a random 16-byte salt per hash. Accounts created before
Argon2id carry Werkzeug ``scrypt:`` or ``pbkdf2:`` hashes; those still verify, and
``verify_password`` says when to store a fresh Argon2id hash (done at the next login).
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from werkzeug.security import check_password_hash

from webapp.services.errors import InvalidInputError

MIN_LENGTH = 12  # ASVS 2.1.1
MAX_LENGTH = 128  # ASVS 2.1.2
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_LEGACY_PREFIXES = ("scrypt:", "pbkdf2:")


@cache
def common_passwords() -> frozenset[str]:
    """The packaged list, lower case (19,640 entries)."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


def check_password_rules(password: str, email: str = "") -> None:
    """Refuse a new password that breaks the rules.

    Raises
    ------
    InvalidInputError
        Field ``password``: shorter than ``MIN_LENGTH`` or longer than ``MAX_LENGTH`` characters
        (spaces count once when repeated, ASVS 2.1.1), equal to the e-mail address, or found in
        the packaged common/breached list (compared in lower case).
    """
    collapsed = re.sub(" {2,}", " ", password)
    if len(collapsed) < MIN_LENGTH or len(password) > MAX_LENGTH:
        raise InvalidInputError(
            "password", _("密码长度须为 %(lo)d 至 %(hi)d 个字符。", lo=MIN_LENGTH, hi=MAX_LENGTH)
        )
    lowered = password.lower()
    if email and lowered == email.strip().lower():
        raise InvalidInputError("password", _("密码不能与电子邮箱相同。"))
    if lowered in common_passwords():
        raise InvalidInputError(
            "password", _("该密码过于常见或已在泄露的数据中出现，请换一个更独特的密码。")
        )


def hash_password(password: str) -> str:
    """An Argon2id hash in PHC string format (``$argon2id$v=19$m=19456,t=2,p=1$...``)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> tuple[bool, bool]:
    """Check ``password`` against ``stored_hash``.

    Returns
    -------
    (matches, needs_rehash) : tuple of bool
        ``needs_rehash`` is true when the password matches a legacy Werkzeug hash or an Argon2
        hash with weaker parameters than ``hash_password`` uses now.
    """
    if stored_hash.startswith(_LEGACY_PREFIXES):
        return check_password_hash(stored_hash, password), True
    try:
        _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False, False
    return True, _HASHER.check_needs_rehash(stored_hash)


#: Compared against when no account has the e-mail, so that both cases take the same time.
DUMMY_HASH = hash_password("no-account-has-this-password")
