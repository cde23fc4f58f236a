"""Administrator settings, with every change in the audit log."""

from __future__ import annotations

from dataclasses import asdict

from flask_babel import gettext as _

from assessment.costs import CostShares
from models import Setting, User
from webapp.extensions import db
from webapp.services import audit
from webapp.services.errors import InvalidInputError

COST_SHARES = "cost_shares"


def cost_shares() -> CostShares:
    """The current cost-sharing percentages (the defaults until an administrator sets them)."""
    row = db.session.get(Setting, COST_SHARES)
    return CostShares(**row.value) if row else CostShares()


def set_cost_shares(actor: User, centre: float, government: float, enterprise: float) -> CostShares:
    """Change the cost-sharing percentages.

    Raises
    ------
    InvalidInputError
        Negative values or a total other than 100 (field ``enterprise``).
    """
    try:
        shares = CostShares(centre, government, enterprise)
    except ValueError:
        raise InvalidInputError("enterprise", _("三个比例须为非负数，合计 100。")) from None
    row = db.session.get(Setting, COST_SHARES)
    before = row.value if row else asdict(CostShares())
    if row is None:
        db.session.add(Setting(key=COST_SHARES, value=asdict(shares)))
    else:
        row.value = asdict(shares)
    audit.record(
        actor, "setting", COST_SHARES, "update", {"before": before, "after": asdict(shares)}
    )
    db.session.commit()
    return shares
