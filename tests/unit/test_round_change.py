"""The 改造前/改造后 comparison (``assessment.round_change``) on scored results."""

from __future__ import annotations

from assessment.instrument import least_mature_responses, load_instrument, most_mature_responses
from assessment.round_change import compare_rounds
from assessment.scoring import SCORERS, scoring_version_for
from tests.unit.profiles import GARMENTS as FIRM

V1 = load_instrument("dmi", "1")
V2 = load_instrument("dmi", "2")


def _result(instrument, pick):  # type: ignore[no-untyped-def]
    scorer = SCORERS[scoring_version_for(instrument)]
    return scorer(instrument, FIRM, pick(instrument, FIRM))


def test_a_firm_that_moved_up_shows_every_move() -> None:
    change = compare_rounds(
        _result(V2, least_mature_responses), _result(V2, most_mature_responses), V2, "2025", "2026"
    )
    assert change.stage_moved > 0 and change.index_delta > 0
    assert change.level_after is not None and change.level_before is not None
    assert change.level_after > change.level_before
    assert [m.code for m in change.dimensions] == [
        d.code for d in V2.dimensions if d.code in {m.code for m in change.dimensions}
    ]
    assert len(change.scenarios) == 16
    moved = change.moved_scenarios
    assert moved and change.scenarios[: len(moved)] == moved  # moved ones first
    assert all(m.after > m.before for m in moved)


def test_the_same_answers_twice_move_nothing() -> None:
    result = _result(V2, most_mature_responses)
    change = compare_rounds(result, result, V2, "2025", "2026")
    assert change.stage_moved == 0 and change.index_delta == 0
    assert change.moved_scenarios == () and all(m.delta == 0 for m in change.dimensions)


def test_a_v1_first_round_has_no_level_to_compare() -> None:
    change = compare_rounds(
        _result(V1, least_mature_responses), _result(V2, most_mature_responses), V2, "2025", "2026"
    )
    assert change.level_before is None and change.level_labels is None
    assert change.scenarios == ()
    assert {m.code for m in change.dimensions} <= {d.code for d in V1.dimensions}
