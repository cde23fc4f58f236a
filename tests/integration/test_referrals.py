"""Referral round trip: the enterprise asks, staff move it, the enterprise sees each state,
and every step is in the audit trail and the outbox."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from models import Assessment, Enterprise, Notification, Referral, ReferralEvent, Role, User
from tests.factories import PASSWORD
from webapp.extensions import db


def _request_first_referral(client, public_id: str, times: int = 1) -> None:  # type: ignore[no-untyped-def]
    """As the logged-in owner: ask ``times`` times for a referral to the first recommendation
    on the result page of assessment ``public_id``."""
    page = client.get(f"/enterprise/assessments/{public_id}/result").get_data(as_text=True)
    target = re.search(r'name="target" value="([^"]+)"', page).group(1)
    for _ in range(times):
        client.post(f"/enterprise/assessments/{public_id}/referrals", data={"target": target})


@pytest.mark.demo_cohort(enterprises=30, seed=2)  # the access-matrix tests' cohort
def test_referral_round_trip(app, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == "owner@demo.invalid"))
        owner.password_hash = generate_password_hash(PASSWORD)
        assessment = db.session.scalar(
            select(Assessment).where(Assessment.enterprise_id == owner.enterprise_id)
        )
        centre_id = db.session.scalar(
            select(User.centre_id).where(User.email == "staff@demo.invalid")
        )

        db.session.get(Enterprise, owner.enterprise_id).centre_id = centre_id
        db.session.commit()
        public_id = assessment.public_id
        db.session.refresh(owner)
        db.session.expunge(owner)
    login(owner)
    _request_first_referral(client, public_id, times=2)  # twice
    with app.app_context():
        referral = db.session.scalar(select(Referral))
        assert db.session.scalar(select(db.func.count(Referral.id))) == 1
        rid = referral.public_id
    seen = [client.get("/enterprise/referrals").get_data(as_text=True)]
    client.post("/auth/logout")

    staff = make_user(Role.CENTRE_STAFF)
    with app.app_context():
        db.session.get(User, staff.id).centre_id = centre_id
        db.session.commit()
    login(staff)
    assert rid in client.get("/centre/referrals").get_data(as_text=True)
    resp = client.post(f"/centre/referrals/{rid}", data={"state": "completed"})  # skips steps
    assert resp.status_code == 302
    for state in ("contacted", "proposal"):
        client.post(f"/centre/referrals/{rid}", data={"state": state, "note": f"{state} ok"})
    client.post(f"/centre/referrals/{rid}", data={"state": "closed", "note": ""})  # no reason
    contract = {"state": "contracted", "products": "云 ERP 一年", "amount_wan": "8.5"}
    client.post(f"/centre/referrals/{rid}", data=contract)
    client.post(f"/centre/referrals/{rid}", data={"state": "completed", "note": "上线云 ERP"})
    other = make_user(Role.CENTRE_STAFF)  # staff of no centre cannot move it
    client.post("/auth/logout")
    login(other)
    assert (
        client.post(f"/centre/referrals/{rid}", data={"state": "closed", "note": "x"}).status_code
        == 404
    )
    client.post("/auth/logout")
    login(owner)
    seen.append(client.get("/enterprise/referrals").get_data(as_text=True))
    assert "已申请" in seen[0] and "已完成" in seen[1]
    with app.app_context():
        events = db.session.scalars(select(ReferralEvent).order_by(ReferralEvent.id)).all()
        assert [(e.from_state, e.to_state) for e in events] == [
            (None, "requested"),
            ("requested", "contacted"),
            ("contacted", "proposal"),
            ("proposal", "contracted"),
            ("contracted", "completed"),
        ]
        texts = [
            n.text_zh
            for n in db.session.scalars(
                select(Notification).where(Notification.user_id == owner.id)
            )
        ]
        assert any("方案/报价" in t for t in texts) and any("已完成" in t for t in texts)
        assert all(
            n.sent_at is None for n in db.session.scalars(select(Notification))
        )  # e-mail off


@pytest.mark.demo_cohort(enterprises=40, seed=2)
def test_the_demo_owners_referral_reaches_the_demo_staff(app, client, login) -> None:  # type: ignore[no-untyped-def]
    """A new user trying the demo accounts sees the whole hand-over: the demo owner's firm is
    in the demo staff's cohort."""
    with app.app_context():
        owner, staff = (
            db.session.scalar(select(User).where(User.email == email))
            for email in ("owner@demo.invalid", "staff@demo.invalid")
        )
        for user in (owner, staff):
            user.password_hash = generate_password_hash(PASSWORD)
        db.session.commit()
        firm = db.session.get(Enterprise, owner.enterprise_id)
        assert firm.centre_id == staff.centre_id
        public_id = db.session.scalar(
            select(Assessment.public_id).where(Assessment.enterprise_id == firm.id)
        )
        for user in (owner, staff):
            db.session.refresh(user)
            db.session.expunge(user)
    login(owner)
    _request_first_referral(client, public_id)
    client.post("/auth/logout")
    login(staff)
    assert firm.name in client.get("/centre/referrals").get_data(as_text=True)
