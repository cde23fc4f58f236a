"""Evidence (佐证材料) attached to answers, and staff on-site ratings (现场评定)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Evidence(Base):
    """One file the owner attached to one answer of a draft assessment.

    The bytes live outside the web root in the evidence store (``EVIDENCE_DIR``), in a file
    named by ``public_id`` (a random token), never by the name the owner gave it; ``filename``
    is that name, kept only to show it. ``kind`` is what the content was found to be ("pdf",
    "png", "jpeg" or "xlsx", ``webapp.services.evidence``), ``size`` is in bytes.
    """

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    item_code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OnsiteRating(Base):
    """Centre staff's on-site rating of one submitted (version-2) assessment, scenario by
    scenario.

    ``levels`` (scenario code -> level 0-4) and ``reasons`` (scenario code -> text) are the
    working copy the rating page autosaves (``version_id`` refuses a stale save, as on the
    questionnaire). Finishing the rating copies them into ``finished`` with the verified MIIT
    level (``assessment.onsite.rate``) and stamps ``finished_at``/``finished_by_id``; an audit
    row records each finish. The assessment itself is never changed.
    """

    __tablename__ = "onsite_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), unique=True
    )
    levels: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    reasons: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    version_id: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: The last finished rating: {"level", "self_level", "levels", "changed": [{"code",
    #: "self_level", "level", "reason"}]}; None until staff finish the rating once.
    finished: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    finished_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    __mapper_args__ = {"version_id_col": version_id}
