"""The referral (对接) life cycle as one transition table.

已申请 requested → 已联系 contacted → 方案/报价 proposal → 已签约 contracted (products and
amount) → 已完成 completed → 已复评 reassessed (the firm's post-project assessment), or 已关闭
closed with a reason from any state before completion. Sources: the plan asks centres to
"强化与制造业企业有效供需对接" (Dongguan plan 2022-2025 四 (二) 1); the pilot scheme accepts a
project on a post-project assessment at 二级 or above (issue 15, DESIGN.md "the loop"), so a
referral ends when the firm has been assessed again, not when the provider says it is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.errors import AssessmentError
from assessment.localised import LabelledEnum

#: The largest contract amount a referral may record, in 万元 (¥10,000): ¥1 billion. Above
#: that an amount is a typing error (an SME's digital project is measured in 万元, not 亿元).
MAX_CONTRACT_WAN = 100_000.0


class ReferralState(LabelledEnum):
    """A referral's state; ``label`` gives its name in both languages."""

    REQUESTED = "requested", "已申请", "Requested"
    CONTACTED = "contacted", "已联系", "Contacted"
    PROPOSAL = "proposal", "方案/报价", "Proposal / quote"
    CONTRACTED = "contracted", "已签约", "Contracted"
    COMPLETED = "completed", "已完成", "Completed"
    REASSESSED = "reassessed", "已复评", "Re-assessed"
    CLOSED = "closed", "已关闭", "Closed"

    @property
    def is_open(self) -> bool:
        """Still needs someone to act: not reassessed and not closed (completed waits for the
        firm's post-project assessment, which moves it on by itself)."""
        return self not in FINAL


FINAL = frozenset({ReferralState.REASSESSED, ReferralState.CLOSED})

#: The stored values of the open states (queue filters, "asking twice" and hand-over use it).
OPEN_VALUES: tuple[str, ...] = tuple(s.value for s in ReferralState if s not in FINAL)

#: Moves staff may make. ``completed → reassessed`` is made by the firm's next submitted
#: assessment (``webapp.services.referrals.record_reassessment``), never by hand.
TRANSITIONS: dict[ReferralState, frozenset[ReferralState]] = {
    ReferralState.REQUESTED: frozenset({ReferralState.CONTACTED, ReferralState.CLOSED}),
    ReferralState.CONTACTED: frozenset({ReferralState.PROPOSAL, ReferralState.CLOSED}),
    ReferralState.PROPOSAL: frozenset({ReferralState.CONTRACTED, ReferralState.CLOSED}),
    ReferralState.CONTRACTED: frozenset({ReferralState.COMPLETED, ReferralState.CLOSED}),
    ReferralState.COMPLETED: frozenset(),
    ReferralState.REASSESSED: frozenset(),
    ReferralState.CLOSED: frozenset(),
}


class InvalidTransitionError(AssessmentError):
    """A move the life cycle does not allow, or one missing what it must record.

    ``field`` names the input at fault: ``"state"``, ``"note"`` (a close without a reason),
    ``"products"`` or ``"amount"`` (a contract without them, or an amount out of range).
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Contract:
    """What a firm signed: ``products`` (free text, the products/services and provider) and
    ``amount_wan`` (the contract value in 万元, 0 < amount <= ``MAX_CONTRACT_WAN``)."""

    products: str
    amount_wan: float


def check_transition(
    current: ReferralState,
    target: ReferralState,
    reason: str,
    contract: Contract | None = None,
) -> None:
    """Raise ``InvalidTransitionError`` unless staff may move ``current -> target``.

    Closing needs a non-empty ``reason``; moving to ``contracted`` needs a ``contract`` with
    products named and an amount in (0, ``MAX_CONTRACT_WAN``] 万元.
    """
    if target not in TRANSITIONS[current]:
        raise InvalidTransitionError("state", f"{current.value} -> {target.value} is not allowed")
    if target == ReferralState.CLOSED and not reason.strip():
        raise InvalidTransitionError("note", "closing needs a reason")
    if target == ReferralState.CONTRACTED:
        if contract is None or not contract.products.strip():
            raise InvalidTransitionError("products", "a contract names its products")
        if not 0 < contract.amount_wan <= MAX_CONTRACT_WAN:
            raise InvalidTransitionError("amount", "the amount is out of range")
