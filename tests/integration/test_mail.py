"""Mail: sent by background jobs to a real SMTP server, in the recipient's language, logged when
no server is configured, retried and recorded as failed when the server cannot be reached."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import Job, User
from tests.factories import PASSWORD, registration_form
from tests.mail_server import SmtpServer
from webapp.extensions import db
from webapp.services import accounts


def _register(client: FlaskClient, email: str, lang: str) -> None:
    client.post(f"/lang/{lang}")
    resp = client.post(
        "/auth/register",
        data=registration_form(email, "王小明", PASSWORD),
    )
    assert resp.status_code == 302, resp.data[:300]


@pytest.mark.parametrize(
    ("lang", "subject", "phrase"),
    [
        ("zh", "重置密码", "分钟内打开下面的链接"),
        ("en", "Reset password", "Open the link below within"),
    ],
)
def test_reset_mail_arrives_in_the_language_the_owner_registered_in(
    app: Flask, smtp_server: SmtpServer, lang: str, subject: str, phrase: str
) -> None:
    _register(app.test_client(), f"{lang}-owner@example.com", lang)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == f"{lang}-owner@example.com"))
        assert user is not None and user.locale == lang
    app.test_client().post("/auth/forgot", data={"email": f"{lang}-owner@example.com"})
    (mail,) = smtp_server.to(f"{lang}-owner@example.com")
    assert mail["Subject"] == subject
    assert phrase in smtp_server.body(mail)
    assert "王小明" in smtp_server.body(mail)
    assert mail["From"] == app.config["MAIL_DEFAULT_SENDER"]
    other = "Open the link" if lang == "zh" else "重置密码"
    assert other not in smtp_server.body(mail)


def test_reset_link_in_the_mail_works_once(
    app: Flask, client: FlaskClient, make_user, smtp_server: SmtpServer
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    client.post("/auth/forgot", data={"email": user.email})
    (link,) = smtp_server.links(smtp_server.to(user.email)[0])
    assert link.startswith("http://localhost/auth/reset/")  # the request's host, no config
    path = link.removeprefix("http://localhost")
    new = {"password": "brand-new-pass-2026", "confirm": "brand-new-pass-2026"}
    assert client.post(path, data=new).status_code == 302
    assert client.post(path, data=new).status_code == 410


def test_links_use_the_configured_public_base_url_not_the_request_host(
    app: Flask, client: FlaskClient, make_user, smtp_server: SmtpServer
) -> None:  # type: ignore[no-untyped-def]
    app.config["PUBLIC_BASE_URL"] = "https://dt.example.cn/"
    user = make_user()
    client.post("/auth/forgot", data={"email": user.email}, headers={"Host": "evil.example"})
    (link,) = smtp_server.links(smtp_server.to(user.email)[0])
    assert link.startswith("https://dt.example.cn/auth/reset/")


def test_without_a_mail_server_the_mail_is_written_to_the_log(
    app: Flask, make_user, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    app.config.update(JOBS_SYNC=True, MAIL_SERVER=None)
    user = make_user()
    with caplog.at_level(logging.WARNING, logger="dtmaturity.mail"):
        app.test_client().post("/auth/forgot", data={"email": user.email})
    logged = [r.getMessage() for r in caplog.records if r.name == "dtmaturity.mail"]
    assert len(logged) == 1
    assert "MAIL_SERVER is not set" in logged[0]
    assert user.email in logged[0] and "/auth/reset/" in logged[0]
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.kind == "password_reset_mail"))
        assert job is not None and job.state == "done" and job.result == b"logged"


def test_an_unreachable_mail_server_is_retried_then_the_job_fails(
    app: Flask, make_user, smtp_server: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    app.config.update(MAIL_PORT=1, MAIL_SEND_ATTEMPTS=3)  # nothing listens on port 1
    with app.test_request_context(), pytest.raises(OSError):
        accounts.request_password_reset(user.email, timedelta(minutes=30))
    retries = [r for r in caplog.records if "failed (attempt" in r.getMessage()]
    assert len(retries) == 2  # three tries: two logged retries, then the error
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.kind == "password_reset_mail"))
        assert job is not None and job.state == "failed"
        assert "token" not in str(job.params) and "reset" not in job.message
    assert smtp_server.messages == []


def test_switching_language_when_logged_in_changes_the_language_of_mails(
    app: Flask, client: FlaskClient, make_user, login, smtp_server: SmtpServer
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    with app.app_context():
        assert db.session.get(User, user.id).locale is None  # type: ignore[union-attr]
    client.post("/lang/en")  # before logging in: the session only
    with app.app_context():
        assert db.session.get(User, user.id).locale is None  # type: ignore[union-attr]
    login(user)
    client.post("/lang/en")
    client.post("/lang/xx")  # unknown: ignored
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"  # type: ignore[union-attr]
    app.test_client().post("/auth/forgot", data={"email": user.email})
    (mail,) = smtp_server.to(user.email)
    assert mail["Subject"] == "Reset password"
