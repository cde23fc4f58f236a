"""The referral (对接) life cycle as one transition table.

requested -> contacted -> in progress -> completed, and declined (with a reason) from any open
state. Source: the plan asks centres to "强化与制造业企业有效供需对接" (Dongguan plan 2022-2025
四 (二) 1); the states are what a centre needs to follow a contact until something happens.
"""

from __future__ import annotations

from enum import StrEnum

from assessment.errors import AssessmentError
from assessment.localised import Localised


class ReferralState(StrEnum):
    REQUESTED = "requested"  # 已申请
    CONTACTED = "contacted"  # 已联系
    IN_PROGRESS = "in_progress"  # 推进中
    COMPLETED = "completed"  # 已完成
    DECLINED = "declined"  # 已终止

    @property
    def label_zh(self) -> str:
        return {
            "requested": "已申请",
            "contacted": "已联系",
            "in_progress": "推进中",
            "completed": "已完成",
            "declined": "已终止",
        }[self.value]

    @property
    def label_en(self) -> str:
        return {
            "requested": "Requested",
            "contacted": "Contacted",
            "in_progress": "In progress",
            "completed": "Completed",
            "declined": "Declined",
        }[self.value]

    @property
    def label(self) -> Localised:
        """The state's label in both languages."""
        return Localised(self.label_zh, self.label_en)


TRANSITIONS: dict[ReferralState, frozenset[ReferralState]] = {
    ReferralState.REQUESTED: frozenset({ReferralState.CONTACTED, ReferralState.DECLINED}),
    ReferralState.CONTACTED: frozenset({ReferralState.IN_PROGRESS, ReferralState.DECLINED}),
    ReferralState.IN_PROGRESS: frozenset({ReferralState.COMPLETED, ReferralState.DECLINED}),
    ReferralState.COMPLETED: frozenset(),
    ReferralState.DECLINED: frozenset(),
}


class InvalidTransitionError(AssessmentError):
    """A move the life cycle does not allow, or a decline without a reason."""


def check_transition(current: ReferralState, target: ReferralState, reason: str) -> None:
    """Raise ``InvalidTransitionError`` unless ``current -> target`` is allowed.

    Declining needs a non-empty reason.
    """
    if target not in TRANSITIONS[current]:
        raise InvalidTransitionError(f"{current.value} -> {target.value} is not allowed")
    if target == ReferralState.DECLINED and not reason.strip():
        raise InvalidTransitionError("a decline needs a reason")
