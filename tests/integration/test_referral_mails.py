"""Referral follow-up reaches the owner: every referral has a handling centre (a provider
referral goes to the firm's centre), each state change is mailed in the owner's language, and
notes marked for the owner appear on the owner's page and in the mail; other notes do not."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import EnablingCentre, Referral, User
from tests.integration.referral_client import StaffedReferral
from tests.mail_server import SmtpServer
from webapp.extensions import db


def test_a_provider_referral_is_handled_by_the_firms_centre(
    app: Flask, referral: tuple[User, str, int]
) -> None:
    _owner, rid, centre_id = referral
    with app.app_context():
        row = db.session.scalar(select(Referral).where(Referral.public_id == rid))
        assert row is not None and row.target_kind == "provider"
        assert centre_id is not None and row.centre_id == centre_id


def test_state_change_is_mailed_with_the_note_for_the_owner_only(
    client: FlaskClient, smtp_server: SmtpServer, by_staff: StaffedReferral
) -> None:
    by_staff.move("contacted", "内部：先打电话")
    by_staff.move("proposal", "Quote sent on Monday", for_owner=True)
    first, second = smtp_server.to(by_staff.owner.email)
    assert first["Subject"].startswith("Referral update: ")
    assert "Contacted" in smtp_server.body(first)
    assert "内部" not in smtp_server.body(first)  # a note not marked for the owner stays inside
    assert "Proposal / quote" in smtp_server.body(second)
    assert "Quote sent on Monday" in smtp_server.body(second)
    assert smtp_server.links(second) == ["http://localhost/enterprise/referrals"]
    english = smtp_server.body(first).replace("测试用户", "")  # the owner's name stays as typed
    assert not re.search(r"[\u4e00-\u9fff]", english)
    by_staff.as_owner()
    page = client.get("/enterprise/referrals").get_data(as_text=True)
    assert "Quote sent on Monday" in page
    assert "内部：先打电话" not in page


def test_staff_of_another_centre_cannot_move_the_referral(
    app: Flask,
    client: FlaskClient,
    staff_of,
    login,
    smtp_server: SmtpServer,
    referral: tuple[User, str, int],
) -> None:  # type: ignore[no-untyped-def]
    _owner, rid, centre_id = referral
    with app.app_context():
        other_centre = db.session.scalar(
            select(EnablingCentre.id).where(EnablingCentre.id != centre_id)
        )
        assert other_centre is not None
    login(staff_of(other_centre))
    resp = client.post(f"/centre/referrals/{rid}", data={"state": "contacted", "note": "x"})
    assert resp.status_code == 404
    with app.app_context():
        row = db.session.scalar(select(Referral).where(Referral.public_id == rid))
        assert row is not None and row.state == "requested"
    assert smtp_server.messages == []
