"""The quality page and command report one questionnaire version of a round at a time: the
current one by default, another chosen from the versions the round's assessments were on."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from assessment.errors import InstrumentVersionError
from models import Assessment, in_force
from webapp.extensions import db
from webapp.services.quality import quality_versions, round_quality

#: The access-matrix tests' cohort (questionnaire v2, the packaged current version).
pytestmark = pytest.mark.demo_cohort(enterprises=30, seed=2)


def relabel(app: Flask, count: int, version: str) -> list[int]:
    """Mark ``count`` of the round's submitted assessments as answered on ``version`` (inside
    the test's rolled-back transaction)."""
    with app.app_context():
        ids = list(
            db.session.scalars(
                select(Assessment.id)
                .where(Assessment.round_code == "2026", in_force())
                .order_by(Assessment.id)
                .limit(count)
            )
        )
        db.session.execute(
            update(Assessment).where(Assessment.id.in_(ids)).values(instrument_version=version)
        )
        db.session.commit()
    return ids


def test_only_assessments_of_the_chosen_version_count(app: Flask) -> None:
    with app.app_context():
        assert quality_versions("2026") == ["2"]
        everyone = round_quality("2026")
        assert everyone.n == 30 and round_quality("2026", "2") == everyone
        assert round_quality("2026", "1").n == 0  # v1 exists; nobody in the round answered it
    relabel(app, 4, "1")
    with app.app_context():
        assert quality_versions("2026") == ["1", "2"]
        on_v2 = round_quality("2026", "2")
        assert on_v2.n == 26 and round_quality("2026").n == 26
        assert sum(sum(row.values()) for row in on_v2.stage_by_level.values()) == 26


def test_an_unknown_version_is_an_error(app: Flask) -> None:
    with app.app_context(), pytest.raises(InstrumentVersionError):
        round_quality("2026", "9")


def test_the_page_offers_the_round_versions_and_defaults_to_the_current(
    app: Flask, admin_client: FlaskClient
) -> None:
    relabel(app, 4, "1")
    html = admin_client.get("/admin/?round=2026").get_data(as_text=True)
    options = re.findall(r'<option value="(\d+)"( selected)?>v\d+</option>', html)
    assert options == [("1", ""), ("2", " selected")]
    assert "26 份已提交评估（问卷第 2 版）" in html
    chosen = admin_client.get("/admin/?round=2026&version=1").get_data(as_text=True)
    assert "4 份已提交评估（问卷第 1 版）" in chosen


def test_a_version_that_does_not_exist_is_explained_and_the_current_shown(
    admin_client: FlaskClient,
) -> None:
    html = admin_client.get("/admin/?round=2026&version=9").get_data(as_text=True)
    assert "没有第 9 版问卷，显示的是当前版本。" in html
    assert "30 份已提交评估（问卷第 2 版）" in html


def test_the_quality_command_takes_a_version(app: Flask) -> None:
    relabel(app, 4, "1")
    runner = app.test_cli_runner()
    default = runner.invoke(args=["assessments", "quality", "--round", "2026"])
    assert default.exit_code == 0, default.output
    assert "round 2026, questionnaire v2: 26 submitted assessments" in default.output
    v1 = runner.invoke(args=["assessments", "quality", "--round", "2026", "--version", "1"])
    assert v1.exit_code == 0, v1.output
    assert "questionnaire v1: 4 submitted assessments" in v1.output
    unknown = runner.invoke(args=["assessments", "quality", "--round", "2026", "--version", "9"])
    assert unknown.exit_code != 0 and "versions in round 2026: 1, 2" in unknown.output
