"""Statistics releases (统计发布): frozen, audited snapshots of a round's government tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class StatisticsRelease(Base):
    """One release of a round's government statistics, never updated once written.

    ``facts`` is the snapshot: the round's confirmed, in-force assessments counted by profile
    and stage (rows of ``webapp.services.aggregates`` facts), ``moves`` the stage moves against
    ``compare_round``; ``summary`` holds region-wide figures (median, dimension means,
    above-scale registered, ``pending`` = submitted assessments of firms not yet confirmed);
    ``hidden`` the suppression pattern (forms of ``reports.release_audit``) and ``audit`` its
    result (sensitive forms, narrowest interval, seconds). Officers only ever see the newest row
    with ``status`` "published"; a "failed" row (audit not passed) is kept for the record.
    """

    __tablename__ = "statistics_release"
    __table_args__ = (Index("ix_statistics_release_round_cut", "round_code", "cut_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_code: Mapped[str] = mapped_column(String(20))
    compare_round: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))
    trigger: Mapped[str] = mapped_column(String(10))
    cut_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cut_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    k: Mapped[int]
    facts: Mapped[list[Any]] = mapped_column(JSON)
    moves: Mapped[list[Any]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    hidden: Mapped[dict[str, Any]] = mapped_column(JSON)
    audit: Mapped[dict[str, Any]] = mapped_column(JSON)
