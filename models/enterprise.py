"""The enterprise (企业) and its profile."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Enterprise(Base):
    """A manufacturing enterprise identified by its unified social credit code (USCC).

    ``size_class`` and ``above_scale`` are derived from employees and revenue when the profile is
    saved (2017 national size rule; 规上 = revenue >= 2000 万元) and stored so that SQL can
    group by them.

    ``confirmed_at``/``confirmation`` record when and how the firm was confirmed ("import" by an
    administrator, "validation" of its stage by centre staff, "claim" approved); only confirmed
    firms count in government statistics (``webapp.services.confirmation``).
    """

    __tablename__ = "enterprise"
    __table_args__ = (
        CheckConstraint("employees >= 0", name="employees_non_negative"),
        CheckConstraint("revenue_wan >= 0", name="revenue_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    industry_code: Mapped[str] = mapped_column(String(3), index=True)
    cluster: Mapped[str] = mapped_column(String(20), index=True)
    production_type: Mapped[str] = mapped_column(String(10))
    town: Mapped[str] = mapped_column(String(30), index=True)
    employees: Mapped[int] = mapped_column(Integer)
    revenue_wan: Mapped[float] = mapped_column(Numeric(14, 2, asdecimal=False))
    size_class: Mapped[str] = mapped_column(String(10), index=True)
    above_scale: Mapped[bool] = mapped_column(default=False)
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("enabling_centre.id"), index=True)
    #: Who the centre calls: shown to the staff of the enterprise's centre and in its export.
    contact_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmation: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
