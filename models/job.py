"""Background jobs: what was asked, by whom, how far it got, and where the result is."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Job(Base):
    """One background job. ``progress`` is 0-100; ``result`` holds the produced file's bytes
    (reports are small: tens to hundreds of KB), kept for download."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(120), index=True)
    state: Mapped[str] = mapped_column(String(12), default="queued")  # queued/running/done/failed
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(300), default="")
    result: Mapped[bytes | None] = mapped_column(LargeBinary)
    result_name: Mapped[str] = mapped_column(String(120), default="")
    result_type: Mapped[str] = mapped_column(String(120), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Last sign of life of the process running it (``webapp.jobs``: every
    #: ``JOB_HEARTBEAT_SECONDS`` while running); a running job without one for
    #: ``JOB_STALE_SECONDS`` is marked failed, so asking again starts a new job.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
