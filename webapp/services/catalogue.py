"""The catalogue in the database, as the pure ``assessment.catalogue`` values matching needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass
from enum import Enum
from typing import Any

from sqlalchemy import func, select

from assessment.catalogue import (
    Catalogue,
    centre_from_mapping,
    provider_from_mapping,
    solution_from_mapping,
)
from assessment.types import Stage
from models import EnablingCentre, ServiceProvider, Solution
from webapp.extensions import db

#: The columns of each catalogue table as the catalogue parsers and the import/export sheets
#: name them, in sheet order (a solution's ``provider`` is its provider's code).
CENTRE_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "centre_type",
    "clusters",
    "towns",
    "dimensions",
    "gates",
    "capacity",
    "contact",
    "is_demo",
    "retired",
    "region_wide",
)
PROVIDER_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "provider_types",
    "software",
    "clusters",
    "towns",
    "contact",
    "is_demo",
    "retired",
)
SOLUTION_FIELDS = (
    "code",
    "provider",
    "name_zh",
    "name_en",
    "dimensions",
    "gates",
    "stages",
    "clusters",
    "production_types",
    "size_classes",
    "price_band",
    "delivery_weeks",
    "light_fast",
    "subsidy_eligible",
    "cloud_voucher",
    "retired",
    "capabilities",
    "scenarios",
    "price_model",
    "provider_discount",
    "in_pilot_directory",
    "cases",
)


def _row_dict(row: object, fields: tuple[str, ...]) -> dict[str, object]:
    return {f: getattr(row, f) for f in fields if f != "provider"}


def current_catalogue() -> Catalogue:
    """Every catalogue entry, retired ones included (matching leaves those out itself)."""
    providers = db.session.scalars(select(ServiceProvider).order_by(ServiceProvider.code)).all()
    code_of = {p.id: p.code for p in providers}
    solutions = db.session.scalars(select(Solution).order_by(Solution.code)).all()
    centres = db.session.scalars(select(EnablingCentre).order_by(EnablingCentre.code)).all()
    return Catalogue(
        centres=tuple(centre_from_mapping(_row_dict(c, CENTRE_FIELDS)) for c in centres),
        providers=tuple(provider_from_mapping(_row_dict(p, PROVIDER_FIELDS)) for p in providers),
        solutions=tuple(
            solution_from_mapping(
                _row_dict(s, SOLUTION_FIELDS) | {"provider": code_of[s.provider_id]}
            )
            for s in solutions
        ),
    )


def import_catalogue(catalogue: Catalogue) -> None:
    """Add every entry of a parsed catalogue (the caller commits)."""
    for c in catalogue.centres:
        db.session.add(EnablingCentre(**column_values(c, CENTRE_FIELDS)))
    ids: dict[str, ServiceProvider] = {}
    for p in catalogue.providers:
        row = ServiceProvider(**column_values(p, PROVIDER_FIELDS))
        db.session.add(row)
        ids[p.code] = row
    db.session.flush()
    for s in catalogue.solutions:
        db.session.add(
            Solution(provider_id=ids[s.provider].id, **column_values(s, SOLUTION_FIELDS))
        )


def column_values(entry: object, fields: Iterable[str]) -> dict[str, Any]:
    """The columns of a parsed catalogue entry or programme (the inverse of ``_row_dict``):
    field name -> value as the row stores it. Enums become their values (a stage its code,
    "S2"), sets sorted lists, tuples lists, dataclasses (a programme's steps) dicts of their
    fields. A solution's ``provider`` (a code) is left out: its row stores ``provider_id``.

    Raises
    ------
    AttributeError
        ``entry`` has no attribute of one of ``fields``.
    """
    return {f: _column_value(getattr(entry, f)) for f in fields if f != "provider"}


def _column_value(value: Any) -> Any:
    if isinstance(value, Stage):
        return value.code
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set):
        return sorted(_column_value(v) for v in value)
    if isinstance(value, tuple):
        return [_column_value(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _column_value(getattr(value, f.name)) for f in dataclass_fields(value)}
    return value


def centre_ids_by_code() -> dict[str, int]:
    return {
        code: id_
        for code, id_ in db.session.execute(select(EnablingCentre.code, EnablingCentre.id))
    }


def count_centres() -> int:
    return int(db.session.scalar(select(func.count(EnablingCentre.id))) or 0)


def count_providers() -> int:
    return int(db.session.scalar(select(func.count(ServiceProvider.id))) or 0)


def count_solutions() -> int:
    return int(db.session.scalar(select(func.count(Solution.id))) or 0)
