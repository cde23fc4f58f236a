"""Referrals (对接), their audit trail, and the notification outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Referral(Base):
    """An enterprise's request to be contacted about one recommendation.

    ``centre_id`` is the centre whose staff follow it up (the enterprise's centre); ``state``
    is an ``assessment.referrals.ReferralState`` value.
    """

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"))
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("enabling_centre.id"), index=True)
    target_kind: Mapped[str] = mapped_column(String(10))  # centre | provider
    target_code: Mapped[str] = mapped_column(String(40))
    target_name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default="requested", index=True)
    close_reason: Mapped[str] = mapped_column(String(500), default="")
    #: What the firm signed (state 已签约 and after): products/services and amount in 万元.
    contract_products: Mapped[str] = mapped_column(String(500), default="", server_default="")
    contract_amount_wan: Mapped[float | None] = mapped_column(Float)
    #: The firm's post-project assessment that moved the referral to 已复评.
    reassessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    version_id: Mapped[int] = mapped_column(default=1)
    #: The group action (one submit of the pipeline's group form, its idempotency key) that
    #: created the referral; None for a referral made one at a time. One referral per firm and
    #: group action: a form submitted twice, even at the same moment, cannot make a second.
    group_action: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (UniqueConstraint("group_action", "enterprise_id"),)
    __mapper_args__ = {"version_id_col": version_id}


class ReferralEvent(Base):
    """One step of a referral: who moved it from which state to which, when, with what note."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(String(500), default="")
    #: Staff marked the note "for the owner": shown on the owner's referral page and mailed.
    for_owner: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Notification(Base):
    """The outbox: a message for a user, shown in the app; e-mail delivery is a separate,
    pluggable step (off by default) that sets ``sent_at``."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    text_zh: Mapped[str] = mapped_column(String(500))
    text_en: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
