"""Support programmes in the database, as the pure ``assessment.programmes`` values the roadmap
and the pilot path read (administrators edit them on the catalogue page,
``webapp/services/catalogue_admin.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from assessment.programmes import Programme, programme_from_mapping
from models import SupportProgramme
from webapp.extensions import db
from webapp.services.catalogue import column_values

#: The columns of the programme table as ``programme_from_mapping`` and the import/export
#: sheet name them, in sheet order.
PROGRAMME_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "issuer",
    "document",
    "region",
    "share",
    "cap_wan",
    "divisions",
    "clusters",
    "size_classes",
    "pilot_list",
    "max_level_before",
    "certifications",
    "cloud_only",
    "pilot_directory_only",
    "documents",
    "steps",
    "starts_on",
    "ends_on",
    "is_demo",
    "retired",
)


def current_programmes() -> tuple[Programme, ...]:
    """The programmes in force (retired ones left out), in the order they were added."""
    rows = db.session.scalars(
        select(SupportProgramme)
        .where(SupportProgramme.retired.is_(False))
        .order_by(SupportProgramme.id)
    )
    return tuple(
        programme_from_mapping({f: getattr(row, f) for f in PROGRAMME_FIELDS}) for row in rows
    )


def add_programmes(programmes: Iterable[Programme]) -> None:
    """Add parsed programmes as rows (the caller commits); the demo seed's loader. A parsed
    programme is in force: ``retired`` keeps the column's default."""
    in_force = tuple(f for f in PROGRAMME_FIELDS if f != "retired")
    for p in programmes:
        db.session.add(SupportProgramme(**column_values(p, in_force)))
