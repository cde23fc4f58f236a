"""Enterprise bulk import: register many enterprises from one Excel or CSV file, all or nothing.

An enabling centre or the administrator often starts from a list of the region's above-scale
enterprises. Every row is checked first (USCC check character per GB 32100-2015, GB/T
4754-2017 manufacturing division, town, production type, employees and revenue within range,
an existing enabling-centre code, no USCC twice in the file or already registered); any bad
row is reported with its row number and reason and nothing is written. A clean file is added
in one transaction, with one audit-log row per enterprise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from assessment.classification import (
    MANUFACTURING_DIVISIONS,
    TOWN_CODES,
)
from assessment.errors import InvalidUSCCError
from assessment.text import text_problem
from assessment.types import ProductionType
from assessment.uscc import make_uscc, validate_uscc
from models import EnablingCentre, Enterprise, User
from webapp.extensions import db
from webapp.services import audit, snapshots
from webapp.services.centres import assign_centre
from webapp.services.tabular_import import ImportRefused, RowError, read_sheets

SHEET = "enterprises"
FIELDS = (
    "uscc",
    "name",
    "industry_code",
    "production_type",
    "town",
    "employees",
    "revenue_wan",
    "centre",
)
MAX_EMPLOYEES = 1_000_000
MAX_REVENUE_WAN = 100_000_000.0  # 1 万亿元: above any manufacturer's annual revenue


@dataclass(frozen=True)
class EnterpriseRow:
    """One checked row. ``revenue_wan`` is annual revenue in 万元 (10,000 CNY)."""

    uscc: str
    name: str
    industry_code: str
    production_type: str
    town: str
    employees: int
    revenue_wan: float
    centre: str


def _text(raw: Any) -> str:
    return "" if raw is None else str(raw).strip()


def parse_row(raw: dict[str, Any]) -> EnterpriseRow:
    """Check one row; raises ``ValueError`` with the reason (English, for the row list)."""
    try:
        uscc = validate_uscc(_text(raw.get("uscc")))
    except InvalidUSCCError as exc:
        raise ValueError(f"uscc: {exc.reason_en}") from None
    name = _text(raw.get("name"))
    if not name or len(name) > 200 or text_problem(name) is not None:
        raise ValueError(
            "name: 1 to 200 characters, no control, direction-changing or only invisible characters"
        )
    industry = _text(raw.get("industry_code")).upper()
    if industry not in MANUFACTURING_DIVISIONS:
        raise ValueError(f"industry_code: {industry or 'empty'} is not a division C13-C43")
    ptype = _text(raw.get("production_type")).lower()
    if ptype not in {p.value for p in ProductionType}:
        raise ValueError(f"production_type: one of {', '.join(p.value for p in ProductionType)}")
    town = _text(raw.get("town")).lower()
    if town not in TOWN_CODES:
        raise ValueError(f"town: unknown town code {town or 'empty'}")
    employees = _number(raw.get("employees"), "employees", 0, MAX_EMPLOYEES)
    if employees != int(employees):
        raise ValueError("employees: a whole number")
    revenue = _number(raw.get("revenue_wan"), "revenue_wan", 0, MAX_REVENUE_WAN)
    return EnterpriseRow(
        uscc, name, industry, ptype, town, int(employees), revenue, _text(raw.get("centre"))
    )


def _number(raw: Any, field: str, low: float, high: float) -> float:
    if isinstance(raw, bool):
        raise ValueError(f"{field}: a number")
    try:
        value = float(str(raw).replace(",", "").strip()) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{field}: a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{field}: from {low:g} to {high:g}")
    return value


def import_enterprises(actor: User, data: bytes, filename: str) -> int:
    """Check every row of the file, then add all enterprises in one transaction.

    Parameters
    ----------
    data, filename : the uploaded file (.xlsx with a sheet ``enterprises``, or .csv), columns
        ``uscc, name, industry_code, production_type, town, employees, revenue_wan, centre``
        (``centre``: an enabling-centre code; empty: the centre responsible for the cluster
        and town, ``centres.assign_centre``).

    Returns
    -------
    int
        The number of enterprises added.

    Raises
    ------
    ImportRefused
        The file is unreadable, too large, of the wrong type, empty, or any row is bad; each
        error names its row (the header is row 1). Nothing is written.
    """
    rows = read_sheets(data, filename, [SHEET], SHEET).get(SHEET, [])
    if not rows:
        raise ImportRefused([RowError(SHEET, 0, "the file has no enterprise rows")])
    centres = dict(db.session.execute(select(EnablingCentre.code, EnablingCentre.id)).all())
    errors: list[RowError] = []
    parsed: list[EnterpriseRow] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows, start=2):
        unknown = set(raw) - set(FIELDS) - {""}
        try:
            if unknown:
                raise ValueError(f"unknown columns: {', '.join(sorted(map(str, unknown)))}")
            row = parse_row(raw)
            if row.centre and row.centre not in centres:
                raise ValueError(f"centre: unknown enabling centre {row.centre}")
            if row.uscc in seen:
                raise ValueError(f"uscc: {row.uscc} also on row {seen[row.uscc]}")
        except ValueError as exc:
            errors.append(RowError(SHEET, number, str(exc)))
            continue
        seen[row.uscc] = number
        parsed.append(row)
    registered = set(db.session.scalars(select(Enterprise.uscc).where(Enterprise.uscc.in_(seen))))
    errors += [RowError(SHEET, seen[u], f"uscc: {u} is already registered") for u in registered]
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.row))
    now = datetime.now(UTC)
    for row in parsed:
        columns = snapshots.enterprise_columns(
            row.industry_code, row.production_type, row.town, row.employees, row.revenue_wan
        )
        enterprise = Enterprise(
            uscc=row.uscc,
            name=row.name,
            centre_id=centres.get(row.centre),
            confirmed_at=now,
            confirmation="import",  # added by an administrator: counts in statistics
            **columns,
        )
        assign_centre(enterprise)  # no centre in the file: the responsible one
        db.session.add(enterprise)
        audit.record(actor, "enterprise", row.uscc, "import", {"source": filename})
    db.session.commit()
    return len(parsed)


#: Example rows of the template file (USCC without its check character, added below; "EX"
#: marks them as examples, a registration-authority code no real or demo enterprise uses).
TEMPLATE_ROWS: tuple[tuple[object, ...], ...] = (
    ("91441900EX0000001", "东莞市示例家具有限公司", "C21", "discrete", "houjie", 120, 3500, ""),
    ("91441900EX0000002", "东莞市示例压铸有限公司", "C33", "process", "changan", 45, 1800.5, ""),
)


def template_table() -> tuple[list[str], list[list[object]]]:
    """Header (the field codes the import reads) and example rows of the downloadable template.

    The example USCCs carry valid check characters (GB 32100-2015) so the file imports as is.
    """
    rows = [[make_uscc(str(r[0])), *r[1:]] for r in TEMPLATE_ROWS]
    return list(FIELDS), rows
