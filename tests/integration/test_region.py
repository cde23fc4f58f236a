"""The synthetic region (``flask demo generate``): bulk writes (COPY on PostgreSQL, executemany
on SQLite) in batches, with progress, and the same region whatever the number of workers."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from models import Assessment, AssessmentResultRecord, DimensionScore, Enterprise
from webapp.extensions import db
from webapp.registries import instruments
from webapp.services import region


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(region, "BATCH", 10)


def _stored() -> list[tuple[str, str, str | None, float | None]]:
    return sorted(
        db.session.execute(
            select(
                Enterprise.uscc, Assessment.round_code, Assessment.stage, Assessment.maturity_index
            ).join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        ).all()
    )


@pytest.mark.usefixtures("small_batches")
def test_generate_writes_every_row_of_each_batch_with_progress(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["demo", "generate", "--enterprises", "23", "--instrument-version", "1"]
    )
    assert result.exit_code == 0, result.output
    # one progress line per batch of 10, then the summary
    assert "enterprises 10/23 (" in result.output and "enterprises 23/23 (" in result.output
    assert "wrote 23 enterprises and 46 assessments" in result.output
    with app.app_context():
        dimensions = len(instruments().get("dmi", "1").dimensions)
        count = db.session.scalar
        assert count(select(func.count(func.distinct(Enterprise.uscc)))) == 23
        assert count(select(func.count()).where(Enterprise.confirmed_at.is_not(None))) == 23
        assert (
            count(select(func.count(Assessment.id)).where(Assessment.status == "submitted")) == 46
        )
        # each assessment has its dimension scores and one history row, on its own id
        per_assessment = db.session.execute(
            select(DimensionScore.assessment_id, func.count()).group_by(
                DimensionScore.assessment_id
            )
        ).all()
        assert len(per_assessment) == 46 and {n for _, n in per_assessment} == {dimensions}
        history = select(func.count(func.distinct(AssessmentResultRecord.assessment_id)))
        assert count(history) == 46
        rounds = db.session.execute(
            select(Assessment.round_code, func.count(func.distinct(Assessment.enterprise_id)))
            .group_by(Assessment.round_code)
            .order_by(Assessment.round_code)
        ).all()
        assert [tuple(r) for r in rounds] == [("2025", 23), ("2026", 23)]


@pytest.mark.usefixtures("small_batches")
def test_generate_on_two_workers_stores_the_region_one_process_makes(app: Flask) -> None:
    with app.app_context():
        v1 = instruments().get("dmi", "1")
        assert region.generate_region(25, 2, 2026, seed=3, instrument=v1, workers=2) == 50
        stored = _stored()
        chunks = region._chunks(v1, 25, 3, 1_000_000, ("2025", "2026"), {})
        made = sorted(
            (enterprise["uscc"], row["round_code"], row["stage"], row["maturity_index"])
            for chunk in chunks
            for enterprise, rounds in region._chunk_rows(chunk)
            for row, _, _ in rounds
        )
    assert stored == made
