"""The enterprise report is built once per version of its inputs (issue 18): a repeat view reads
the cache, and a change of language, catalogue, cost shares, peers or result builds afresh."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from assessment.instrument import least_mature_responses
from models import (
    Assessment,
    Enterprise,
    Role,
    Solution,
    SupportProgramme,
    User,
    in_force,
)
from tests.factories import StageValidationFactory
from tests.integration.questionnaire_client import submit_with
from webapp.extensions import db
from webapp.services import enterprise_reports, report_cache
from webapp.services.region import generate_region


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """Every report built from the database, as (assessment id, language)."""
    calls: list[tuple[int, str]] = []
    build = enterprise_reports.build_report

    def counting(assessment: Assessment, lang: str) -> object:
        calls.append((assessment.id, lang))
        return build(assessment, lang)

    monkeypatch.setattr(enterprise_reports, "build_report", counting)
    return calls


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        yield seen
        event.remove(db.engine, "before_cursor_execute", record)


def _submitted() -> Assessment:
    found = db.session.scalar(
        select(Assessment).where(Assessment.round_code == "2026", in_force()).limit(1)
    )
    assert found is not None
    return found


@pytest.mark.demo_cohort(enterprises=60, seed=4)
def test_a_repeat_view_reads_the_cache_and_each_change_builds_afresh(
    app: Flask,
    builds: list[tuple[int, str]],
    statements: list[str],
    make_user: Callable[..., User],
) -> None:
    admin = make_user(Role.ADMIN)
    with app.app_context():
        assessment = _submitted()
        first = report_cache.cached_report(assessment, "zh")
        assert builds == [(assessment.id, "zh")]
        statements.clear()
        again = report_cache.cached_report(assessment, "zh")
        assert builds == [(assessment.id, "zh")]  # not rebuilt
        assert again == first
        # Only the fingerprint's aggregates: no answers, scores or catalogue rows were read.
        assert len(statements) <= 6
        assert not any("dimension_score" in s or "solution.name_zh" in s for s in statements)

        report_cache.cached_report(assessment, "en")  # the other language
        assert builds[-1] == (assessment.id, "en") and len(builds) == 2

        solution = db.session.scalar(select(Solution).limit(1))
        assert solution is not None
        solution.name_en = solution.name_en + " (renamed)"  # a catalogue edit
        db.session.commit()
        report_cache.cached_report(assessment, "en")
        assert len(builds) == 3

        assessment.scoring_version = "revised"  # a re-score changes the result
        db.session.commit()
        report_cache.cached_report(assessment, "en")
        assert len(builds) == 4

        generate_region(6, 1, 2026, seed=11)  # new peers in the round
        report_cache.cached_report(assessment, "en")
        assert len(builds) == 5
        report_cache.cached_report(assessment, "en")
        assert len(builds) == 5

        programme = db.session.scalar(select(SupportProgramme).limit(1))
        assert programme is not None
        programme.name_en = programme.name_en + " (renamed)"  # a programme edit (roadmap)
        db.session.commit()
        report_cache.cached_report(assessment, "en")
        assert len(builds) == 6

        StageValidationFactory(  # staff validated the stage: the result's basis changes
            assessment_id=assessment.id,
            model_stage=assessment.stage,
            staff_stage=assessment.stage,
            actor_id=admin.id,
        )
        db.session.commit()
        report_cache.cached_report(assessment, "en")
        assert len(builds) == 7


def test_the_result_page_builds_its_report_once(
    client: FlaskClient, app: Flask, enterprise: Enterprise, builds: list[tuple[int, str]]
) -> None:
    assessment = submit_with(client, app, enterprise.id, least_mature_responses)
    url = f"/enterprise/assessments/{assessment.public_id}/result"
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert len(builds) == 1
    assert 'id="radar"' in second.get_data(as_text=True)
    english = client.get(url, headers={"Accept-Language": "en"})
    assert english.status_code == 200 and len(builds) == 2
