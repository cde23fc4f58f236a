"""Peer groups are read once and cached, and a change to the round is seen at the next view."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from models import Assessment, Enterprise, in_force
from webapp.extensions import db
from webapp.services import peers
from webapp.services.region import generate_region

# The demo cohort (seeded once per session; each test's writes are rolled back).
pytestmark = pytest.mark.demo_cohort(enterprises=120, seed=4)


def cluster_count(cluster: str) -> int:
    return int(
        db.session.scalar(
            select(func.count(Assessment.id))
            .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
            .where(Assessment.round_code == "2026", Enterprise.cluster == cluster, in_force())
        )
        or 0
    )


def test_cached_peer_group_follows_new_submissions(app) -> None:  # type: ignore[no-untyped-def]
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        first = peers.cluster_peers("2026", "electronics")
        assert first.count == cluster_count("electronics") >= peers.MIN_PEERS
        statements.clear()
        again = peers.cluster_peers("2026", "electronics")
        assert again == first
        assert len(statements) == 1  # only the round's version; the group came from the cache
        generate_region(40, 1, 2026, seed=9)  # more submissions in the round
        after = peers.cluster_peers("2026", "electronics")
        assert after.count == cluster_count("electronics") > first.count


def test_percentile_ranks_ties_half(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        cluster, size_class = db.session.execute(
            select(Enterprise.cluster, Enterprise.size_class)
            .join(Assessment, Assessment.enterprise_id == Enterprise.id)
            .where(Assessment.round_code == "2026", in_force())
            .group_by(Enterprise.cluster, Enterprise.size_class)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        group = db.session.execute(
            select(Assessment, Enterprise)
            .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
            .where(
                Assessment.round_code == "2026",
                Enterprise.cluster == cluster,
                Enterprise.size_class == size_class,
                in_force(),
            )
        ).all()
        assert len(group) >= peers.MIN_PEERS
        assessment, enterprise = group[0]
        size, ranks = peers.percentiles(assessment, enterprise)
        indexes = [a.maturity_index for a, _ in group]
        mine = assessment.maturity_index
        expected = 100 * (sum(v < mine for v in indexes) + 0.5 * sum(v == mine for v in indexes))
        assert size == len(group) and ranks["index"] == round(expected / size, 1)
        assert set(ranks) == {"index", *assessment.result["dimension_scores"]}
