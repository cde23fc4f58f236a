"""The service loop in a real browser (issue 15): a new owner registers and submits; the firm is
in the right centre's cohort; the owner asks for a provider; staff follow the referral to a
contract with a note for the owner; the owner sees it; the mails reached a real SMTP server; an
administrator opens the next round (the owner is mailed), which starts pre-filled, and its report
shows what moved."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from assessment.uscc import make_uscc
from models import Assessment, EnablingCentre, Enterprise, Role
from tests.e2e.conftest import _serve, e2e_app, log_in
from tests.e2e.test_owner_journey import answer_to_review
from tests.mail_server import SmtpServer, running_smtp_server
from webapp.extensions import db
from webapp.services import demo
from webapp.services.accounts import register_user

pytestmark = pytest.mark.e2e

OWNER, STAFF, PASSWORD = "loop-owner@example.com", "loop-staff@example.com", "a-long-password-2026"
ROUND_ADMIN = "round-admin@example.com"


@pytest.fixture
def loop_server(tmp_path: Path) -> Iterator[tuple[str, Flask, SmtpServer]]:
    """A server of its own with the demo catalogue, mail to a real SMTP server."""
    app = e2e_app(tmp_path)
    with app.app_context():
        demo.load_catalogue()
        db.session.commit()
    with running_smtp_server(app) as smtp:
        for base in _serve(app):
            yield base, app, smtp


def _register_with_profile(
    page: Page, base: str, person: tuple[str, str], firm: tuple[str, str, str, str, str, str]
) -> None:
    """Register (``person``: e-mail, name; consenting to the privacy notice) and save a
    discrete-production profile (``firm``: name, USCC, division, town, employees, revenue 万元)."""
    email, name = person
    firm_name, uscc, division, town, employees, revenue = firm
    page.goto(f"{base}/auth/register")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("联系人姓名").fill(name)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_label("我已阅读并同意《隐私说明》").check()  # the privacy notice's consent
    page.get_by_role("button", name="注册").click()
    page.get_by_label("企业名称").fill(firm_name)
    page.get_by_label("统一社会信用代码").fill(uscc)
    page.get_by_label("所属行业").select_option(division)
    page.get_by_label("离散型").check()
    page.get_by_label("所在镇街/园区").select_option(town)
    page.get_by_label("从业人员（人）").fill(employees)
    page.get_by_label("上年度营业收入（万元）").fill(revenue)
    page.get_by_role("button", name="保存企业信息").click()


def _answer_all_pages(page: Page) -> None:
    """From the first questionnaire page: answer (or confirm) every page, then submit."""
    answer_to_review(page)
    page.get_by_label("本企业承诺以上回答真实、准确。").check()
    page.get_by_role("button", name="提交评估").click()
    expect(page.locator(".stage-name")).to_be_visible()


def _mails_to(smtp: SmtpServer, address: str, count: int) -> list[str]:
    """The subjects of the mails ``address`` received, once at least ``count`` arrived."""
    deadline = time.monotonic() + 20
    while len(smtp.to(address)) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return [str(m["Subject"]) for m in smtp.to(address)]


def test_register_refer_contract_and_reassess(
    browser: Browser, loop_server: tuple[str, Flask, SmtpServer]
) -> None:
    base, app, smtp = loop_server
    owner = browser.new_context(locale="zh-CN").new_page()
    _register_with_profile(
        owner,
        base,
        (OWNER, "陈厂长"),
        (
            "东莞市长安示例电子有限公司",
            make_uscc("91441900MT8800001"),
            "C39",
            "changan",
            "80",
            "5200",
        ),
    )
    owner.get_by_role("button", name="开始评估").click()
    _answer_all_pages(owner)

    # The firm belongs to the electronics centre for Chang'an, by the catalogue's rules.
    with app.app_context():
        firm = db.session.scalar(select(Enterprise).where(Enterprise.name.contains("长安示例")))
        assert firm is not None and firm.centre_id is not None
        centre = db.session.get(EnablingCentre, firm.centre_id)
        assert centre is not None and "electronics" in centre.clusters
        staff = register_user(STAFF, PASSWORD, "刘专员", Role.CENTRE_STAFF)
        staff.centre_id = centre.id
        db.session.commit()

    # The owner asks for a service provider from the report.
    provider = owner.locator(
        "#recommendations article.match", has=owner.locator("input[name=target][value^='P-']")
    ).first
    provider_name = provider.locator("h3").inner_text()
    provider.get_by_role("button", name="请求对接").click()
    expect(owner.locator(".referral-state").first).to_be_visible()

    # Staff find the firm in their cohort and follow the referral to a contract.
    desk = browser.new_context(locale="zh-CN").new_page()
    log_in(desk, base, STAFF, PASSWORD)
    desk.goto(f"{base}/centre/")
    expect(desk.get_by_text("东莞市长安示例电子有限公司").first).to_be_visible()
    desk.goto(f"{base}/centre/referrals")
    card = desk.locator("article.card", has_text=provider_name).first
    for state in ("已联系", "方案/报价"):
        card.get_by_label("转为").select_option(label=state)
        card.get_by_role("button", name="更新").click()
        card = desk.locator("article.card", has_text=provider_name).first
    card.get_by_label("转为").select_option(label="已签约")
    card.get_by_label("签约产品/服务（签约时必填）").fill("云 MES 标准版一年")
    card.get_by_label("签约金额（万元，签约时必填）").fill("12.5")
    card.get_by_label("备注（关闭时必填）").fill("下周一上门实施，请准备产线清单")
    card.get_by_label("给企业看（显示在企业的对接页并发邮件）").check()
    card.get_by_role("button", name="更新").click()
    expect(desk.locator("article.card", has_text=provider_name).first).to_contain_text("已签约")

    # The owner sees the contract and the note, and the mails arrived.
    owner.goto(f"{base}/enterprise/referrals")
    expect(owner.locator("table")).to_contain_text("已签约")
    expect(owner.locator("table")).to_contain_text("下周一上门实施")
    subjects = _mails_to(smtp, OWNER, 3)
    assert len(subjects) >= 3 and all(provider_name in s for s in subjects)
    assert any("下周一上门实施" in smtp.body(m) for m in smtp.to(OWNER))

    # An administrator opens the next round; the owner is told by mail.
    with app.app_context():
        register_user(ROUND_ADMIN, PASSWORD, "管理员", Role.ADMIN)
        db.session.commit()
    admin = browser.new_context(locale="zh-CN").new_page()
    log_in(admin, base, ROUND_ADMIN, PASSWORD)
    admin.goto(f"{base}/admin/rounds")
    admin.get_by_label("新批次（年份）").fill("2027")
    admin.get_by_role("button", name="开启并通知企业").click()
    expect(admin.locator(".flash").first).to_contain_text("2027 批次已开启")
    round_mails = [s for s in _mails_to(smtp, OWNER, 4) if "2027" in s]
    assert round_mails == ["2027 批次数字化评估已开始"]
    (round_mail,) = [m for m in smtp.to(OWNER) if "2027" in str(m["Subject"])]
    assert "2026 批次的回答" in smtp.body(round_mail)

    # The next round opens pre-filled; after it the report shows what moved.
    owner.goto(f"{base}/enterprise/")
    expect(owner.get_by_role("heading", name="2027 批次评估")).to_be_visible()
    owner.get_by_role("button", name="开始评估").click()
    expect(
        owner.locator(".flash, .notice, .card").filter(has_text="2026 批次的评估").first
    ).to_be_visible()
    _answer_all_pages(owner)
    expect(owner.locator("#change")).to_contain_text("与 2026 批次相比")
    owner.goto(f"{base}/enterprise/")
    expect(owner.get_by_role("link", name="2026 批次报告")).to_be_visible()


CLAIMANT, CLAIM_STAFF = "real-owner@example.com", "claim-staff@example.com"
ADMIN_EMAIL = "loop-admin@example.com"


def test_an_imported_firm_is_claimed_by_its_owner_approved_by_its_centre_and_answered(
    browser: Browser, loop_server: tuple[str, Flask, SmtpServer], tmp_path: Path
) -> None:
    base, app, smtp = loop_server
    uscc = make_uscc("91441900MT8800002")
    with app.app_context():
        register_user(ADMIN_EMAIL, PASSWORD, "管理员", Role.ADMIN)
        db.session.commit()

    # The administrator imports the firm from a CSV file.
    admin = browser.new_context(locale="zh-CN").new_page()
    log_in(admin, base, ADMIN_EMAIL, PASSWORD)
    upload = tmp_path / "firms.csv"
    upload.write_text(
        "uscc,name,industry_code,production_type,town,employees,revenue_wan,centre\n"
        f"{uscc},东莞市虎门示例服装有限公司,C18,discrete,humen,150,6000,\n",
        encoding="utf-8",
    )
    admin.goto(f"{base}/admin/enterprises/import")
    admin.get_by_label("文件", exact=True).set_input_files(upload)
    admin.get_by_role("button", name="导入").click()
    expect(admin.locator(".flash").first).to_be_visible()
    with app.app_context():
        firm = db.session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
        assert firm is not None and firm.centre_id is not None  # assigned by the rules
        firm_id = firm.id
        staff = register_user(CLAIM_STAFF, PASSWORD, "黄专员", Role.CENTRE_STAFF)
        staff.centre_id = firm.centre_id
        db.session.commit()

    # Its real owner registers, types the same USCC and asks to claim it.
    owner = browser.new_context(locale="zh-CN").new_page()
    _register_with_profile(
        owner,
        base,
        (CLAIMANT, "林总"),
        ("东莞市虎门示例服装有限公司", uscc, "C18", "humen", "150", "6000"),
    )
    claim = owner.locator("#claim")
    expect(claim).to_contain_text("审核人")
    claim.get_by_role("button", name="申请认领").click()
    expect(owner.get_by_text("我的认领申请")).to_be_visible()
    owner.goto(f"{base}/enterprise/")  # nothing of the firm before the decision
    expect(owner.get_by_role("button", name="开始评估")).to_have_count(0)

    # Staff of the firm's centre are told by mail and approve the claim.
    assert any("新的认领申请" in s for s in _mails_to(smtp, CLAIM_STAFF, 1))
    desk = browser.new_context(locale="zh-CN").new_page()
    log_in(desk, base, CLAIM_STAFF, PASSWORD)
    desk.goto(f"{base}/centre/claims")
    desk.locator("article.card", has_text=uscc).get_by_role("button", name="批准").click()
    expect(desk.locator("article.card", has_text=uscc)).to_contain_text("批准")

    # The owner is told by mail, opens the firm and answers.
    deadline = time.monotonic() + 20
    while not smtp.to(CLAIMANT) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert smtp.to(CLAIMANT), "no mail about the claim decision"
    owner.goto(f"{base}/enterprise/")
    expect(owner.get_by_role("heading", name="东莞市虎门示例服装有限公司")).to_be_visible()
    owner.get_by_role("button", name="开始评估").click()
    _answer_all_pages(owner)
    with app.app_context():
        # The claimant answered for the imported firm: no second firm with that USCC.
        assert db.session.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc)) == firm_id
        assert (
            db.session.scalar(select(Assessment.status).where(Assessment.enterprise_id == firm_id))
            == "submitted"
        )
