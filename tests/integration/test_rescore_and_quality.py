"""Re-scoring a round keeps old results; the quality report runs on a stored cohort."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from assessment.instrument import load_instrument, most_mature_responses
from models import Assessment, AssessmentResultRecord, Job, Role
from webapp.extensions import db
from webapp.services import snapshots
from webapp.services.quality import round_quality
from webapp.services.rescoring import RescoreRefused, rescore_round

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
    cohort, scoring_revision
) -> None:  # type: ignore[no-untyped-def]
    with cohort.app_context():
        above_s1 = db.session.scalar(select(func.count()).where(Assessment.stage.in_(["S2", "S3"])))
        assert above_s1 > 0
        outcome = rescore_round("2026", "1.1")
        assert outcome.rescored == 60 and outcome.stage_down == above_s1 and outcome.stage_up == 0
        assert (
            db.session.scalar(select(func.count()).where(Assessment.stage.in_(["S2", "S3"]))) == 0
        )
        versions = db.session.scalar(select(func.count(AssessmentResultRecord.id)))
        assert versions == 120  # the submit-time result of each assessment is still there
        again = rescore_round("2026", "1.1")
        assert again.rescored == 0 and again.already == 60


def test_rescore_command_refuses_unknown_version(cohort) -> None:  # type: ignore[no-untyped-def]
    result = cohort.test_cli_runner().invoke(
        args=["assessments", "rescore", "--round", "2026", "--scoring-version", "99"]
    )
    assert result.exit_code != 0 and "no scoring version" in result.output


def _results(app) -> list[tuple[int, str, str | None]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.execute(
            select(Assessment.id, Assessment.scoring_version, Assessment.stage)
        ).all()
        return sorted((r[0], str(r[1]), r[2]) for r in rows)


def test_v1_answers_are_never_scored_by_the_v2_rule(cohort, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    before = _results(cohort)
    with cohort.app_context():
        records = db.session.scalar(select(func.count(AssessmentResultRecord.id)))
        with pytest.raises(RescoreRefused) as refused:
            rescore_round("2026", "2")
        assert db.session.scalar(select(func.count(AssessmentResultRecord.id))) == records
    assert "第 1 版问卷 60 份（评分版本 1）" in refused.value.reason
    result = cohort.test_cli_runner().invoke(
        args=["assessments", "rescore", "--round", "2026", "--scoring-version", "2"]
    )
    assert result.exit_code != 0 and "评分版本 2 不能给批次 2026 的答案评分" in result.output
    login(make_user(Role.ADMIN))
    page = client.post(
        "/admin/jobs/rescore", data={"round": "2026", "scoring_version": "2"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "每份评估只能用其问卷版本的评分版本重新评分" in page
    with cohort.app_context():
        assert db.session.scalar(select(func.count(Job.id))) == 0  # no job was queued
    assert _results(cohort) == before


def test_a_mixed_round_is_re_scored_per_questionnaire_version(cohort, scoring_revision) -> None:  # type: ignore[no-untyped-def]
    with cohort.app_context():
        one = db.session.scalar(select(Assessment).order_by(Assessment.id).limit(1))
        assert one is not None and one.profile_snapshot is not None
        profile = snapshots.profile_from_json(one.profile_snapshot)
        v2_answers = most_mature_responses(load_instrument("dmi", "2"), profile)
        one.instrument_version, one.responses = "2", snapshots.responses_to_json(v2_answers)
        db.session.commit()
        revised = rescore_round("2026", "1.1")
        assert (revised.rescored, revised.other_versions) == (59, 1)
        assert "1 on questionnaire versions of another scoring version" in revised.summary()
        own = rescore_round("2026", "2")  # v2's own rule, on the v2 record only
        assert (own.rescored, own.already, own.other_versions) == (1, 0, 59)
        db.session.refresh(one)
        assert one.scoring_version == "2" and one.result is not None and one.result["miit"]


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
