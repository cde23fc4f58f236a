"""Support programmes in the database, as the pure ``assessment.programmes`` values the roadmap
and the pilot path read (administrators edit them on the catalogue page,
``webapp/services/catalogue_admin.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from assessment.programmes import Programme, programme_from_mapping
from models import SupportProgramme
from webapp.extensions import db

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
    """Add parsed programmes as rows (the caller commits); the demo seed's loader."""
    for p in programmes:
        db.session.add(
            SupportProgramme(
                code=p.code,
                name_zh=p.name_zh,
                name_en=p.name_en,
                issuer=p.issuer,
                document=p.document,
                region=p.region,
                share=p.share,
                cap_wan=p.cap_wan,
                divisions=sorted(p.divisions),
                clusters=sorted(c.value for c in p.clusters),
                size_classes=sorted(s.value for s in p.size_classes),
                pilot_list=p.pilot_list,
                max_level_before=p.max_level_before,
                certifications=sorted(p.certifications),
                cloud_only=p.cloud_only,
                pilot_directory_only=p.pilot_directory_only,
                documents=list(p.documents),
                steps=[
                    {
                        "code": s.code,
                        "name_zh": s.name_zh,
                        "name_en": s.name_en,
                        "bring_zh": s.bring_zh,
                        "bring_en": s.bring_en,
                    }
                    for s in p.steps
                ],
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                is_demo=p.is_demo,
            )
        )
