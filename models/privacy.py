"""An enterprise's request to have its personal data deleted, and how it was carried out."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class DeletionState(StrEnum):
    PENDING = "pending"  # 待处理
    DONE = "done"  # 已删除


class DeletionRequest(Base):
    """The owner asked for the firm's personal data to be deleted; an administrator carries
    it out (``webapp.services.privacy.carry_out_deletion``). At most one pending request per
    enterprise (checked by the service)."""

    __tablename__ = "deletion_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    state: Mapped[str] = mapped_column(String(10), default=DeletionState.PENDING.value, index=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    carried_out_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    carried_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
