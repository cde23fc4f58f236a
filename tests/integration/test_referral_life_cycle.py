"""The referral life cycle to the post-project assessment (issue 15): a contract records its
products and amount, a close its reason, and the firm's next submitted assessment moves a
completed referral to 已复评 and tells its centre."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import Assessment, Notification, ReferralEvent
from tests.integration.questionnaire_client import DECLARED
from tests.integration.referral_client import StaffedReferral
from webapp.extensions import db
from webapp.services import matching_eval


def _assert_contract_refused(
    by_staff: StaffedReferral, products: str, amount: str, message: str
) -> None:
    """A contract of ``products`` for ``amount`` (万元, as typed) is refused with ``message``
    and nothing is stored."""
    by_staff.walk("contacted", "proposal")
    resp = by_staff.client.post(
        f"/centre/referrals/{by_staff.public_id}",
        data={"state": "contracted", "products": products, "amount_wan": amount},
        follow_redirects=True,
    )
    assert message in resp.get_data(as_text=True)
    row = by_staff.row()
    assert row.state == "proposal" and row.contract_amount_wan is None


def test_a_contract_without_products_is_refused(by_staff: StaffedReferral) -> None:
    _assert_contract_refused(by_staff, "", "12", "签约时请写明签约的产品或服务")


@pytest.mark.parametrize("amount", ["", "abc", "0", "-3", "nan", "100001"])
def test_a_contract_without_a_sensible_amount_is_refused(
    by_staff: StaffedReferral, amount: str
) -> None:
    _assert_contract_refused(by_staff, "云 MES", amount, "请填写签约金额")


def test_a_contract_is_stored_and_shown_to_staff_and_owner(by_staff: StaffedReferral) -> None:
    by_staff.walk("contacted", "proposal")
    by_staff.move("contracted", products="云 MES 标准版", amount_wan="1,250.5")
    row = by_staff.row()
    assert (row.state, row.contract_products, row.contract_amount_wan) == (
        "contracted",
        "云 MES 标准版",
        1250.5,
    )
    client = by_staff.client
    assert "云 MES 标准版" in client.get("/centre/referrals").get_data(as_text=True)
    by_staff.as_owner()  # an English-speaking owner
    page = client.get("/enterprise/referrals").get_data(as_text=True)
    assert "Contracted" in page and "云 MES 标准版" in page and "12.5 million" in page


def test_closing_needs_a_reason_and_is_final(by_staff: StaffedReferral) -> None:
    rid, client = by_staff.public_id, by_staff.client
    by_staff.move("closed", "  ")
    assert by_staff.row().state == "requested"
    by_staff.move("closed", "企业暂无预算")
    assert (by_staff.row().state, by_staff.row().close_reason) == ("closed", "企业暂无预算")
    by_staff.move("contacted")
    assert by_staff.row().state == "closed"
    assert rid not in client.get("/centre/referrals").get_data(as_text=True)  # not open
    assert rid in client.get("/centre/referrals?all=1").get_data(as_text=True)
    by_staff.as_owner()
    assert "企业暂无预算" in client.get("/enterprise/referrals").get_data(as_text=True)


def test_staff_cannot_mark_a_referral_reassessed_by_hand(by_staff: StaffedReferral) -> None:
    by_staff.walk("contacted", "proposal", "contracted", "completed")
    by_staff.move("reassessed")
    assert by_staff.row().state == "completed"


def test_the_next_submitted_assessment_reassesses_a_completed_project(
    app: Flask, client: FlaskClient, by_staff: StaffedReferral
) -> None:
    by_staff.walk("contacted", "proposal", "contracted", "completed")
    by_staff.as_owner()
    page = client.get("/enterprise/referrals").get_data(as_text=True)
    assert "post-project assessment" in page  # the owner is told what to do next
    first = by_staff.row().assessment_id
    with app.app_context():
        public_id = db.session.scalar(select(Assessment.public_id).where(Assessment.id == first))
    draft = client.post(
        f"/enterprise/assessments/{public_id}/correction",
        data={"reason": "项目上线后复评"},
    )
    new_id = draft.headers["Location"].split("/assessments/")[1].split("/")[0]
    client.post(f"/enterprise/assessments/{new_id}/submit", data=DECLARED)

    row = by_staff.row()
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
            by_staff.owner.id,
        )
        told = db.session.scalars(
            select(Notification).where(Notification.user_id == by_staff.staff.id)
        )
        assert any("已复评" in n.text_zh for n in told)
        # The matching evaluation reads the outcome: one completion, re-assessed, index change
        # from the referral's assessment to the post-project one (a correction with the same
        # answers: no change).
        table, note = matching_eval.provider_outcomes()
        assert table[row.target_code] == (1, 1, 0.0)
        assert "1 re-assessed" in note
