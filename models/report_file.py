"""Stored enterprise PDFs: rendered once per version of the report, served from here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ReportFile(Base):
    """The PDF of one assessment's report in one language, as rendered for the report version
    ``report_key`` (``webapp.services.report_cache.report_key``). One row per (assessment,
    language): a newer version replaces the row, so storage stays at two PDFs per assessment."""

    __tablename__ = "report_file"
    __table_args__ = (UniqueConstraint("assessment_id", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(5))
    report_key: Mapped[str] = mapped_column(String(80))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
