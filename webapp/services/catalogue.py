"""The catalogue in the database, as the pure ``assessment.catalogue`` values matching needs."""

from __future__ import annotations

from sqlalchemy import func, select

from assessment.catalogue import (
    Catalogue,
    centre_from_mapping,
    provider_from_mapping,
    solution_from_mapping,
)
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
        db.session.add(
            EnablingCentre(
                code=c.code,
                name_zh=c.name_zh,
                name_en=c.name_en,
                centre_type=c.centre_type.value,
                clusters=sorted(x.value for x in c.clusters),
                towns=sorted(c.towns),
                dimensions=sorted(c.dimensions),
                gates=sorted(c.gates),
                capacity=c.capacity,
                contact=c.contact,
                is_demo=c.is_demo,
                retired=c.retired,
                region_wide=c.region_wide,
            )
        )
    ids: dict[str, ServiceProvider] = {}
    for p in catalogue.providers:
        row = ServiceProvider(
            code=p.code,
            name_zh=p.name_zh,
            name_en=p.name_en,
            provider_types=sorted(t.value for t in p.provider_types),
            software=sorted(p.software),
            clusters=sorted(x.value for x in p.clusters),
            towns=sorted(p.towns),
            contact=p.contact,
            is_demo=p.is_demo,
            retired=p.retired,
        )
        db.session.add(row)
        ids[p.code] = row
    db.session.flush()
    for s in catalogue.solutions:
        db.session.add(
            Solution(
                code=s.code,
                provider_id=ids[s.provider].id,
                name_zh=s.name_zh,
                name_en=s.name_en,
                dimensions=sorted(s.dimensions),
                gates=sorted(s.gates),
                stages=sorted(x.code for x in s.stages),
                clusters=sorted(x.value for x in s.clusters),
                production_types=sorted(x.value for x in s.production_types),
                size_classes=sorted(x.value for x in s.size_classes),
                price_band=s.price_band,
                delivery_weeks=s.delivery_weeks,
                light_fast=s.light_fast,
                subsidy_eligible=s.subsidy_eligible,
                cloud_voucher=s.cloud_voucher,
                retired=s.retired,
                capabilities=sorted(s.capabilities),
                scenarios=sorted(s.scenarios),
                price_model=s.price_model,
                provider_discount=s.provider_discount,
                in_pilot_directory=s.in_pilot_directory,
                cases=list(s.cases),
            )
        )


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
