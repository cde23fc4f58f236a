"""Referral follow-up reaches the owner: every referral has a handling centre (a provider
referral goes to the firm's centre), each state change is mailed in the owner's language, and
notes marked for the owner appear on the owner's page and in the mail; other notes do not."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessment.instrument import least_mature_responses
from models import EnablingCentre, Referral, Role, ServiceProvider, User
from tests.integration.questionnaire_client import (
    current_assessment,
    submit_with,
)
from tests.mail_server import SmtpServer
from webapp.extensions import db
from webapp.services import demo


@pytest.fixture
def referral(
    app: Flask, client: FlaskClient, make_user, make_enterprise, login
) -> tuple[User, str, int]:  # type: ignore[no-untyped-def]
    """An English-speaking owner who asked for a service provider: (owner, referral id,
    the firm's centre id)."""
    with app.app_context():
        demo.load_catalogue()
    owner = make_user(email="owner-en@example.com")
    with app.app_context():
        db.session.get(User, owner.id).locale = "en"  # type: ignore[union-attr]
        db.session.commit()
    firm = make_enterprise(owner)
    login(owner)
    assessment = submit_with(client, app, firm.id, least_mature_responses).public_id
    assert current_assessment(app, firm.id).status == "submitted"
    page = client.get(f"/enterprise/assessments/{assessment}/result").get_data(as_text=True)
    with app.app_context():
        providers = set(db.session.scalars(select(ServiceProvider.code)))
    targets = re.findall(r'name="target" value="([^"]+)"', page)
    provider = next(t for t in targets if t in providers)
    client.post(f"/enterprise/assessments/{assessment}/referrals", data={"target": provider})
    client.post("/auth/logout")
    with app.app_context():
        row = db.session.scalar(select(Referral))
        assert row is not None
        return owner, row.public_id, firm.centre_id  # type: ignore[return-value]


def _staff(app: Flask, make_user, centre_id: int) -> User:  # type: ignore[no-untyped-def]
    user = make_user(Role.CENTRE_STAFF)
    with app.app_context():
        db.session.get(User, user.id).centre_id = centre_id  # type: ignore[union-attr]
        db.session.commit()
    return user


def test_a_provider_referral_is_handled_by_the_firms_centre(
    app: Flask, referral: tuple[User, str, int]
) -> None:
    _owner, rid, centre_id = referral
    with app.app_context():
        row = db.session.scalar(select(Referral).where(Referral.public_id == rid))
        assert row is not None and row.target_kind == "provider"
        assert centre_id is not None and row.centre_id == centre_id


def test_state_change_is_mailed_with_the_note_for_the_owner_only(
    app: Flask,
    client: FlaskClient,
    make_user,
    login,
    smtp_server: SmtpServer,
    referral: tuple[User, str, int],
) -> None:  # type: ignore[no-untyped-def]
    owner, rid, centre_id = referral
    login(_staff(app, make_user, centre_id))
    client.post(f"/centre/referrals/{rid}", data={"state": "contacted", "note": "内部：先打电话"})
    client.post(
        f"/centre/referrals/{rid}",
        data={"state": "in_progress", "note": "Quote sent on Monday", "for_owner": "1"},
    )
    first, second = smtp_server.to(owner.email)
    assert first["Subject"].startswith("Referral update: ")
    assert "Contacted" in smtp_server.body(first)
    assert "内部" not in smtp_server.body(first)  # a note not marked for the owner stays inside
    assert "In progress" in smtp_server.body(second)
    assert "Quote sent on Monday" in smtp_server.body(second)
    assert smtp_server.links(second) == ["http://localhost/enterprise/referrals"]
    english = smtp_server.body(first).replace("测试用户", "")  # the owner's name stays as typed
    assert not re.search(r"[\u4e00-\u9fff]", english)
    client.post("/auth/logout")
    login(owner)
    page = client.get("/enterprise/referrals").get_data(as_text=True)
    assert "Quote sent on Monday" in page
    assert "内部：先打电话" not in page


def test_staff_of_another_centre_cannot_move_the_referral(
    app: Flask,
    client: FlaskClient,
    make_user,
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
    login(_staff(app, make_user, other_centre))
    resp = client.post(f"/centre/referrals/{rid}", data={"state": "contacted", "note": "x"})
    assert resp.status_code == 404
    with app.app_context():
        row = db.session.scalar(select(Referral).where(Referral.public_id == rid))
        assert row is not None and row.state == "requested"
    assert smtp_server.messages == []
