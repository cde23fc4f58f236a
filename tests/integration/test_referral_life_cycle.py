"""The referral life cycle to the post-project assessment (issue 15): a contract records its
products and amount, a close its reason, and the firm's next submitted assessment moves a
completed referral to 已复评 and tells its centre."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import Assessment, Notification, Referral, ReferralEvent, User
from tests.factories import detached_one
from tests.integration.questionnaire_client import DECLARED
from webapp.extensions import db
from webapp.services import matching_eval


def _row(app: Flask, rid: str) -> Referral:
    return detached_one(app, select(Referral).where(Referral.public_id == rid))


def _walk(client: FlaskClient, rid: str, *states: str) -> None:
    for state in states:
        data = {"state": state, "note": ""}
        if state == "contracted":
            data |= {"products": "云 MES 标准版（牵引单位 A）", "amount_wan": "12.5"}
        assert client.post(f"/centre/referrals/{rid}", data=data).status_code == 302


@pytest.mark.parametrize(
    ("products", "amount", "message"),
    [
        ("", "12", "签约时请写明签约的产品或服务"),
        ("云 MES", "", "请填写签约金额"),
        ("云 MES", "abc", "请填写签约金额"),
        ("云 MES", "0", "请填写签约金额"),
        ("云 MES", "-3", "请填写签约金额"),
        ("云 MES", "nan", "请填写签约金额"),
        ("云 MES", "100001", "请填写签约金额"),
    ],
)
def test_a_contract_without_products_or_a_sensible_amount_is_refused(
    app: Flask,
    client: FlaskClient,
    by_staff: tuple[User, str, User],
    products: str,
    amount: str,
    message: str,
) -> None:
    _owner, rid, _staff = by_staff
    _walk(client, rid, "contacted", "proposal")
    resp = client.post(
        f"/centre/referrals/{rid}",
        data={"state": "contracted", "products": products, "amount_wan": amount},
        follow_redirects=True,
    )
    assert message in resp.get_data(as_text=True)
    row = _row(app, rid)
    assert row.state == "proposal" and row.contract_amount_wan is None


def test_a_contract_is_stored_and_shown_to_staff_and_owner(
    app: Flask,
    client: FlaskClient,
    by_staff: tuple[User, str, User],
    login: Callable[[User], None],
) -> None:
    owner, rid, _staff = by_staff
    _walk(client, rid, "contacted", "proposal")
    client.post(
        f"/centre/referrals/{rid}",
        data={"state": "contracted", "products": "云 MES 标准版", "amount_wan": "1,250.5"},
    )
    row = _row(app, rid)
    assert (row.state, row.contract_products, row.contract_amount_wan) == (
        "contracted",
        "云 MES 标准版",
        1250.5,
    )
    assert "云 MES 标准版" in client.get("/centre/referrals").get_data(as_text=True)
    client.post("/auth/logout")
    login(owner)  # an English-speaking owner
    page = client.get("/enterprise/referrals").get_data(as_text=True)
    assert "Contracted" in page and "云 MES 标准版" in page and "12.5 million" in page


def test_closing_needs_a_reason_and_is_final(
    app: Flask,
    client: FlaskClient,
    by_staff: tuple[User, str, User],
    login: Callable[[User], None],
) -> None:
    owner, rid, _staff = by_staff
    client.post(f"/centre/referrals/{rid}", data={"state": "closed", "note": "  "})
    assert _row(app, rid).state == "requested"
    client.post(f"/centre/referrals/{rid}", data={"state": "closed", "note": "企业暂无预算"})
    assert (_row(app, rid).state, _row(app, rid).close_reason) == ("closed", "企业暂无预算")
    client.post(f"/centre/referrals/{rid}", data={"state": "contacted", "note": ""})
    assert _row(app, rid).state == "closed"
    assert rid not in client.get("/centre/referrals").get_data(as_text=True)  # not open
    assert rid in client.get("/centre/referrals?all=1").get_data(as_text=True)
    client.post("/auth/logout")
    login(owner)
    assert "企业暂无预算" in client.get("/enterprise/referrals").get_data(as_text=True)


def test_staff_cannot_mark_a_referral_reassessed_by_hand(
    app: Flask,
    client: FlaskClient,
    by_staff: tuple[User, str, User],
) -> None:
    _owner, rid, _staff = by_staff
    _walk(client, rid, "contacted", "proposal", "contracted", "completed")
    client.post(f"/centre/referrals/{rid}", data={"state": "reassessed", "note": ""})
    assert _row(app, rid).state == "completed"


def test_the_next_submitted_assessment_reassesses_a_completed_project(
    app: Flask,
    client: FlaskClient,
    by_staff: tuple[User, str, User],
    login: Callable[[User], None],
) -> None:
    owner, rid, staff = by_staff
    _walk(client, rid, "contacted", "proposal", "contracted", "completed")
    client.post("/auth/logout")
    login(owner)
    page = client.get("/enterprise/referrals").get_data(as_text=True)
    assert "post-project assessment" in page  # the owner is told what to do next
    first = _row(app, rid).assessment_id
    with app.app_context():
        public_id = db.session.scalar(select(Assessment.public_id).where(Assessment.id == first))
    draft = client.post(
        f"/enterprise/assessments/{public_id}/correction",
        data={"reason": "项目上线后复评"},
    )
    new_id = draft.headers["Location"].split("/assessments/")[1].split("/")[0]
    client.post(f"/enterprise/assessments/{new_id}/submit", data=DECLARED)

    row = _row(app, rid)
    assert row.state == "reassessed" and row.reassessment_id not in (None, first)
    page = client.get("/enterprise/referrals").get_data(as_text=True)
    assert f"/enterprise/assessments/{new_id}/result" in page
    with app.app_context():
        last = db.session.scalars(
            select(ReferralEvent).where(ReferralEvent.referral_id == row.id)
        ).all()[-1]
        assert (last.from_state, last.to_state, last.actor_id) == (
            "completed",
            "reassessed",
            owner.id,
        )
        told = db.session.scalars(select(Notification).where(Notification.user_id == staff.id))
        assert any("已复评" in n.text_zh for n in told)
        # The matching evaluation reads the outcome: one completion, re-assessed, index change
        # from the referral's assessment to the post-project one (a correction with the same
        # answers: no change).
        table, note = matching_eval.provider_outcomes()
        assert table[row.target_code] == (1, 1, 0.0)
        assert "1 re-assessed" in note
