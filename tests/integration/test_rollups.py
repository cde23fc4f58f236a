"""The round rollup equals the facts counted from the rows, through every change after it was
built (submit, correction, confirmation, a new submitted row, re-scoring), and a release cut
from it shows the dashboard a release cut from the rows shows."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from assessment import scoring
from assessment.instrument import most_mature_responses
from assessment.types import Stage, StageResult
from models import Assessment, Enterprise, RoundRollup, RoundRollupBuild, User
from tests.factories import EnterpriseFactory, StageValidationFactory, SubmittedAssessmentFactory
from tests.integration.questionnaire_client import submit_with
from webapp.extensions import db
from webapp.services import aggregates, releases
from webapp.services.confirmation import confirm
from webapp.services.rescoring import rescore_round

COHORT = pytest.mark.demo_cohort(enterprises=40, seed=6)


def _harsh(instrument: Any, profile: Any, responses: Any) -> Any:
    """A hypothetical revision "2.9" of scoring version 2: nobody above S1, index halved."""
    result = scoring.score_v2(instrument, profile, responses)
    stage = min(result.stage.stage, Stage.S1)
    return replace(
        result,
        scoring_version="2.9",
        scorecard=replace(result.scorecard, maturity_index=result.scorecard.maturity_index / 2),
        stage=StageResult(stage, result.stage.met, result.stage.unmet_next),
    )


def _table(facts: list[aggregates._Fact]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Facts by cell, the index sum rounded (the databases add floats in any order)."""
    return {
        (f.town, f.cluster, f.size_class, f.production_type, f.above_scale, f.stage, f.basis): (
            f.n,
            round(f.index_sum, 6),
            f.integrated,
            f.supply_chain,
            f.cloud,
        )
        for f in facts
    }


def _assert_rollup_equals_rows(round_code: str = "2026") -> None:
    from_rollup = _table(aggregates.round_facts(round_code))
    assert from_rollup == _table(aggregates.round_facts_from_rows(round_code))
    assert sum(n for n, *_ in from_rollup.values()) > 0


@COHORT
def test_rollup_follows_confirmation_new_rows_and_rescoring(app: Flask) -> None:
    with app.app_context():
        _assert_rollup_equals_rows()  # built on first read
        assert db.session.get(RoundRollupBuild, "2026") is not None
        # A firm that registered itself: its submission counts once it is confirmed.
        pending = EnterpriseFactory(confirmed_at=None, confirmation=None, town="changan")
        SubmittedAssessmentFactory(enterprise=pending, stage="S3", maturity_index=91.0)
        db.session.commit()
        before = _table(aggregates.round_facts("2026"))
        _assert_rollup_equals_rows()
        confirm(db.session.get(Enterprise, pending.id), "import")
        db.session.commit()
        after = _table(aggregates.round_facts("2026"))
        assert sum(v[0] for v in after.values()) == sum(v[0] for v in before.values()) + 1
        _assert_rollup_equals_rows()
        # A stage validation by centre staff moves the assessment to the staff-verified basis.
        validated = db.session.scalar(
            select(Assessment).where(Assessment.round_code == "2026").limit(1)
        )
        assert validated is not None
        StageValidationFactory(
            assessment_id=validated.id,
            model_stage=validated.stage,
            staff_stage=validated.stage,
            actor_id=db.session.scalar(select(User.id).limit(1)),
        )
        db.session.commit()
        bases = {f.basis for f in aggregates.round_facts("2026") if f.n}
        assert "staff_verified" in bases
        _assert_rollup_equals_rows()
        # Re-scoring moves assessments between stages (bulk UPDATE, no ORM flush).
        app.extensions["scorers"]["2.9"] = _harsh
        outcome = rescore_round("2026", "2.9")
        assert outcome.rescored > 0
        _assert_rollup_equals_rows()


@COHORT
def test_a_submit_updates_the_rollup_without_a_rebuild(
    app: Flask, client: Any, make_user: Any, make_enterprise: Any, login: Any
) -> None:
    with app.app_context():
        before = sum(f.n for f in aggregates.round_facts("2026"))
        built_at = db.session.get(RoundRollupBuild, "2026").built_at  # type: ignore[union-attr]
    owner = make_user()
    enterprise = make_enterprise(owner)
    with app.app_context():  # imported by an administrator: its submission counts
        confirm(db.session.get(Enterprise, enterprise.id), "import")
        db.session.commit()
    login(owner)
    draft = submit_with(client, app, enterprise.id, most_mature_responses)
    with app.app_context():
        submitted = db.session.get(Assessment, draft.id)
        assert submitted is not None and submitted.status == "submitted"
        key = (
            "2026",
            enterprise.town,
            enterprise.cluster,
            enterprise.size_class,
            enterprise.production_type,
            enterprise.above_scale,
            submitted.stage,
            "self_reported",
        )
        cell = db.session.get(RoundRollup, key)
        assert cell is not None and cell.n >= 1
        assert sum(f.n for f in aggregates.round_facts("2026")) == before + 1
        assert db.session.get(RoundRollupBuild, "2026").built_at == built_at  # type: ignore[union-attr]
        _assert_rollup_equals_rows()


@COHORT
def test_dashboard_from_the_rollup_equals_the_dashboard_from_the_rows(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.app_context():
        from_rollup = releases.cut_release("2026", "cli")
        board = aggregates.dashboard("2026", "zh", compare_round="2025")
        monkeypatch.setattr(aggregates, "round_facts", aggregates.round_facts_from_rows)
        from_rows = releases.cut_release("2026", "cli")
        again = aggregates.dashboard("2026", "zh", compare_round="2025")
        assert from_rollup.status == from_rows.status == "published"
        assert _table(aggregates.facts_from_json(from_rollup.facts)) == _table(
            aggregates.facts_from_json(from_rows.facts)
        )
        assert from_rollup.hidden == from_rows.hidden
    shown = {k: v for k, v in asdict(board).items() if k != "release"}
    assert shown == {k: v for k, v in asdict(again).items() if k != "release"}
    assert board.assessed > 0
