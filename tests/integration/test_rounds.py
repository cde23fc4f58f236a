"""Opening a new round (issue 15): an administrator opens it in the UI, it becomes the current
round of every page, it is audited, and every enterprise user who can answer gets a mail in
their language; malformed, earlier, far-off and repeated round codes are refused, and so is
anyone but an administrator."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from models import AuditLog, Enterprise, Job, MemberRole, Role, Setting, User
from tests.factories import SubmittedAssessmentFactory
from tests.mail_server import SmtpServer
from webapp.extensions import db
from webapp.services import rounds
from webapp.services.errors import InvalidInputError


def _open(client: FlaskClient, code: str) -> tuple[int, str]:
    resp = client.post("/admin/rounds", data={"round_code": code})
    return resp.status_code, resp.get_data(as_text=True)


def _opened(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(select(func.count()).where(AuditLog.action == "round_opened")) or 0
        )


def _round_row(page: str, code: str) -> str:
    """The text of the row of round ``code`` in the rounds list of ``page``, tags removed."""
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    texts = [
        " ".join(re.sub(r"<[^>]*>|^[^<>]*>", " ", tr).split())
        for tr in re.split(r"<tr\b", body)[1:]
    ]
    (row,) = (t for t in texts if t.startswith(code))
    return row


@pytest.fixture
def admin(make_user: Callable[..., User], login: Callable[[User], None]) -> User:
    user = make_user(Role.ADMIN)
    login(user)
    return user


def test_the_configured_round_is_only_the_default_until_an_administrator_opens_one(
    app: Flask,
    client: FlaskClient,
    admin: User,
    make_user: Callable[..., User],
    make_enterprise: Callable[..., Enterprise],
    login: Callable[[User], None],
    smtp_server: SmtpServer,
) -> None:
    owner = make_user(email="owner-r@example.com", locale="en")
    firm = make_enterprise(owner)
    with app.app_context():
        SubmittedAssessmentFactory(enterprise_id=firm.id, round_code="2026")
        db.session.commit()
        assert rounds.current_round() == "2026"
    editor = make_user(
        email="editor-r@example.com", enterprise_id=firm.id, member_role=MemberRole.EDITOR.value
    )
    make_user(
        email="viewer-r@example.com", enterprise_id=firm.id, member_role=MemberRole.VIEWER.value
    )
    make_user(
        email="gone-r@example.com",
        enterprise_id=firm.id,
        member_role=MemberRole.EDITOR.value,
        active=False,
    )
    newcomer = make_user(email="new-r@example.com")
    make_enterprise(newcomer)
    make_user(Role.CENTRE_STAFF, email="staff-r@example.com")

    page = client.get("/admin/rounds").get_data(as_text=True)
    assert "2026" in page and 'value="2027"' in page  # the next year is proposed
    status, _body = _open(client, "2027")
    assert status == 302
    with app.app_context():
        assert rounds.current_round() == "2027"
        setting = db.session.get(Setting, "round:2027")
        assert setting is not None and setting.value["by"] == admin.email
        audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "round_opened"))
        assert audit is not None and audit.actor_id == admin.id
        assert audit.detail == {"before": "2026", "after": "2027"}
    listed = client.get("/admin/rounds").get_data(as_text=True)
    assert "admin" in listed or admin.email in listed

    addressed = sorted(str(m["To"]) for m in smtp_server.messages)
    assert addressed == sorted(
        [owner.email, editor.email, newcomer.email]
    )  # no viewer, no deactivated member, no staff
    (to_owner,) = smtp_server.to(owner.email)
    assert "2027" in str(to_owner["Subject"]) and "round" in str(to_owner["Subject"]).lower()
    body = smtp_server.body(to_owner)
    assert "2026" in body and "/enterprise/" in body  # pre-filled from the firm's last round
    (to_new,) = smtp_server.to(newcomer.email)
    assert "第一次评估" in smtp_server.body(to_new)  # no earlier round: nothing carried
    # the administrator sees how the mail went on the list of rounds, against the round opened
    opened_row = _round_row(client.get("/admin/rounds").get_data(as_text=True), "2027")
    assert "已发送 3 封" in opened_row and "失败" not in opened_row
    assert "已发送" not in _round_row(client.get("/admin/rounds").get_data(as_text=True), "2026")

    client.post("/auth/logout")
    login(owner)
    home = client.get("/enterprise/?lang=en").get_data(as_text=True)
    assert "Round 2027 has started. Your questionnaire will start from" in home and "2026" in home


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("27", "四位年份"),
        ("2027a", "四位年份"),
        ("", "四位年份"),
        ("2026", "晚于当前批次 2026"),
        ("2025", "晚于当前批次 2026"),
        ("2999", "不能晚于"),
    ],
)
def test_a_bad_round_code_is_refused_with_a_message_and_changes_nothing(
    app: Flask, client: FlaskClient, admin: User, code: str, message: str
) -> None:
    status, body = _open(client, code)
    assert status == 400 and message in body
    assert _opened(app) == 0
    with app.app_context():
        assert rounds.current_round() == "2026"
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_double_submit_opens_and_announces_the_round_once(
    app: Flask, client: FlaskClient, admin: User, smtp_server: SmtpServer
) -> None:
    assert _open(client, "2027")[0] == 302
    status, body = _open(client, "2027")
    assert status == 400 and "晚于当前批次 2027" in body
    assert _opened(app) == 1
    with app.app_context():
        jobs = db.session.scalars(select(Job).where(Job.kind == "round_opened_mail")).all()
        assert len(jobs) == 1


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.CENTRE_STAFF, Role.GOVERNMENT])
def test_only_an_administrator_opens_a_round(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    login: Callable[[User], None],
    role: Role,
) -> None:
    login(make_user(role))
    assert client.get("/admin/rounds").status_code == 403
    assert client.post("/admin/rounds", data={"round_code": "2027"}).status_code == 403
    assert _opened(app) == 0


def test_round_codes_are_checked_against_the_region_calendar(app: Flask) -> None:
    new_year_in_dongguan = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 00:30 on 1 January
    with app.test_request_context():
        assert rounds.check_round_code(" 2028 ", "2026", new_year_in_dongguan) == "2028"
        with pytest.raises(InvalidInputError) as refused:
            rounds.check_round_code("2028", "2026", datetime(2026, 12, 31, 15, tzinfo=UTC))
        assert refused.value.field == "round_code"


def test_the_current_round_is_read_once_per_request(app: Flask) -> None:
    with app.test_request_context():
        assert rounds.current_round() == "2026"
        db.session.add(Setting(key="round:2027", value={}))
        db.session.commit()  # as another worker's request would (the test's writes roll back)
        assert rounds.current_round() == "2026"  # cached for this request
    with app.test_request_context():
        assert rounds.current_round() == "2027"  # the next request reads the database


def test_the_form_proposes_the_next_year_only_when_it_may_be_opened(app: Flask) -> None:
    in_2026 = datetime(2026, 6, 1, tzinfo=UTC)
    with app.test_request_context():
        assert rounds.proposed_round("2026", in_2026) == "2027"
        assert rounds.proposed_round("2027", in_2026) == ""  # 2028 would be refused


def test_mails_the_server_refused_are_counted_on_the_list_of_rounds(
    app: Flask,
    client: FlaskClient,
    admin: User,
    owner: User,
    make_enterprise: Callable[..., Enterprise],
) -> None:
    make_enterprise(owner)
    # nothing listens on port 1: the one recipient's mail fails
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_SEND_ATTEMPTS=1)
    assert _open(client, "2027")[0] == 302
    row = _round_row(client.get("/admin/rounds").get_data(as_text=True), "2027")
    assert "已发送 0 封" in row and "1 封失败" in row
