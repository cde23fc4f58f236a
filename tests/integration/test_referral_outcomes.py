"""Referral outcomes on the officer's dashboard (issue 15), frozen in each release and
protected like every published figure: counts of 1-4 firms hidden, the contract amount shown
only over at least five signing firms and not when they changed by 1-4 since the last release."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from models import Referral, Role
from tests.factories import EnterpriseFactory, SubmittedAssessmentFactory
from webapp.extensions import db
from webapp.services import referral_outcomes, releases
from webapp.services.aggregates import dashboard


def _result(level: str) -> dict[str, object]:
    return {"miit": {"level": level}}


def _referral(
    state: str, amount: float | None, before: str, after: str | None, industry: str = "C21"
) -> None:
    """A firm of GB/T 4754 division ``industry`` (default furniture) with a 2026 assessment
    (MIIT level ``before``) and a referral in ``state``; re-assessed at level ``after`` when
    given."""
    first = SubmittedAssessmentFactory(
        stage="S1", result=_result(before), enterprise=EnterpriseFactory(industry_code=industry)
    )
    second = (
        SubmittedAssessmentFactory(
            enterprise_id=first.enterprise_id, stage="S2", result=_result(after), round_code="2027"
        )
        if after is not None
        else None
    )
    db.session.add(
        Referral(
            public_id=uuid.uuid4().hex,
            enterprise_id=first.enterprise_id,
            assessment_id=first.id,
            target_kind="provider",
            target_code="P-TEST",
            target_name="测试服务商",
            state=state,
            contract_products="云 MES" if amount else "",
            contract_amount_wan=amount,
            reassessment_id=second.id if second else None,
        )
    )
    db.session.flush()


def test_small_counts_and_the_amount_of_few_contracts_are_hidden() -> None:
    raw = {name: 0 for name in (*referral_outcomes.COUNTS, *referral_outcomes.PILOT_COUNTS)}
    raw |= {"referred": 9, "contracted": 4, "completed": 1, "amount_wan": 40.0}
    raw |= {"contracted_ids": [1, 2, 3, 4]}
    out = referral_outcomes.protect(raw, None, k=5)
    assert out["referred"] == 9 and out["reassessed"] == 0  # zero is shown
    assert out["contracted"] is None and out["completed"] is None
    assert out["amount_wan"] is None  # four contracts: one amount would be guessable


@pytest.mark.parametrize(
    ("previous", "shown"),
    [(None, True), ([1, 2, 3, 4, 5], True), ([1, 2, 3, 4], False), ([], True), ([1], False)],
)
def test_the_amount_is_hidden_when_the_signing_firms_changed_by_fewer_than_k(
    previous: list[int] | None, shown: bool
) -> None:
    raw = {name: 0 for name in (*referral_outcomes.COUNTS, *referral_outcomes.PILOT_COUNTS)}
    raw |= {"contracted": 5, "amount_wan": 55.5, "contracted_ids": [1, 2, 3, 4, 5]}
    out = referral_outcomes.protect(raw, previous, k=5)
    assert (out["amount_wan"] == 55.5) is shown


@pytest.mark.own_database  # a release commits
def test_the_dashboard_shows_the_outcomes_of_the_release(app, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        for _ in range(6):
            _referral("reassessed", 10.0, "1", "2")
        _referral("contracted", 20.0, "1", None)
        for _ in range(3):
            _referral("requested", None, "0", None)
        db.session.commit()
        releases.cut_release("2026", "cli")
        shown = dashboard("2026", "zh").outcomes
    assert shown == {
        "referred": 10,
        "contracted": 7,
        "completed": 6,
        "reassessed": 6,
        "level_up": 6,
        "stage_up": 6,
        "at_level2": 6,
        "amount_wan": 80.0,
    }
    officer = make_user(Role.GOVERNMENT)
    login(officer)
    page = client.get("/government/?round=2026").get_data(as_text=True)
    assert "对接成效" in page and "80 万元" in page

    with app.app_context():  # one more contract since: the total would give its amount away
        _referral("contracted", 33.0, "1", None)
        db.session.commit()
        releases.cut_release("2026", "cli", now=datetime.now(UTC) + timedelta(days=8))
        assert dashboard("2026", "zh").outcomes["amount_wan"] is None


@pytest.mark.own_database  # a release commits
def test_pilot_targets_count_completed_projects_per_pilot_industry_and_level_two_after(app) -> None:  # type: ignore[no-untyped-def]
    """Textiles (C17) and food (C13) are pilot industries, furniture (C21) is not; the share at
    二级 is over pilot firms re-assessed after the project, under the share rule."""
    with app.app_context():
        for after in ("2", "2", "2", "2", "2", "1", "1", "1", "1", "1"):
            _referral("reassessed", 10.0, "1", after, industry="C17")
        for _ in range(5):
            _referral("completed", 10.0, "0", None, industry="C13")
        for _ in range(5):
            _referral("reassessed", 10.0, "1", "2")  # furniture: not a pilot industry
        db.session.commit()
        releases.cut_release("2026", "cli")
        rows = {t["name"]: t for t in dashboard("2026", "zh").targets}
    assert rows["试点行业完成改造的企业"]["value"] == 15
    assert rows["试点行业完成改造的企业"]["target_shown"] == "720 家"
    assert rows["试点行业完成改造的企业：纺织服装"]["value"] == 10
    assert rows["试点行业完成改造的企业：食品饮料"]["value"] == 5
    assert rows["试点行业完成改造的企业：智能移动终端"]["value"] == 0
    level_two = rows["试点企业改造后达到数字化水平二级及以上占比"]
    assert (level_two["value"], level_two["n"], level_two["shown"]) == (50.0, 10, "50.0%")


@pytest.mark.own_database  # a release commits
def test_the_pilot_share_is_withheld_when_every_reassessed_pilot_firm_reached_level_two(
    app,
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        for _ in range(6):
            _referral("reassessed", 10.0, "1", "2", industry="C17")
        db.session.commit()
        releases.cut_release("2026", "cli")
        rows = {t["name"]: t for t in dashboard("2026", "en").targets}
    level_two = rows["Pilot firms at MIIT level 2 or above after the project"]
    assert level_two["value"] is None and level_two["shown"] == "x" and level_two["n"] == 6
    assert rows["Pilot firms transformed: textiles and garments"]["shown"] == "6 firms"
