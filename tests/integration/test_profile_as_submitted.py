"""Profile changes never move a submitted assessment in the statistics (review finding 7): the
profile as submitted is stored on the assessment, statistics and peer groups read it, and the
migration fills it in for assessments submitted before."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from sqlalchemy import select

from assessment.instrument import most_mature_responses
from models import Assessment, Enterprise, User
from tests.integration.migrated import (
    firm_row,
    migrated_tables,
    placeholder_row,
    upgrade_and_select,
)
from tests.integration.questionnaire_client import submit_with
from webapp.extensions import db
from webapp.services import aggregates, releases
from webapp.services.confirmation import confirm
from webapp.services.enterprises import ProfileData, save_profile


def _town_counts(round_code: str = "2026") -> dict[str, int]:
    # The dashboard shows the newest published release: cut one from the figures as they are.
    releases.cut_release(round_code, "cli", k=1)
    board = aggregates.dashboard(round_code, "zh", k=1)
    return {r.code: r.total for r in board.breakdowns["town"].rows if r.total}


def test_editing_the_profile_after_submitting_does_not_move_the_assessment(
    app: Flask, client, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    enterprise = make_enterprise(user, town="houjie", employees=120, revenue_wan=3500.0)
    login(user)
    assessment = submit_with(client, app, enterprise.id, most_mature_responses)
    with app.app_context():
        # Statistics count confirmed enterprises only (as an imported one is).
        confirm(db.session.get(Enterprise, enterprise.id), "import")
        db.session.commit()
        before = _town_counts()
        stored = db.session.scalar(select(Assessment).where(Assessment.id == assessment.id))
        assert stored is not None
        assert (stored.profile_town, stored.profile_cluster, stored.profile_size_class) == (
            "houjie",
            "furniture",
            "small",
        )
        actor = db.session.get(User, user.id)
        assert actor is not None
        save_profile(
            actor,
            ProfileData(
                name="东莞市测试家具有限公司",
                uscc=enterprise.uscc,
                industry_code="C39",  # electronics
                production_type="process",
                town="qishi",
                employees=900,
                revenue_wan=90000.0,
            ),
        )
        after = _town_counts()
        board = aggregates.dashboard("2026", "zh", k=1)
        clusters = {r.code: r.total for r in board.breakdowns["cluster"].rows if r.total}
        sizes = {r.code: r.total for r in board.breakdowns["size_class"].rows if r.total}
    assert before == after == {"houjie": 1}
    assert clusters == {"furniture": 1} and sizes == {"small": 1}


@pytest.mark.own_database  # drops the tables and migrates on connections of its own
def test_the_migration_fills_in_the_profile_as_submitted(app: Flask) -> None:
    changed = {"industry_code": "C39", "cluster": "electronics", "production_type": "process"}
    changed |= {"town": "qishi", "employees": 900, "revenue_wan": 90000, "size_class": "large"}
    with app.app_context():
        t = migrated_tables("b7e2c41d9a05", ["enterprise", "assessment"]).tables
        with db.engine.begin() as conn:
            firm = firm_row(t["enterprise"], id=1, uscc="91441900MA0000000X", name="已改资料的企业")
            conn.execute(t["enterprise"].insert(), firm | changed)
            snapshot = {
                "industry_code": "C21",
                "production_type": "discrete",
                "size_class": "small",
                "town": "houjie",
                "above_scale": False,
            }
            conn.execute(
                t["assessment"].insert(),
                [
                    placeholder_row(
                        t["assessment"],
                        id=i,
                        public_id=uuid.uuid4().hex,
                        enterprise_id=1,
                        round_code=round_code,
                        instrument_id="dmi",
                        instrument_version="1",
                        status=status,
                        responses={},
                        profile_snapshot=snap,
                        version_id=1,
                    )
                    for i, (round_code, status, snap) in enumerate(
                        [
                            ("2024", "submitted", snapshot),
                            ("2025", "submitted", None),
                            ("2026", "draft", None),
                        ],
                        start=1,
                    )
                ],
            )
        (stored,) = upgrade_and_select(
            "SELECT profile_town, profile_cluster, profile_size_class, "
            "profile_production_type, profile_above_scale FROM assessment ORDER BY round_code"
        )
        db.engine.dispose()
    assert [tuple(r[:4]) for r in stored] == [
        ("houjie", "furniture", "small", "discrete"),  # from its snapshot
        ("qishi", "electronics", "large", "process"),  # no snapshot: the enterprise's profile
        (None, None, None, None),  # a draft has none
    ]
    assert [r[4] for r in stored][:2] in ([False, True], [0, 1])
