"""Which enterprises count in government statistics: the confirmation rule.

A firm counts once it is *confirmed*. The confirmations available today:

* ``"import"`` - added by an administrator (bulk import, ``enterprise_import``), or generated
  as demo data, which stands for such an import;
* ``"validation"`` - registered by its owner and its stage validated by centre staff
  (``validation.validate_stage``), who have met the firm;
* ``"claim"`` - an approved ownership claim on a firm that had no users
  (``claims.decide_claim``).

Self-registered firms waiting for one of these are counted apart (one number per release,
``summary["pending"]``), never in a cell: open registration cannot pad a cell with fake firms
(security review, finding 1b).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models import Enterprise

#: The ways a firm is confirmed (stored in ``enterprise.confirmation``).
CONFIRMATIONS = ("import", "validation", "claim")


def confirm(enterprise: Enterprise, how: str, at: datetime | None = None) -> None:
    """Mark ``enterprise`` confirmed by ``how`` (one of ``CONFIRMATIONS``) at ``at`` (default:
    now, UTC). A firm already confirmed keeps its first confirmation. Does not commit: the
    calling service's unit of work does.

    Raises ``ValueError`` for an unknown ``how``.
    """
    if how not in CONFIRMATIONS:
        raise ValueError(f"unknown confirmation {how!r}")
    if enterprise.confirmed_at is None:
        enterprise.confirmed_at = at or datetime.now(UTC)
        enterprise.confirmation = how


def is_confirmed() -> Any:
    """SQL condition: the enterprise counts in government statistics."""
    return Enterprise.confirmed_at.is_not(None)
