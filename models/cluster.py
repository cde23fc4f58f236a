"""Fitted peer models (聚类) and staff stage validations (阶段校验)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class PeerModelRecord(Base):
    """A peer model fitted on one round: its numbers, metrics and personas.

    ``params`` holds what assignment needs (columns, standardisation, centres); a new fit adds a
    row and becomes current, earlier fits stay for reference.
    """

    __tablename__ = "peer_model"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_code: Mapped[str] = mapped_column(String(20), index=True)
    k: Mapped[int]
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    personas: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    is_current: Mapped[bool] = mapped_column(default=True)
    fitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StageValidation(Base):
    """A staff member's verdict on a model stage: confirmed or replaced, with the reason.

    Rows are never updated: the newest one per assessment is the validated stage, and together
    they are the audit trail (who, when, what, why).
    """

    __tablename__ = "stage_validation"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    model_stage: Mapped[str] = mapped_column(String(2))
    staff_stage: Mapped[str] = mapped_column(String(2))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
