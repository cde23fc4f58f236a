"""Several users per enterprise: the owner invites a colleague by mail, the colleague joins
through the single-use, 7-day link, a view-only member is refused every write, and answers
saved by a colleague are attributed in the audit log."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import ColumnElement, select

from assessment.instrument import current_instrument, least_mature_responses
from models import Assessment, AuditLog, Enterprise, Invitation, MemberRole, Role, User, utcnow
from tests.factories import PASSWORD, detached_one
from tests.integration.questionnaire_client import DECLARED, submit_with
from tests.mail_server import SmtpServer
from webapp.extensions import db
from webapp.services import assessments, members
from webapp.services.errors import PermissionDeniedError

EN = {"Accept-Language": "en"}


def _invite(client: FlaskClient, email: str, role: str = "editor") -> None:
    resp = client.post("/enterprise/team", data={"email": email, "member_role": role})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]


def _link(smtp_server: SmtpServer, email: str) -> str:
    message = smtp_server.to(email)[-1]
    (url,) = [u for u in smtp_server.links(message) if "/auth/invitations/" in u]
    return url.removeprefix("http://localhost")


@pytest.fixture
def invite(
    client: FlaskClient, smtp_server: SmtpServer, enterprise: Enterprise
) -> Callable[..., str]:
    """Invites an address (as ``role``, editor unless given) as the logged-in owner of
    ``enterprise`` and returns the path of the link in the invitation mail."""

    def do(email: str, role: str = "editor") -> str:
        _invite(client, email, role)
        return _link(smtp_server, email)

    return do


def _join(client: FlaskClient, path: str, name: str = "王同事") -> object:
    data = {"display_name": name, "password": PASSWORD, "confirm": PASSWORD, "consent": "y"}
    return client.post(path, data=data)


def _no_user(app: Flask, condition: ColumnElement[bool]) -> bool:
    """Whether no user account matches ``condition``: nobody registered through the link."""
    with app.app_context():
        return db.session.scalar(select(User).where(condition)) is None


def _user(app: Flask, email: str) -> User:
    return detached_one(app, select(User).where(User.email == email))


def test_an_invited_colleague_registers_through_the_link_and_joins_as_invited(
    app: Flask, client: FlaskClient, enterprise: Enterprise, smtp_server: SmtpServer
) -> None:
    _invite(client, "Colleague@Example.com", "viewer")
    (mail,) = smtp_server.to("colleague@example.com")
    assert enterprise.name in mail["Subject"] and "只读" in smtp_server.body(mail)
    path = _link(smtp_server, "colleague@example.com")
    stored = detached_one(app, select(Invitation))
    assert stored.token_hash is not None
    assert path.rsplit("/", 1)[1] not in str(stored.token_hash)  # only the digest is kept
    assert stored.expires_at is not None
    left = members.as_utc(stored.expires_at) - utcnow()
    assert timedelta(days=6, hours=23) < left <= timedelta(days=7)
    client.post("/auth/logout")
    page = client.get(path).get_data(as_text=True)
    assert enterprise.name in page and "colleague@example.com" in page
    resp = _join(client, path)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/enterprise/")  # type: ignore[attr-defined]
    joined = _user(app, "colleague@example.com")
    assert joined.enterprise_id == enterprise.id and joined.member_role == "viewer"
    assert client.get("/enterprise/").status_code == 200
    with app.app_context():
        audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "member_joined"))
        assert audit is not None and audit.actor_id == joined.id


def test_a_reused_invitation_link_gets_a_clear_page_and_grants_nothing(
    app: Flask, client: FlaskClient, invite: Callable[..., str]
) -> None:
    path = invite("first@example.com")
    client.post("/auth/logout")
    assert _join(client, path).status_code == 302  # type: ignore[attr-defined]
    client.post("/auth/logout")
    again = client.get(path)
    assert again.status_code == 410 and "已经使用过" in again.get_data(as_text=True)
    other = client.post(
        path, data={"display_name": "冒用者", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert other.status_code == 410
    assert _no_user(app, User.display_name == "冒用者")


def test_an_expired_invitation_link_is_refused_in_the_page_language(
    app: Flask, client: FlaskClient, invite: Callable[..., str]
) -> None:
    path = invite("late@example.com")
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation is not None
        invitation.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    client.post("/auth/logout")
    resp = client.get(path)
    assert resp.status_code == 410 and "已过期" in resp.get_data(as_text=True)
    english = client.get(path + "?lang=en", headers=EN).get_data(as_text=True)
    assert "has expired" in english
    assert _join(client, path).status_code == 410  # type: ignore[attr-defined]
    assert _no_user(app, User.email == "late@example.com")


def test_a_resend_ends_the_earlier_link_and_a_revoked_invitation_says_so(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer, invite: Callable[..., str]
) -> None:
    first = invite("twice@example.com")
    public_id = detached_one(app, select(Invitation)).public_id
    assert client.post(f"/enterprise/team/invitations/{public_id}/resend").status_code == 302
    second = _link(smtp_server, "twice@example.com")
    assert first != second
    assert "新的邀请邮件取代" in client.get(first).get_data(as_text=True)
    assert client.post(f"/enterprise/team/invitations/{public_id}/revoke").status_code == 302
    resp = client.get(second)
    assert resp.status_code == 410 and "撤销" in resp.get_data(as_text=True)


def test_an_invitation_mail_is_written_in_the_inviters_language(
    app: Flask, client: FlaskClient, enterprise: Enterprise, smtp_server: SmtpServer
) -> None:
    client.post("/lang/en")
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.enterprise_id == enterprise.id))
        assert owner is not None
        owner.locale = "en"
        db.session.commit()
    _invite(client, "english@example.com", "viewer")
    (mail,) = smtp_server.to("english@example.com")
    body = smtp_server.body(mail)
    assert str(mail["Subject"]).strip().startswith("Invitation to join")
    assert "Viewer (can only view)" in body and "within 7 days" in body
    assert not re.search(
        r"[\u4e00-\u9fff]", body.replace(enterprise.name, "").replace("测试用户", "")
    )


def test_only_the_owner_manages_the_team(client: FlaskClient, invite: Callable[..., str]) -> None:
    path = invite("editor@example.com", "editor")
    client.post("/auth/logout")
    _join(client, path)
    resp = client.get("/enterprise/team")
    assert resp.status_code == 403 and "只有企业负责人" in resp.get_data(as_text=True)
    assert client.post("/enterprise/team", data={"email": "x@example.com"}).status_code == 403


@pytest.fixture
def viewer(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], enterprise: Enterprise
) -> tuple[User, Assessment]:
    """The owner's submitted assessment and a view-only colleague, logged in (detached)."""
    submitted = submit_with(client, app, enterprise.id, least_mature_responses)
    client.post("/auth/logout")
    user = make_user(
        email="viewer@example.com",
        enterprise_id=enterprise.id,
        member_role=MemberRole.VIEWER.value,
    )
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    return user, submitted


def test_a_viewer_reads_the_report_but_every_write_route_refuses(
    app: Flask, client: FlaskClient, viewer: tuple[User, Assessment]
) -> None:
    user, submitted = viewer
    public_id = submitted.public_id
    assert client.get(f"/enterprise/assessments/{public_id}/result").status_code == 200
    assert client.get("/enterprise/").status_code == 200
    dim = current_instrument().dimensions[0].code
    refused = [
        client.post("/enterprise/assessments/start"),
        client.post(f"/enterprise/assessments/{public_id}/pages/{dim}", data={"item_ORG-01": "L3"}),
        client.post(f"/enterprise/assessments/{public_id}/submit", data=DECLARED),
        client.post(f"/enterprise/assessments/{public_id}/correction", data={"reason": "改"}),
        client.post(f"/enterprise/assessments/{public_id}/referrals", data={"target": "X"}),
        client.post("/enterprise/profile", data={"name": "改名"}),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert all("只能查看" in r.get_data(as_text=True) for r in refused)
    english = client.post(f"/enterprise/assessments/{public_id}/submit", data=DECLARED, headers=EN)
    assert "can only view" in english.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Assessment).where(Assessment.status == "draft")) is None


def test_a_viewer_is_refused_by_the_services_too(
    app: Flask, enterprise: Enterprise, draft: Assessment, make_user: Callable[..., User]
) -> None:
    user = make_user(enterprise_id=enterprise.id, member_role=MemberRole.VIEWER.value)
    with app.app_context():
        actor = db.session.get(User, user.id)
        row = db.session.get(Assessment, draft.id)
        assert actor is not None and row is not None
        with pytest.raises(PermissionDeniedError):
            assessments.save_responses(actor, row, {"X-01": "L3"}, (), None)
        with pytest.raises(PermissionDeniedError):
            assessments.submit_assessment(row, actor, declared=True)
        assert "X-01" not in (db.session.get(Assessment, draft.id).responses or {})  # type: ignore[union-attr]


def _single_choice(app: Flask, draft: Assessment) -> tuple[str, str, str, str]:
    """(page, item code, option, another option) of the draft's first single-choice item."""
    with app.app_context():
        row = db.session.get(Assessment, draft.id)
        assert row is not None
        for dim in current_instrument().dimensions:
            for item in assessments.items_for_page(row, dim.code):
                if item.kind.value == "single" and len(item.options) >= 2:
                    return dim.code, item.code, item.options[0].code, item.options[1].code
    raise AssertionError("no single-choice item")


def test_answers_saved_by_a_colleague_are_attributed_in_the_audit(
    app: Flask, client: FlaskClient, draft: Assessment, invite: Callable[..., str]
) -> None:
    dim, code, first, second = _single_choice(app, draft)
    url = f"/enterprise/assessments/{draft.public_id}/pages/{dim}"
    client.post(url, data={f"item_{code}": first})
    path = invite("answers@example.com", "editor")
    client.post("/auth/logout")
    _join(client, path)
    client.post(url, data={f"item_{code}": second})
    colleague = _user(app, "answers@example.com")
    with app.app_context():
        rows = db.session.scalars(
            select(AuditLog)
            .where(AuditLog.action == "responses_saved", AuditLog.entity_code == draft.public_id)
            .order_by(AuditLog.id)
        ).all()
        assert [(r.actor_id == colleague.id, r.detail["items"]) for r in rows] == [
            (False, [code]),
            (True, [code]),
        ]
        assert db.session.get(Assessment, draft.id).responses[code] == second  # type: ignore[union-attr]


def test_a_member_of_another_enterprise_cannot_reach_this_ones_pages_or_team(
    app: Flask,
    client: FlaskClient,
    enterprise: Enterprise,
    draft: Assessment,
    make_user: Callable[..., User],
    make_enterprise: Callable[..., Enterprise],
    smtp_server: SmtpServer,
    login: Callable[[User], None],
) -> None:
    _invite(client, "mine@example.com")
    with app.app_context():
        invitation = db.session.scalar(select(Invitation.public_id))
        owner_id = db.session.scalar(select(User.id).where(User.enterprise_id == enterprise.id))
    client.post("/auth/logout")
    stranger = make_user()
    make_enterprise(stranger)
    login(stranger)
    dim = current_instrument().dimensions[0].code
    answers = [
        client.get(f"/enterprise/assessments/{draft.public_id}/pages/{dim}"),
        client.post(f"/enterprise/assessments/{draft.public_id}/pages/{dim}", data={}),
        client.get(f"/enterprise/assessments/{draft.public_id}/review"),
        client.post(f"/enterprise/team/invitations/{invitation}/resend"),
        client.post(f"/enterprise/team/invitations/{invitation}/revoke"),
        client.post(f"/enterprise/team/members/{owner_id}/remove"),
    ]
    assert [r.status_code for r in answers] == [404] * len(answers)
    assert enterprise.uscc not in client.get("/enterprise/team").get_data(as_text=True)


def test_a_removed_member_loses_the_enterprise_and_the_session(
    app: Flask, client: FlaskClient, enterprise: Enterprise, invite: Callable[..., str], login
) -> None:  # type: ignore[no-untyped-def]
    path = invite("leaving@example.com")
    client.post("/auth/logout")
    other = app.test_client()
    _join(other, path)
    leaving = _user(app, "leaving@example.com")
    with app.app_context():
        owner = db.session.scalar(
            select(User).where(User.enterprise_id == enterprise.id, User.member_role == "owner")
        )
        assert owner is not None
        owner_id = owner.id
    login(_user(app, owner.email))
    assert client.post(f"/enterprise/team/members/{owner_id}/remove").status_code == 302
    assert _user(app, owner.email).enterprise_id == enterprise.id  # the owner stays
    assert client.post(f"/enterprise/team/members/{leaving.id}/remove").status_code == 302
    after = _user(app, "leaving@example.com")
    assert after.enterprise_id is None and after.role == Role.ENTERPRISE.value
    assert other.get("/enterprise/").status_code == 302  # the session ended: back to login


def test_the_owner_hands_the_firm_to_an_editor_and_both_are_mailed(
    app: Flask,
    client: FlaskClient,
    enterprise: Enterprise,
    make_user: Callable[..., User],
    login: Callable[[User], None],
    smtp_server: SmtpServer,
) -> None:
    editor = make_user(
        email="next-owner@example.com",
        enterprise_id=enterprise.id,
        member_role=MemberRole.EDITOR.value,
        locale="en",
    )
    with app.app_context():
        previous = db.session.scalar(
            select(User).where(User.enterprise_id == enterprise.id, User.member_role == "owner")
        )
        assert previous is not None
        db.session.expunge(previous)
    assert "设为负责人" in client.get("/enterprise/team").get_data(as_text=True)
    resp = client.post(f"/enterprise/team/members/{editor.id}/owner")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/enterprise/")
    assert _user(app, editor.email).member_role == MemberRole.OWNER.value
    assert _user(app, previous.email).member_role == MemberRole.EDITOR.value
    with app.app_context():
        audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "owner_changed"))
        assert audit is not None and audit.actor_id == previous.id
        assert audit.detail == {"before": previous.email, "after": editor.email}
    (to_new,) = smtp_server.to(editor.email)
    assert "You are now the owner" in str(to_new["Subject"])
    (to_old,) = smtp_server.to(previous.email)
    assert "负责人已变更" in str(to_old["Subject"]) and editor.email in smtp_server.body(to_old)
    # The former owner is an editor now: the team pages are closed to them.
    assert client.get("/enterprise/team").status_code == 403
    again = client.post(f"/enterprise/team/members/{editor.id}/owner")
    assert again.status_code == 403
    client.post("/auth/logout")
    login(editor)
    assert client.get("/enterprise/team").status_code == 200


def test_ownership_is_not_handed_to_a_viewer_by_a_non_owner_or_across_firms(
    app: Flask,
    client: FlaskClient,
    enterprise: Enterprise,
    make_user: Callable[..., User],
    make_enterprise: Callable[..., Enterprise],
    login: Callable[[User], None],
) -> None:
    viewer = make_user(enterprise_id=enterprise.id, member_role=MemberRole.VIEWER.value)
    editor = make_user(enterprise_id=enterprise.id, member_role=MemberRole.EDITOR.value)
    stranger = make_user()
    make_enterprise(stranger)
    refused = client.post(f"/enterprise/team/members/{viewer.id}/owner", follow_redirects=True)
    assert "只读成员不能直接成为负责人" in refused.get_data(as_text=True)
    assert _user(app, viewer.email).member_role == MemberRole.VIEWER.value
    assert client.post(f"/enterprise/team/members/{stranger.id}/owner").status_code == 404
    assert _user(app, stranger.email).member_role == MemberRole.OWNER.value
    client.post("/auth/logout")
    login(editor)  # an editor is not the owner: refused before anything happens
    assert client.post(f"/enterprise/team/members/{editor.id}/owner").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "owner_changed")) is None
