"""Password rules and password hashing (OWASP ASVS 4.0 V2.1 and V2.4).

Rules (V2.1): at least ``MIN_LENGTH`` and at most ``MAX_LENGTH`` characters, any characters
allowed and none required (no composition rules, V2.1.9), never truncated, and not one of the
19,640 common or breached passwords packaged in ``webapp/data/common-passwords.txt.gz``
(V2.1.7; checked offline). Also refused (review finding 15): control characters; a password that
is one unit of up to 4 characters repeated (``aaaaaaaaaaaa``, ``你好你好...``); a run along the
alphabet, the digits or a keyboard row, forwards or backwards (``123456789012``,
``qwertyuiopas``); and a common password with digits or symbols appended, also after undoing
common letter substitutions (``P@ssw0rd2026``, ``iloveyou1234``).

Hashing (V2.4): Argon2id with OWASP's minimum parameters (19 MiB memory, 2 iterations, 1 lane;
OWASP Password Storage Cheat Sheet), a random 16-byte salt per hash. Accounts created before
Argon2id carry Werkzeug ``scrypt:`` or ``pbkdf2:`` hashes; those still verify, and
``verify_password`` says when to store a fresh Argon2id hash (done at the next login).
"""

from __future__ import annotations

import gzip
import re
import unicodedata
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


#: Runs a password must not follow (checked cyclically, forwards and backwards).
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "!@#$%^&*()",
)
#: Common letter substitutions undone before the list is consulted again.
_LEET = str.maketrans(
    {"@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s", "5": "s", "7": "t"}
)
_SUFFIX = "0123456789!@#$%^&*()-_=+.,;:?~ "


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
        the packaged common/breached list (compared in lower case, also with appended digits
        or symbols removed and common substitutions undone), made of control characters, or a
        repeated unit or keyboard/alphabet run (``_is_pattern``).
    """
    collapsed = re.sub(" {2,}", " ", password)
    if len(collapsed) < MIN_LENGTH or len(password) > MAX_LENGTH:
        raise InvalidInputError(
            "password", _("密码长度须为 %(lo)d 至 %(hi)d 个字符。", lo=MIN_LENGTH, hi=MAX_LENGTH)
        )
    if any(unicodedata.category(ch) == "Cc" for ch in password):
        raise InvalidInputError("password", _("密码不能包含控制字符。"))
    lowered = password.lower()
    if email and lowered == email.strip().lower():
        raise InvalidInputError("password", _("密码不能与电子邮箱相同。"))
    if _is_pattern(lowered):
        raise InvalidInputError(
            "password",
            _("该密码是重复或连续的字符（如 aaaa、1234、qwerty），请换一个更独特的密码。"),
        )
    if _is_common(lowered):
        raise InvalidInputError(
            "password", _("该密码过于常见或已在泄露的数据中出现，请换一个更独特的密码。")
        )


def _is_pattern(lowered: str) -> bool:
    """Whether ``lowered`` repeats a unit of 1-4 characters, or runs along ``SEQUENCES``."""
    size = len(lowered)
    for unit in range(1, 5):
        if size % unit == 0 and lowered == lowered[:unit] * (size // unit):
            return True
    for seq in SEQUENCES:
        cycle = seq * (size // len(seq) + 2)
        if lowered in cycle or lowered[::-1] in cycle:
            return True
    return False


def _is_common(lowered: str) -> bool:
    """Whether ``lowered``, or its stem without appended digits/symbols, is in the list."""
    listed = common_passwords()
    stem = lowered.rstrip(_SUFFIX)
    candidates = {lowered, lowered.translate(_LEET)}
    if len(stem) >= 4:
        candidates |= {stem, stem.translate(_LEET)}
    return any(c in listed for c in candidates)


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
