"""The catalogue of enabling centres (赋能中心), service providers (服务商) and solutions (解决方案).

Set-valued attributes (clusters, towns, dimension and gate codes) are JSON lists of codes; an
empty list means "all". ``webapp/services/snapshots.py`` turns rows into the pure
``assessment.catalogue`` types used by matching.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class _CatalogueEntry:
    """Columns every catalogue table has (a mixin, not a table): the public code, the names, the
    clusters served (empty: all), whether it is retired (kept for history, never matched) and
    when it last changed."""

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    clusters: Mapped[list[str]] = mapped_column(JSON, default=list)
    retired: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class _Organisation(_CatalogueEntry):
    """Columns a centre and a provider share beyond ``_CatalogueEntry``: towns served (empty:
    all), a contact line, and whether it is demo data."""

    towns: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact: Mapped[str] = mapped_column(String(200), default="")
    is_demo: Mapped[bool] = mapped_column(default=True)


class EnablingCentre(_Organisation, Base):
    __tablename__ = "enabling_centre"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_type: Mapped[str] = mapped_column(String(20))
    dimensions: Mapped[list[str]] = mapped_column(JSON, default=list)
    gates: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(Integer, default=0)
    #: Takes the enterprises no cluster/town centre covers (``responsible_centre``).
    region_wide: Mapped[bool] = mapped_column(default=False, server_default=false())


class ServiceProvider(_Organisation, Base):
    __tablename__ = "service_provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    software: Mapped[list[str]] = mapped_column(JSON, default=list)


class Solution(_CatalogueEntry, Base):
    __tablename__ = "solution"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"), index=True)
    dimensions: Mapped[list[str]] = mapped_column(JSON, default=list)
    gates: Mapped[list[str]] = mapped_column(JSON, default=list)
    stages: Mapped[list[str]] = mapped_column(JSON, default=list)
    production_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    size_classes: Mapped[list[str]] = mapped_column(JSON, default=list)
    price_band: Mapped[str] = mapped_column(String(20), default="")
    delivery_weeks: Mapped[int] = mapped_column(Integer, default=0)
    light_fast: Mapped[bool] = mapped_column(default=False)
    subsidy_eligible: Mapped[bool] = mapped_column(default=False)
    cloud_voucher: Mapped[bool] = mapped_column(default=False)
    # Catalogue v2 (the roadmap, issue 19): what it builds and how it is paid; see
    # ``assessment.catalogue.Solution`` for the meaning of each.
    capabilities: Mapped[list[str]] = mapped_column(JSON, default=list)
    scenarios: Mapped[list[str]] = mapped_column(JSON, default=list)
    price_model: Mapped[str] = mapped_column(
        String(20), default="one_off", server_default="one_off"
    )
    provider_discount: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    in_pilot_directory: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Reference cases as "town/industry" strings (e.g. "humen/textiles").
    cases: Mapped[list[str]] = mapped_column(JSON, default=list)


class SupportProgramme(_CatalogueEntry, Base):
    """A support programme (扶持项目) the roadmap's cost sharing and the pilot path read,
    edited by administrators; ``assessment.programmes.Programme`` gives each field's meaning
    (``webapp/services/programmes.py`` turns rows into it). ``clusters`` (from the mixin),
    ``divisions``, ``size_classes`` and ``certifications`` are JSON lists (empty: any);
    ``documents`` a JSON list of texts; ``steps`` a JSON list of mappings (code, name_zh,
    name_en, bring_zh, bring_en); ``starts_on`` / ``ends_on`` ISO dates or "". A retired
    programme is kept for history and never offered."""

    __tablename__ = "support_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(200))
    document: Mapped[str] = mapped_column(String(300), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    share: Mapped[float] = mapped_column(Float)
    cap_wan: Mapped[float] = mapped_column(Float, default=0.0)
    divisions: Mapped[list[str]] = mapped_column(JSON, default=list)
    size_classes: Mapped[list[str]] = mapped_column(JSON, default=list)
    pilot_list: Mapped[bool] = mapped_column(default=False)
    max_level_before: Mapped[int] = mapped_column(Integer, default=4)
    certifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    cloud_only: Mapped[bool] = mapped_column(default=False)
    pilot_directory_only: Mapped[bool] = mapped_column(default=False)
    documents: Mapped[list[str]] = mapped_column(JSON, default=list)
    steps: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    starts_on: Mapped[str] = mapped_column(String(10), default="")
    ends_on: Mapped[str] = mapped_column(String(10), default="")
    is_demo: Mapped[bool] = mapped_column(default=True)
