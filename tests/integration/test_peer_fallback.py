"""Early in a new round a firm's cluster has too few peers: the report compares it with the
latest earlier round that has enough, and says so (issue 15)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.factories import SubmittedAssessmentFactory
from webapp.extensions import db
from webapp.services import peers


def _firms(n: int, round_code: str) -> None:
    for _ in range(n):
        SubmittedAssessmentFactory(round_code=round_code)  # furniture (C21) firms
    db.session.flush()


@pytest.mark.parametrize(
    ("earlier", "current", "expected"),
    [
        (5, 4, ("2025", 5)),  # too few this round: the previous round stands in
        (5, 5, ("2026", 5)),  # enough this round: this round
        (4, 2, ("2026", 2)),  # too few in both: this round, without medians
        (0, 0, ("2026", 0)),
    ],
)
def test_cluster_peers_fall_back_to_the_previous_round_only_when_it_has_enough(
    app: Flask, earlier: int, current: int, expected: tuple[str, int]
) -> None:
    with app.app_context():
        _firms(earlier, "2025")
        _firms(current, "2026")
        profile = peers.cluster_peers("2026", "furniture")
        assert (profile.round_code, profile.count) == expected
