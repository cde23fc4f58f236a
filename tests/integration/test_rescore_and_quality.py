"""Re-scoring a round keeps old results; the quality report runs on a stored cohort."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import Assessment, AssessmentResultRecord
from webapp.extensions import db
from webapp.services.quality import round_quality
from webapp.services.rescoring import rescore_round

# The demo cohort (seeded once per session; each test's writes are rolled back); about
# questionnaire v1 behaviour (v1 item codes and gates): drafts start on v1.
pytestmark = [
    pytest.mark.demo_cohort(enterprises=60, seed=5),
    pytest.mark.usefixtures("instrument_v1"),
]


@pytest.fixture
def cohort(app):  # type: ignore[no-untyped-def]
    return app


def test_rescore_under_new_version_keeps_old_results_and_counts_changes(
    cohort, scoring_version_2
) -> None:  # type: ignore[no-untyped-def]
    with cohort.app_context():
        above_s1 = db.session.scalar(select(func.count()).where(Assessment.stage.in_(["S2", "S3"])))
        assert above_s1 > 0
        outcome = rescore_round("2026", "2")
        assert outcome.rescored == 60 and outcome.stage_down == above_s1 and outcome.stage_up == 0
        assert (
            db.session.scalar(select(func.count()).where(Assessment.stage.in_(["S2", "S3"]))) == 0
        )
        versions = db.session.scalar(select(func.count(AssessmentResultRecord.id)))
        assert versions == 120  # the submit-time result of each assessment is still there
        again = rescore_round("2026", "2")
        assert again.rescored == 0 and again.already == 60


def test_rescore_command_refuses_unknown_version(cohort) -> None:  # type: ignore[no-untyped-def]
    result = cohort.test_cli_runner().invoke(
        args=["assessments", "rescore", "--round", "2026", "--scoring-version", "99"]
    )
    assert result.exit_code != 0 and "no scoring version" in result.output


def test_quality_command_reports_reliability_and_stage_shares(cohort) -> None:  # type: ignore[no-untyped-def]
    result = cohort.test_cli_runner().invoke(args=["assessments", "quality", "--round", "2026"])
    assert result.exit_code == 0, result.output
    assert "60 submitted assessments" in result.output
    with cohort.app_context():
        org = next(r for r in round_quality("2026").reliability if r.dimension == "ORG")
    # consistent synthetic answers: a positive alpha, printed as computed, with every item's r
    assert org.alpha is not None and 0.0 < org.alpha < 1.0 and len(org.items) >= 2
    assert f"  ORG: alpha {org.alpha:.2f} over {len(org.items)} items\n" in result.output
    for code, r in org.item_total.items():
        assert r is not None and f"    {code} item-total r = {r:.2f}\n" in result.output
    assert "staff-validated stages: 0" in result.output
