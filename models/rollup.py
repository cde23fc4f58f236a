"""The round rollup: a round's in-force, confirmed assessments counted per cell of the
government statistics (``webapp.services.rollups``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class RoundRollup(Base):
    """One cell: the round's submitted assessments in force of confirmed enterprises with this
    profile as submitted (town, cluster, size class, production type, above-scale), stage and
    basis of the result;
    their number, index sum and plan-target hits. Kept up to date at submit, confirmation and
    re-scoring; a cell whose count falls to zero is removed."""

    __tablename__ = "round_rollup"

    round_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    town: Mapped[str] = mapped_column(String(30), primary_key=True)
    cluster: Mapped[str] = mapped_column(String(20), primary_key=True)
    size_class: Mapped[str] = mapped_column(String(10), primary_key=True)
    production_type: Mapped[str] = mapped_column(String(10), primary_key=True)
    above_scale: Mapped[bool] = mapped_column(primary_key=True)
    stage: Mapped[str] = mapped_column(String(2), primary_key=True)
    #: ``assessment.onsite.Basis`` code: self-reported, staff-verified or on-site rated
    basis: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int]
    index_sum: Mapped[float] = mapped_column(Float)
    integrated: Mapped[int]
    supply_chain: Mapped[int]
    cloud: Mapped[int]


class RoundRollupBuild(Base):
    """A round whose rollup was built from its rows (``rollups.rebuild``): only such rounds are
    kept up to date change by change; any other is built when first read."""

    __tablename__ = "round_rollup_build"

    round_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
