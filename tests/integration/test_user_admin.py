"""Administrators manage accounts in the UI: open staff and officer accounts (the person sets
the password through a mailed link), attach staff to a centre, deactivate and reactivate,
resend the invitation, search."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import AuditLog, Role, User
from tests.factories import PASSWORD, add_centre, detached_one
from tests.mail_server import SmtpServer
from webapp.extensions import db

NEW_PASSWORD = "东莞赋能中心-值班-2026"


def _admin(make_user: Callable[..., User], login: Callable[[User], None]) -> User:
    admin = make_user(role=Role.ADMIN)
    login(admin)
    return admin


def _centres(app: Flask) -> None:
    with app.app_context():
        add_centre("ADM-A", name_zh="甲中心", name_en="Centre A")
        add_centre("ADM-B", name_zh="乙中心", name_en="Centre B")
        db.session.commit()


def _account(app: Flask, email: str) -> User:
    return detached_one(app, select(User).where(User.email == email))


def test_an_administrator_opens_a_staff_account_and_the_person_sets_the_password(
    app: Flask, client: FlaskClient, make_user, login, smtp_server: SmtpServer
) -> None:  # type: ignore[no-untyped-def]
    _centres(app)
    _admin(make_user, login)
    resp = client.post(
        "/admin/users",
        data={
            "email": "Staff.New@Example.com",
            "display_name": "李专员",
            "role": "centre_staff",
            "centre": "ADM-A",
            "locale": "en",
        },
    )
    assert resp.status_code == 302
    staff = _account(app, "staff.new@example.com")
    with app.app_context():
        assert staff.centre_id is not None
        assert db.session.scalar(select(User.id).where(User.centre_id == staff.centre_id))
    (mail,) = smtp_server.to("staff.new@example.com")
    assert "set your password" in str(mail["Subject"]) and "within 7 days" in smtp_server.body(mail)
    (link,) = smtp_server.links(mail)
    client.post("/auth/logout")
    path = link.removeprefix("http://localhost")
    client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    resp = client.post("/auth/login", data={"email": staff.email, "password": NEW_PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/centre/")
    assert (
        client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 410
    )


def test_bad_account_input_is_refused_in_the_page_language_and_nothing_is_lost(
    app: Flask, client: FlaskClient, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    _centres(app)
    admin = _admin(make_user, login)
    form = {"email": "nocentre@example.com", "display_name": "王五", "role": "centre_staff"}
    resp = client.post("/admin/users", data=form)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请为赋能中心人员选择所属赋能中心" in page
    assert 'value="nocentre@example.com"' in page and 'value="王五"' in page
    taken = client.post(
        "/admin/users?lang=en",
        data=form | {"email": admin.email, "centre": "ADM-A"},
        headers={"Accept-Language": "en"},
    )
    assert taken.status_code == 400 and "already registered" in taken.get_data(as_text=True)
    officer = client.post("/admin/users", data=form | {"role": "government", "centre": "ADM-A"})
    assert "只有赋能中心人员可以关联赋能中心" in officer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "nocentre@example.com")) is None


def test_staff_are_attached_to_another_centre_deactivated_and_reactivated(
    app: Flask, client: FlaskClient, make_user, login, smtp_server: SmtpServer
) -> None:  # type: ignore[no-untyped-def]
    _centres(app)
    staff = make_user(role=Role.CENTRE_STAFF, email="moving@example.com")
    other = app.test_client()
    other.post("/auth/login", data={"email": staff.email, "password": PASSWORD})
    assert other.get("/centre/").status_code == 200
    admin = _admin(make_user, login)
    assert "未关联赋能中心" in client.get("/admin/users?q=moving").get_data(as_text=True)
    client.post(f"/admin/users/{staff.id}", data={"centre": "ADM-B"})
    with app.app_context():
        moved = db.session.get(User, staff.id)
        assert moved is not None and moved.centre_id is not None
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "centre_changed"))
    client.post(f"/admin/users/{staff.id}", data={"active": "0"})
    assert _account(app, staff.email).active is False
    assert other.get("/centre/").status_code == 302  # the session ended at once
    refused = client.post(f"/admin/users/{staff.id}/invitation", follow_redirects=True)
    assert "账户已停用" in refused.get_data(as_text=True)
    assert smtp_server.to(staff.email) == []
    client.post(f"/admin/users/{staff.id}", data={"active": "1"})
    assert _account(app, staff.email).active is True
    client.post(f"/admin/users/{staff.id}/invitation")
    assert len(smtp_server.to(staff.email)) == 1
    self_off = client.post(f"/admin/users/{admin.id}", data={"active": "0"}, follow_redirects=True)
    assert "不能停用自己的账户" in self_off.get_data(as_text=True)
    assert _account(app, admin.email).active is True


def test_the_account_list_searches_by_email_or_name(
    app: Flask, client: FlaskClient, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    make_user(email="findme@example.com")
    make_user(email="other@example.com")
    _admin(make_user, login)
    page = client.get("/admin/users?q=FINDME").get_data(as_text=True)
    assert "findme@example.com" in page and "other@example.com" not in page


def test_only_administrators_reach_account_management(
    client: FlaskClient, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    target = make_user(email="target@example.com")
    login(make_user(role=Role.CENTRE_STAFF))
    assert client.get("/admin/users").status_code == 403
    assert client.post(f"/admin/users/{target.id}", data={"active": "0"}).status_code == 403
