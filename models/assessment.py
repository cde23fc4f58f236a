"""Assessments (评估): one enterprise's responses in one round, and the stored result."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Select,
    String,
    UniqueConstraint,
    and_,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column

from models.base import Base, utcnow


class AssessmentStatus(StrEnum):
    DRAFT = "draft"  # 填写中
    SUBMITTED = "submitted"  # 已提交 (frozen)


class Assessment(Base):
    """An enterprise's questionnaire for one round (评估批次).

    ``responses`` maps item code to the stored answer (option code, list of option codes, or a
    number). ``version_id`` is SQLAlchemy's optimistic-locking counter: a save from a stale
    page is refused rather than silently overwriting. Once ``status`` is ``submitted`` the
    row is frozen; the result columns hold what the scoring model produced at that time.

    A submitted assessment is never edited: the owner corrects it with a new record whose
    ``corrects_id`` points at it (same round, same instrument version, answers copied). When
    that correction is submitted it stands for the round and the older record is *superseded*;
    the mark is the correction's link, so the superseded row itself stays byte-for-byte as it
    was. A round therefore holds one chain: one original (unique per enterprise and round)
    and at most one correction of each record (``corrects_id`` is unique).
    """

    __tablename__ = "assessment"
    __table_args__ = (
        Index(
            "uq_assessment_round_original",
            "enterprise_id",
            "round_code",
            unique=True,
            sqlite_where=text("corrects_id IS NULL"),
            postgresql_where=text("corrects_id IS NULL"),
        ),
        # A round's submitted rows and their latest change, read from the index alone: the
        # fingerprint caches of derived figures are keyed by (webapp/services/round_versions.py).
        Index("ix_assessment_round_status_updated", "round_code", "status", "updated_at"),
        # What the government dashboard reads of a round's submitted rows, from the index alone:
        # no wide row is read (SQLite keeps the JSON columns in overflow pages; PostgreSQL
        # would visit nearly every page, the rounds being interleaved). ``id`` last, for the
        # superseded test; SQLite has it in every index anyway.
        Index(
            "ix_assessment_round_result",
            "round_code",
            "status",
            "enterprise_id",
            "stage",
            "maturity_index",
            "plan_integrated",
            "plan_supply_chain",
            "plan_cloud",
            "id",
        ),
        # Submitted corrections only (a handful): ``superseded`` probes this tiny index instead
        # of scanning every submitted row for a link.
        Index(
            "ix_assessment_submitted_corrections",
            "corrects_id",
            sqlite_where=text("status = 'submitted' AND corrects_id IS NOT NULL"),
            postgresql_where=text("status = 'submitted' AND corrects_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    round_code: Mapped[str] = mapped_column(String(20), index=True)
    instrument_id: Mapped[str] = mapped_column(String(20))
    instrument_version: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=AssessmentStatus.DRAFT.value)
    responses: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version_id: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    profile_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The grouping fields of the profile as submitted, as columns so that SQL groups by them:
    #: statistics count a submitted assessment where it was when submitted, whatever the
    #: profile says later (review finding 7). None for a draft.
    profile_town: Mapped[str | None] = mapped_column(String(30))
    profile_cluster: Mapped[str | None] = mapped_column(String(20))
    profile_size_class: Mapped[str | None] = mapped_column(String(10))
    profile_production_type: Mapped[str | None] = mapped_column(String(10))
    profile_above_scale: Mapped[bool | None] = mapped_column(Boolean)
    scoring_version: Mapped[str | None] = mapped_column(String(10))
    maturity_index: Mapped[float | None] = mapped_column(Float)
    stage: Mapped[str | None] = mapped_column(String(2), index=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Plan-target indicators the submitted answers meet (``assessment.plan_targets``), set at
    #: submit; None for a draft.
    plan_integrated: Mapped[bool | None] = mapped_column(Boolean)
    plan_supply_chain: Mapped[bool | None] = mapped_column(Boolean)
    plan_cloud: Mapped[bool | None] = mapped_column(Boolean)
    #: Codes of the consistency warnings raised by the submitted answers (never block a submit).
    consistency_warnings: Mapped[list[str] | None] = mapped_column(JSON)
    #: Persona (cluster label) under ``peer_model_id``, assigned at fit or at submit.
    peer_model_id: Mapped[int | None] = mapped_column(ForeignKey("peer_model.id"))
    persona: Mapped[int | None] = mapped_column(index=True)
    #: The rule-based transformation path of the scored answers (``assessment.paths.PathCode``;
    #: questionnaire v2 only), written whenever the answers are scored.
    path_rule: Mapped[str | None] = mapped_column(String(20))
    #: The statistical path segment the firm fell in when its centre's cohort of the round was
    #: last segmented (at a submit or a re-score in that cohort), named by the segment's main
    #: path (``PathCode``); None when the cohort is too small to segment.
    path_segment: Mapped[str | None] = mapped_column(String(20))
    #: The submitted assessment this record corrects (None for a round's original record).
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"), unique=True)
    #: Why the owner corrected it (required when ``corrects_id`` is set).
    correction_reason: Mapped[str | None] = mapped_column(String(500))
    #: Pages whose answers were carried from the enterprise's assessment on an earlier
    #: questionnaire version and await the owner's confirmation: page (dimension code) -> the
    #: carried item codes on it. A confirmed page leaves the map; None when nothing was carried.
    carried_pages: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)
    #: The declaration of truth (真实性承诺) confirmed at submit: when and by whom; None for a
    #: draft and for rows submitted before the declaration was recorded.
    declared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    __mapper_args__ = {"version_id_col": version_id}


def superseded(record: Any = Assessment) -> ColumnElement[bool]:
    """SQL condition: a submitted correction of ``record`` exists (``record`` may be an alias).

    Written as ``id IN (the submitted corrections' links)``, not a correlated ``EXISTS``: the
    set is small (``ix_assessment_submitted_corrections``), so both databases build it once and
    test each row against it (PostgreSQL: a hashed subplan), where the anti-join PostgreSQL
    chose for ``NOT EXISTS`` read the whole table in key order. The links are never NULL inside
    the set, so ``NOT IN`` means "not superseded" exactly.
    """
    return record.id.in_(superseded_ids())


def superseded_ids() -> Select[int | None]:
    """SQL subquery: ids of the assessments that a submitted correction supersedes (few)."""
    correction = aliased(Assessment)
    return select(correction.corrects_id).where(
        correction.status == AssessmentStatus.SUBMITTED.value,
        correction.corrects_id.is_not(None),
    )


def in_force(record: Any = Assessment) -> ColumnElement[bool]:
    """SQL condition: the round's submitted result as it stands now (submitted, not superseded).

    Every count, median, cluster fit and comparison of a round uses this, so an enterprise
    that corrected its answers counts once, with the corrected answers.
    """
    return and_(record.status == AssessmentStatus.SUBMITTED.value, ~superseded(record))


def round_record(record: Any = Assessment) -> ColumnElement[bool]:
    """SQL condition: the record that stands for its round, submitted or still a draft.

    That is the original draft until it is submitted, then the newest submitted record of the
    chain; a correction still in draft does not stand for the round yet.
    """
    return and_(
        ~superseded(record),
        or_(record.corrects_id.is_(None), record.status == AssessmentStatus.SUBMITTED.value),
    )


class DimensionScore(Base):
    """One dimension score (0-100) of a submitted assessment, kept as a row so SQL can
    aggregate it. Only submitted assessments have these rows; ``round_code`` repeats the
    assessment's so that a round's dimension means are read from one index, without a join."""

    __tablename__ = "dimension_score"
    __table_args__ = (
        Index("ix_dimension_score_round", "round_code", "dimension", "score", "assessment_id"),
    )

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True
    )
    dimension: Mapped[str] = mapped_column(String(10), primary_key=True)
    round_code: Mapped[str] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float)


class AssessmentResultRecord(Base):
    """Every result an assessment has had: the one at submit and each deliberate re-score.

    ``Assessment`` carries the current result; these rows keep the old ones, so a new scoring
    version never silently replaces what an enterprise was told.
    """

    __tablename__ = "assessment_result"
    __table_args__ = (UniqueConstraint("assessment_id", "scoring_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    scoring_version: Mapped[str] = mapped_column(String(10))
    stage: Mapped[str] = mapped_column(String(2))
    maturity_index: Mapped[float] = mapped_column(Float)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
