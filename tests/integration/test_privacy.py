"""Privacy: the notice and consent (at registration and again when the notice changes), the
firm's data export, and deletion requests carried out by an administrator."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from models import (
    Assessment,
    AuditLog,
    DeletionRequest,
    Enterprise,
    Evidence,
    Invitation,
    Job,
    OnsiteRating,
    ReferralEvent,
    Role,
    User,
    utcnow,
)
from tests.factories import PASSWORD
from tests.integration.referral_client import StaffedReferral
from tests.mail_server import SmtpServer
from webapp.extensions import db
from webapp.services import evidence, privacy

REGISTRATION = {
    "email": "new-owner@example.com",
    "display_name": "王老板",
    "password": "long-enough-pass-东莞",
    "confirm": "long-enough-pass-东莞",
}


def _user(app: Flask, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


@pytest.mark.parametrize(
    ("lang", "message"),
    [("zh", "请阅读隐私说明并勾选同意"), ("en", "Please read the privacy notice")],
)
def test_registration_without_consent_is_refused_and_keeps_what_was_typed(
    app: Flask, client: FlaskClient, lang: str, message: str
) -> None:
    client.post(f"/lang/{lang}")
    resp = client.post("/auth/register", data=REGISTRATION)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and message in page
    assert 'value="王老板"' in page  # nothing typed is lost
    assert _user(app, REGISTRATION["email"]) is None


def test_registration_records_the_notice_version_and_time(app: Flask, client: FlaskClient) -> None:
    form = client.get("/auth/register").get_data(as_text=True)
    assert "/privacy/" in form and "政府部门只看到统计发布中的汇总数据" in form
    resp = client.post("/auth/register", data={**REGISTRATION, "consent": "y"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/enterprise/profile")
    user = _user(app, REGISTRATION["email"])
    assert user is not None
    assert user.consent_version == privacy.NOTICE_VERSION and user.consented_at is not None
    # Straight on to the profile: no second consent page right after registering.
    assert client.get("/enterprise/profile").status_code == 200


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        (
            "zh",
            [
                "所属赋能中心的工作人员",
                "少于 5 家企业的单元格隐藏",
                "保存多久",
                "下载和删除",
                # evidence files: what is stored, who sees them, how long, deleted with the data
                "佐证材料：您为答案上传的文件",
                "佐证材料只有本企业的账户和负责本企业的赋能中心工作人员能打开",
                "佐证材料随所属的评估一起保存",
                "佐证材料（文件及其记录）全部删除",
            ],
        ),
        (
            "en",
            [
                "Staff of your enabling centre",
                "fewer than 5 enterprises",
                "How long we keep",
                "Evidence files: the files you upload",
                "evidence files can be opened only by",
                "Evidence files are kept with their assessment",
                "every evidence file (the file and its record) is deleted",
            ],
        ),
    ],
)
def test_the_notice_is_public_and_linked_in_the_footer(
    client: FlaskClient, lang: str, phrases: list[str]
) -> None:
    client.post(f"/lang/{lang}")
    page = client.get("/privacy/").get_data(as_text=True)
    for phrase in phrases:
        assert phrase in page
    assert privacy.NOTICE_VERSION in page
    assert 'href="/privacy/"' in client.get("/").get_data(as_text=True)


def test_a_changed_notice_asks_once_then_lets_the_user_continue(
    app: Flask, client: FlaskClient, enterprise: Enterprise, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get("/enterprise/").status_code == 200
    monkeypatch.setattr(privacy, "NOTICE_VERSION", "2099-01-01.1")
    resp = client.get("/enterprise/profile")
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/privacy/consent?next=/enterprise/profile"
    page = client.get("/privacy/consent?next=/enterprise/profile")
    assert page.status_code == 200  # the consent page itself is not redirected: no loop
    assert "隐私说明已更新" in page.get_data(as_text=True)
    # The firm's own data stays reachable without agreeing.
    assert client.get("/privacy/my-data.json").status_code == 200
    # Not ticked: refused on the page.
    refused = client.post(
        "/privacy/consent", data={"notice_version": "2099-01-01.1"}, follow_redirects=False
    )
    assert refused.status_code == 200 and "请阅读隐私说明并勾选同意" in refused.get_data(True)
    # A form from the old notice does not count for the new one.
    stale = client.post("/privacy/consent", data={"notice_version": "2026-01-01.1", "agree": "y"})
    assert stale.status_code == 200 and "隐私说明已更新，请阅读新版本" in stale.get_data(True)
    agreed = client.post(
        "/privacy/consent?next=/enterprise/profile",
        data={"notice_version": "2099-01-01.1", "agree": "y"},
    )
    assert agreed.status_code == 302 and agreed.headers["Location"] == "/enterprise/profile"
    assert client.get("/enterprise/profile").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.enterprise_id == enterprise.id))
        assert user is not None and user.consent_version == "2099-01-01.1"


def test_staff_are_not_asked_for_consent(
    client: FlaskClient, make_user, login, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.GOVERNMENT))
    monkeypatch.setattr(privacy, "NOTICE_VERSION", "2099-01-01.1")
    assert client.get("/government/").status_code == 200


# Export ----------------------------------------------------------------------------------------


def test_export_holds_the_firms_data_and_owner_notes_only(
    app: Flask,
    client: FlaskClient,
    make_user,
    make_enterprise,
    by_staff: StaffedReferral,
) -> None:  # type: ignore[no-untyped-def]
    owner = by_staff.owner
    assert by_staff.move("contacted", "内部：老板脾气急").status_code == 302
    assert by_staff.move("proposal", "报价已发送", for_owner=True).status_code == 302
    other = make_user(email="other@example.com")
    make_enterprise(other, name="东莞市别家有限公司")
    with app.app_context():
        assessment_id = db.session.scalar(
            select(Assessment.id)
            .join(User, User.enterprise_id == Assessment.enterprise_id)
            .where(User.id == owner.id)
        )
        assert assessment_id is not None
        stored = _evidence_file(assessment_id, owner.id, "财务系统截图.pdf", 1234)
        db.session.commit()
        evidence.path_of(stored).write_bytes(b"%PDF-1.4 secret-bytes")
    by_staff.as_owner()

    data = json.loads(client.get("/privacy/my-data.json").data)
    assert data["notice_version"] == privacy.NOTICE_VERSION
    assert data["enterprise"]["name"] and data["enterprise"]["uscc"]
    assert data["users"] == [
        {
            "name": "测试用户",
            "email": owner.email,
            "role": "enterprise",
            "member_role": "owner",
            "active": True,
        }
    ]
    assert data["consents"][0]["notice_version"] == privacy.NOTICE_VERSION
    (assessment,) = data["assessments"]
    assert assessment["status"] == "submitted" and len(assessment["answers"]) > 20
    assert assessment["stage"] in {"S0", "S1", "S2", "S3"} and assessment["result"]
    (ref,) = data["referrals"]
    assert [n["note"] for n in ref["notes_for_owner"]] == ["报价已发送"]
    (listed,) = data["evidence"]
    assert listed["assessment"] == assessment["id"] and listed["item"] == "finance"
    assert (listed["filename"], listed["kind"], listed["size"]) == ("财务系统截图.pdf", "pdf", 1234)
    assert listed["uploaded_at"] and listed["uploaded_by"] == "测试用户"
    raw = client.get("/privacy/my-data.json").get_data(as_text=True)
    assert "内部：老板脾气急" not in raw
    assert "secret-bytes" not in raw  # metadata only, never the file
    assert "argon2" not in raw and "password" not in raw and "session_token" not in raw
    assert "东莞市别家有限公司" not in raw and "other@example.com" not in raw

    xlsx = client.get("/privacy/my-data.xlsx")
    assert xlsx.headers["Content-Disposition"] == (
        "attachment; filename=\"enterprise-data.xlsx\"; filename*=UTF-8''enterprise-data.xlsx"
    )
    wb = load_workbook(io.BytesIO(xlsx.data))
    # The owner chose English: sheet titles and headers are in English.
    assert wb.sheetnames == [
        "Enterprise",
        "Users",
        "Consent record",
        "Assessments",
        "Answers",
        "Referrals",
        "Evidence",
    ]
    answers = list(wb["Answers"].iter_rows(min_row=2, values_only=True))
    assert len(answers) == len(assessment["answers"])
    notes = [row[7] for row in wb["Referrals"].iter_rows(min_row=2, values_only=True)]
    assert "报价已发送" in notes[0] and "内部" not in notes[0]
    (row,) = wb["Evidence"].iter_rows(min_row=2, values_only=True)
    assert row[:5] == (assessment["id"], "finance", "财务系统截图.pdf", "pdf", 1234)
    assert row[6] == "测试用户" and row[5] not in {None, "—"}
    assert [c.value for c in wb["Evidence"][1]][2] == "File name"


@pytest.mark.parametrize("role", [Role.CENTRE_STAFF, Role.GOVERNMENT, Role.ADMIN])
def test_only_the_firms_own_users_download_its_data(
    client: FlaskClient, make_user, login, role: Role
) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/privacy/my-data.json").status_code == 302  # to the login page
    login(make_user(role))
    assert client.get("/privacy/my-data.json").status_code == 403
    assert client.get("/privacy/my-data.xlsx").status_code == 403


# Deletion ------------------------------------------------------------------------------------


def test_deletion_needs_confirmation_and_one_pending_request(
    app: Flask, client: FlaskClient, enterprise: Enterprise
) -> None:
    page = client.post("/privacy/deletion", data={})
    assert page.status_code == 200 and "请勾选确认后再提交删除申请" in page.get_data(True)
    with app.app_context():
        assert db.session.scalar(select(func.count(DeletionRequest.id))) == 0
    assert client.post("/privacy/deletion", data={"confirm": "y"}).status_code == 302
    again = client.post("/privacy/deletion", data={"confirm": "y"}, follow_redirects=True)
    assert "删除申请已提交，正在等待管理员处理" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(DeletionRequest.id))) == 1


def test_administrator_carries_out_a_deletion(
    app: Flask,
    client: FlaskClient,
    login,
    make_user,
    smtp_server: SmtpServer,
    by_staff: StaffedReferral,
) -> None:  # type: ignore[no-untyped-def]
    owner = by_staff.owner
    assert (
        by_staff.move("contacted", "给王总打了电话 13800000000", for_owner=True).status_code == 302
    )
    with app.app_context():
        firm = db.session.scalar(
            select(Enterprise)
            .join(User, User.enterprise_id == Enterprise.id)
            .where(User.id == owner.id)
        )
        assert firm is not None
        old_name, old_uscc, firm_id = firm.name, firm.uscc, firm.id
        # A colleague's invitation names their address: it goes with the firm's personal data.
        db.session.add(
            Invitation(
                public_id=uuid.uuid4().hex,
                enterprise_id=firm_id,
                email="colleague@example.com",
                member_role="viewer",
            )
        )
        assessment_id = db.session.scalar(
            select(Assessment.id).where(Assessment.enterprise_id == firm_id)
        )
        assert assessment_id is not None
        # An evidence file: its bytes in the store, its original name (personal data) in a row.
        stored = _evidence_file(assessment_id, owner.id, "王总的营业执照.pdf", 9)
        db.session.add(
            OnsiteRating(
                assessment_id=assessment_id,
                reasons={"finance": "王总说财务在 13800000000 手机上"},
                finished={
                    "level": 1,
                    "self_level": 2,
                    "levels": {"finance": 1},
                    "changed": [
                        {
                            "code": "finance",
                            "self_level": 2,
                            "level": 1,
                            "reason": "王总说财务在 13800000000 手机上",
                        }
                    ],
                },
                finished_at=utcnow(),
            )
        )
        evidence_file = evidence.path_of(stored)
        evidence_file.write_bytes(b"%PDF-1.4\n")
        db.session.commit()
        answers_before = db.session.scalar(
            select(Assessment.responses).where(Assessment.enterprise_id == firm_id)
        )
    by_staff.as_owner()
    client.post("/privacy/deletion", data={"confirm": "y"})
    client.post("/auth/logout")

    admin = make_user(Role.ADMIN)
    login(admin)
    listing = client.get("/admin/deletions").get_data(as_text=True)
    assert old_name in listing and owner.email in listing
    (request_id,) = [
        r.id for r in privacy_requests(app) if r.enterprise_id == firm_id and r.state == "pending"
    ]
    done = client.post(f"/admin/deletions/{request_id}", follow_redirects=True)
    assert "企业的个人信息已删除" in done.get_data(as_text=True)
    assert old_name not in client.get("/admin/deletions").get_data(as_text=True)

    with app.app_context():
        firm = db.session.get(Enterprise, firm_id)
        assert firm is not None
        assert firm.name == f"已删除的企业 #{firm_id}" and firm.uscc == f"X{firm_id:017d}"
        assert (firm.contact_name, firm.contact_phone, firm.contact_email) == ("", "", "")
        assert firm.town and firm.cluster  # grouping fields kept for statistics
        user = db.session.get(User, owner.id)
        assert user is not None and not user.active
        assert (
            user.email == f"deleted-{owner.id}@deleted.invalid" and user.display_name != "测试用户"
        )
        kept = db.session.scalar(select(Assessment).where(Assessment.enterprise_id == firm_id))
        assert kept is not None and kept.responses == answers_before and kept.stage
        assert db.session.scalar(select(func.count(Invitation.id))) == 0
        assert db.session.scalar(select(func.count(Evidence.id))) == 0
        assert not evidence_file.exists()
        rating = db.session.scalar(select(OnsiteRating))
        assert rating is not None and "13800000000" not in json.dumps(
            [rating.reasons, rating.finished], ensure_ascii=False
        )
        assert rating.finished is not None and rating.finished["level"] == 1  # statistics kept
        notes = db.session.scalars(select(ReferralEvent.note)).all()
        assert all("13800000000" not in n for n in notes)
        audit = db.session.scalar(
            select(AuditLog).where(AuditLog.action == "personal_data_deleted")
        )
        assert audit is not None and audit.actor_id == admin.id
        assert audit.detail["enterprise_id"] == firm_id and old_uscc not in json.dumps(audit.detail)
        assert old_uscc not in audit.entity_code
        assert audit.detail["evidence_files"] == 1
        job = db.session.scalar(select(Job).where(Job.kind == "deletion_mail"))
        assert job is not None and job.state == "done" and job.params["to"] == ""
    # The requester was told, in their language (English), at the old address.
    (mail,) = [
        m
        for m in smtp_server.to(owner.email)
        if m["Subject"] == "Your enterprise's data has been deleted"
    ]
    assert old_name in smtp_server.body(mail)
    # The account is gone for good: the old credentials no longer log in.
    client.post("/auth/logout")
    again = client.post("/auth/login", data={"email": owner.email, "password": PASSWORD})
    assert again.status_code == 200
    # The real firm can register again with its USCC.
    with app.app_context():
        assert db.session.scalar(select(Enterprise).where(Enterprise.uscc == old_uscc)) is None


def privacy_requests(app: Flask) -> list[DeletionRequest]:
    with app.app_context():
        rows = list(db.session.scalars(select(DeletionRequest)))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_carrying_out_twice_or_as_non_admin_changes_nothing(
    app: Flask, client: FlaskClient, enterprise: Enterprise, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    client.post("/privacy/deletion", data={"confirm": "y"})
    (req,) = privacy_requests(app)
    client.post("/auth/logout")
    login(make_user(Role.CENTRE_STAFF))
    assert client.post(f"/admin/deletions/{req.id}").status_code == 403
    assert client.get("/admin/deletions").status_code == 403
    client.post("/auth/logout")
    login(make_user(Role.ADMIN))
    client.post(f"/admin/deletions/{req.id}")
    second = client.post(f"/admin/deletions/{req.id}", follow_redirects=True)
    assert "该删除申请不存在或已处理" in second.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(AuditLog.id)).where(AuditLog.action == "personal_data_deleted")
            )
            == 1
        )


def _evidence_file(assessment_id: int, owner_id: int, filename: str, size: int) -> Evidence:
    """An evidence row for the answer "finance" of the assessment, added to the session (the
    caller commits and writes the bytes)."""
    stored = Evidence(
        public_id=uuid.uuid4().hex,
        assessment_id=assessment_id,
        item_code="finance",
        kind="pdf",
        filename=filename,
        size=size,
        uploaded_by_id=owner_id,
    )
    db.session.add(stored)
    return stored
