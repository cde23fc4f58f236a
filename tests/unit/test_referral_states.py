"""The referral life cycle (``assessment.referrals``): reachability, final states and what a
contract and a close must record, at their boundaries."""

from __future__ import annotations

import pytest

from assessment.referrals import (
    FINAL,
    MAX_CONTRACT_WAN,
    OPEN_VALUES,
    TRANSITIONS,
    Contract,
    InvalidTransitionError,
    ReferralState,
    check_transition,
)

S = ReferralState


def test_staff_walk_the_whole_path_to_completion_and_can_close_before_it() -> None:
    path = [S.REQUESTED, S.CONTACTED, S.PROPOSAL, S.CONTRACTED, S.COMPLETED]
    for current, target in zip(path, path[1:], strict=False):
        contract = Contract("云 MES", 10.0) if target == S.CONTRACTED else None
        check_transition(current, target, "", contract)
    for current in path[:-1]:
        check_transition(current, S.CLOSED, "企业暂停项目")


@pytest.mark.parametrize("current", list(S))
def test_no_step_skips_a_state_or_leaves_a_final_one(current: ReferralState) -> None:
    order = list(S)
    for target in TRANSITIONS[current] - {S.CLOSED}:
        assert order.index(target) == order.index(current) + 1
    if current in FINAL or current == S.COMPLETED:
        assert TRANSITIONS[current] == frozenset()


def test_reassessed_is_never_a_staff_move() -> None:
    assert all(S.REASSESSED not in targets for targets in TRANSITIONS.values())
    with pytest.raises(InvalidTransitionError) as info:
        check_transition(S.COMPLETED, S.REASSESSED, "")
    assert info.value.field == "state"


def test_open_states_are_those_before_the_end() -> None:
    assert set(OPEN_VALUES) == {s.value for s in S} - {"reassessed", "closed"}
    assert S.COMPLETED.is_open and not S.CLOSED.is_open


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_closing_without_a_reason_is_refused(reason: str) -> None:
    with pytest.raises(InvalidTransitionError) as info:
        check_transition(S.CONTACTED, S.CLOSED, reason)
    assert info.value.field == "note"


@pytest.mark.parametrize(
    ("contract", "field"),
    [
        (None, "products"),
        (Contract(" ", 5.0), "products"),
        (Contract("云 MES", 0.0), "amount"),
        (Contract("云 MES", -0.01), "amount"),
        (Contract("云 MES", MAX_CONTRACT_WAN + 0.01), "amount"),
    ],
)
def test_a_contract_needs_products_and_an_amount_in_range(
    contract: Contract | None, field: str
) -> None:
    with pytest.raises(InvalidTransitionError) as info:
        check_transition(S.PROPOSAL, S.CONTRACTED, "", contract)
    assert info.value.field == field


@pytest.mark.parametrize("amount", [0.01, 1.0, MAX_CONTRACT_WAN])
def test_amounts_at_the_edges_of_the_range_are_accepted(amount: float) -> None:
    check_transition(S.PROPOSAL, S.CONTRACTED, "", Contract("云 MES", amount))


def test_every_state_has_a_label_in_both_languages() -> None:
    for state in S:
        assert state.label.zh and state.label.en and state.label.zh != state.label.en
