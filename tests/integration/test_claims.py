"""Claims on an enterprise already in the system: nobody takes over a firm silently. A claim
on an imported firm (no users) is decided by staff of its centre, a claim on a registered firm
by its owner; an unapproved claim grants nothing, and the claimant gets the decision by mail in
their language, a refusal naming who decides."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import (
    Assessment,
    AuditLog,
    ClaimState,
    EnablingCentre,
    Enterprise,
    EnterpriseClaim,
    Role,
    User,
)
from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    SubmittedAssessmentFactory,
    add_centre,
    profile_form,
)
from tests.mail_server import SmtpServer
from webapp.extensions import db

EN = {"Accept-Language": "en"}


@pytest.fixture
def imported(app: Flask) -> tuple[int, str, str, int]:
    """An imported firm without users, in centre CLM-A, with a submitted assessment:
    (enterprise id, USCC, assessment public id, centre id)."""
    with app.app_context():
        centre = add_centre("CLM-A", name_zh="东莞市认领测试中心", name_en="Claim Test Centre")
        add_centre("CLM-B")
        firm = EnterpriseFactory(name="东莞市被导入制造有限公司", centre_id=centre.id)
        assessment = SubmittedAssessmentFactory(enterprise=firm)
        db.session.commit()
        return firm.id, firm.uscc, assessment.public_id, centre.id


def _login(client: FlaskClient, user: User) -> None:
    client.post("/auth/logout")
    resp = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert resp.status_code == 302


def _claim(client: FlaskClient, uscc: str, name: str = "东莞市被导入制造有限公司") -> str:
    page = client.post("/enterprise/profile", data=profile_form(name, uscc))
    assert 'action="/enterprise/claims"' in page.get_data(as_text=True)
    resp = client.post("/enterprise/claims", data={"uscc": uscc, "note": "我是厂长"})
    assert resp.status_code == 302
    return resp.headers["Location"]


def _claim_row(app: Flask) -> EnterpriseClaim:
    with app.app_context():
        claim = db.session.scalar(select(EnterpriseClaim).order_by(EnterpriseClaim.id.desc()))
        assert claim is not None
        db.session.expunge(claim)
        return claim


@pytest.fixture
def registered_claim(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    make_enterprise: Callable[..., Enterprise],
    login: Callable[[User], None],
) -> Callable[..., tuple[User, Enterprise, User, EnterpriseClaim]]:
    """Make an owner with a registered firm, optionally in centre ``centre_code`` (made here),
    and a claimant (``make_user`` keyword arguments) who logs in and claims the firm; returns
    (owner, firm, claimant, claim). The client stays logged in as the claimant."""

    def make(
        centre_code: str | None = None, **claimant_fields: str
    ) -> tuple[User, Enterprise, User, EnterpriseClaim]:
        owner = make_user()
        firm = make_enterprise(owner)
        if centre_code is not None:
            with app.app_context():
                centre = add_centre(centre_code)
                db.session.get(Enterprise, firm.id).centre_id = centre.id  # type: ignore[union-attr]
                db.session.commit()
        claimant = make_user(**claimant_fields)
        login(claimant)
        _claim(client, firm.uscc, firm.name)
        return owner, firm, claimant, _claim_row(app)

    return make


def _staff(app: Flask, make_user: Callable[..., User], centre_code: str, **columns: object) -> User:
    """A new staff member of the centre coded ``centre_code``, with any other ``User``
    ``columns`` (``locale``, ``active``)."""
    with app.app_context():
        centre_id = db.session.scalar(
            select(EnablingCentre.id).where(EnablingCentre.code == centre_code)
        )
    return make_user(Role.CENTRE_STAFF, centre_id=centre_id, **columns)


def test_an_unapproved_claim_grants_nothing(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    login,
    imported: tuple[int, str, str, int],
) -> None:  # type: ignore[no-untyped-def]
    firm_id, uscc, assessment, _centre = imported
    claimant = make_user()
    login(claimant)
    _claim(client, uscc)
    claim = _claim_row(app)
    assert claim.state == ClaimState.PENDING.value and claim.note == "我是厂长"
    with app.app_context():
        assert db.session.get(User, claim.claimant_id).enterprise_id is None  # type: ignore[union-attr]
    assert client.get("/enterprise/").status_code == 302  # no enterprise: to the profile
    assert client.get(f"/enterprise/assessments/{assessment}/result").status_code == 404
    assert client.get(f"/enterprise/assessments/{assessment}/report.pdf").status_code == 404
    assert client.get(f"/api/v1/assessments/{assessment}").status_code == 404
    own = client.post(f"/enterprise/team/claims/{claim.public_id}", data={"decision": "approve"})
    assert own.status_code == 404  # the claimant cannot approve their own claim
    profile = client.get("/enterprise/profile").get_data(as_text=True)
    assert "待审核" in profile and "东莞市认领测试中心" in profile  # who decides
    again = client.post("/enterprise/claims", data={"uscc": uscc}, follow_redirects=True)
    assert "请等待审核" in again.get_data(as_text=True)
    with app.app_context():
        count = len(db.session.scalars(select(EnterpriseClaim)).all())
        assert count == 1


def test_staff_of_the_firms_centre_approve_and_the_claimant_becomes_its_owner(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    login,
    smtp_server: SmtpServer,
    imported: tuple[int, str, str, int],
) -> None:  # type: ignore[no-untyped-def]
    firm_id, uscc, assessment, _centre = imported
    claimant = make_user(email="claimant@example.com", locale="en")
    login(claimant)
    _claim(client, uscc)
    claim = _claim_row(app)
    other = _staff(app, make_user, "CLM-B")
    _login(client, other)
    assert claim.public_id not in client.get("/centre/claims").get_data(as_text=True)
    refused = client.post(f"/centre/claims/{claim.public_id}", data={"decision": "approve"})
    assert refused.status_code == 404  # staff of another centre cannot decide
    assert _claim_row(app).state == ClaimState.PENDING.value
    staff = _staff(app, make_user, "CLM-A")
    _login(client, staff)
    assert claim.public_id in client.get("/centre/claims").get_data(as_text=True)
    resp = client.post(f"/centre/claims/{claim.public_id}", data={"decision": "approve"})
    assert resp.status_code == 302
    with app.app_context():
        joined = db.session.get(User, claimant.id)
        firm = db.session.get(Enterprise, firm_id)
        assert joined is not None and firm is not None
        assert (joined.enterprise_id, joined.member_role) == (firm_id, "owner")
        assert firm.confirmation == "import"  # an imported firm keeps its first confirmation
        audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "claim_approved"))
        assert audit is not None and audit.actor_id == staff.id
    (mail,) = smtp_server.to("claimant@example.com")
    body = smtp_server.body(mail)
    assert "Claim approved" in str(mail["Subject"]) and uscc in body
    assert not re.search(
        r"[\u4e00-\u9fff]", body.replace("东莞市被导入制造有限公司", "").replace("测试用户", "")
    )
    listed = client.get("/centre/claims").get_data(as_text=True)
    assert claim.public_id in listed and "已批准" in listed  # decided claims stay listed
    # The firm now has an owner, who decides from here on: staff cannot reopen the claim.
    again = client.post(
        f"/centre/claims/{claim.public_id}", data={"decision": "refuse", "reason": "重复"}
    )
    assert again.status_code == 404
    assert _claim_row(app).state == ClaimState.APPROVED.value
    _login(client, claimant)
    home = client.get("/enterprise/")
    assert home.status_code == 200 and uscc in home.get_data(as_text=True)


def test_a_claim_on_a_registered_firm_is_decided_by_its_owner_and_a_refusal_says_who(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    registered_claim: Callable[..., tuple[User, Enterprise, User, EnterpriseClaim]],
    smtp_server: SmtpServer,
) -> None:
    owner, firm, claimant, claim = registered_claim("CLM-C", email="second@example.com")
    staff = _staff(app, make_user, "CLM-C")
    _login(client, staff)
    assert (
        client.post(f"/centre/claims/{claim.public_id}", data={"decision": "approve"}).status_code
        == 404
    )
    _login(client, owner)
    team = client.get("/enterprise/team").get_data(as_text=True)
    assert "second@example.com" in team and "我是厂长" in team
    without_reason = client.post(
        f"/enterprise/team/claims/{claim.public_id}",
        data={"decision": "refuse"},
        follow_redirects=True,
    )
    assert "请写明原因" in without_reason.get_data(as_text=True)
    assert _claim_row(app).state == ClaimState.PENDING.value
    client.post(
        f"/enterprise/team/claims/{claim.public_id}",
        data={"decision": "refuse", "reason": "我们不认识此人"},
    )
    assert _claim_row(app).state == ClaimState.REFUSED.value
    twice = client.post(
        f"/enterprise/team/claims/{claim.public_id}",
        data={"decision": "approve"},
        follow_redirects=True,
    )
    assert "已经处理" in twice.get_data(as_text=True)
    (mail,) = smtp_server.to("second@example.com")
    body = smtp_server.body(mail)
    assert "未获批准" in str(mail["Subject"])
    assert "我们不认识此人" in body and "该企业的负责人（测试用户）" in body
    with app.app_context():
        assert db.session.get(User, claimant.id).enterprise_id is None  # type: ignore[union-attr]
    _login(client, claimant)
    assert client.get("/enterprise/").status_code == 302
    with app.app_context():
        draft = db.session.scalar(select(Assessment).where(Assessment.enterprise_id == firm.id))
    assert draft is None


def test_a_member_approved_into_a_registered_firm_joins_as_an_editor(
    app: Flask,
    client: FlaskClient,
    registered_claim: Callable[..., tuple[User, Enterprise, User, EnterpriseClaim]],
    smtp_server: SmtpServer,
) -> None:
    owner, firm, claimant, claim = registered_claim()
    _login(client, owner)
    client.post(f"/enterprise/team/claims/{claim.public_id}", data={"decision": "approve"})
    with app.app_context():
        joined = db.session.get(User, claimant.id)
        assert joined is not None
        assert (joined.enterprise_id, joined.member_role) == (firm.id, "editor")
    assert len(smtp_server.to(claimant.email)) == 1


def test_the_deciders_are_mailed_when_a_claim_arrives_each_in_their_language(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    make_enterprise: Callable[..., Enterprise],
    login,
    smtp_server: SmtpServer,
    imported: tuple[int, str, str, int],
) -> None:  # type: ignore[no-untyped-def]
    _firm_id, uscc, _assessment, _centre = imported
    zh_staff = _staff(app, make_user, "CLM-A")
    en_staff = _staff(app, make_user, "CLM-A", locale="en")
    gone = _staff(app, make_user, "CLM-A", active=False)
    elsewhere = _staff(app, make_user, "CLM-B")
    login(make_user(email="claimer@example.com"))
    _claim(client, uscc)
    # An imported firm has no users: every active staff member of its centre decides.
    assert {str(m["To"]) for m in smtp_server.messages} == {zh_staff.email, en_staff.email}
    assert not smtp_server.to(elsewhere.email) and not smtp_server.to(gone.email)
    (zh,) = smtp_server.to(zh_staff.email)
    assert "新的认领申请" in str(zh["Subject"]) and "我是厂长" in smtp_server.body(zh)
    assert any(u.endswith("/centre/claims") for u in smtp_server.links(zh))
    (en,) = smtp_server.to(en_staff.email)
    assert "New claim request" in str(en["Subject"]) and "claimer@example.com" in smtp_server.body(
        en
    )

    # A registered firm's claim goes to its owner only, with a link to the team page.
    owner = make_user(email="firm-owner@example.com")
    firm = make_enterprise(owner)
    with app.app_context():
        db.session.get(Enterprise, firm.id).centre_id = _centre  # type: ignore[union-attr]
        db.session.commit()
    smtp_server.messages.clear()
    _login(client, make_user(email="claimer2@example.com"))
    _claim(client, firm.uscc, firm.name)
    (to_owner,) = smtp_server.messages
    assert str(to_owner["To"]) == owner.email
    assert any(u.endswith("/enterprise/team") for u in smtp_server.links(to_owner))
