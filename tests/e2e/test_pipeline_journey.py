"""Staff open the pipeline, pick the firms one step from MIIT 二级, refer them to a service
package as a group, and an owner of one of them sees its referral (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select, update

from models import Enterprise, Referral, Role, User
from tests.e2e.conftest import _serve, e2e_app, log_in
from webapp.extensions import db
from webapp.services import demo
from webapp.services.accounts import register_user
from webapp.services.privacy import NOTICE_VERSION

pytestmark = pytest.mark.e2e

OWNER = "pipeline-owner@example.com"


@pytest.fixture
def pipeline_server(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """The demo cohort of 60 firms (seed 7), all in the demo staff member's centre: two of them
    are at 一级 one answer from 二级."""
    app = e2e_app(tmp_path)
    with app.app_context():
        demo.seed_demo(enterprises=60, seed=7)
        staff = db.session.scalar(select(User).where(User.email == "staff@demo.invalid"))
        assert staff is not None
        db.session.execute(update(Enterprise).values(centre_id=staff.centre_id))
        db.session.commit()
    for base in _serve(app):
        yield base, app


def test_staff_refer_the_firms_one_step_from_level_two_as_a_group(
    browser: Browser, pipeline_server: tuple[str, Flask]
) -> None:
    base, app = pipeline_server
    page = browser.new_context(locale="zh-CN").new_page()
    log_in(page, base, "staff@demo.invalid")
    page.get_by_role("link", name="升级漏斗").first.click()
    expect(page.get_by_role("heading", name="升级漏斗")).to_be_visible()
    page.locator("select[name=kind]").select_option("level2")
    page.get_by_role("button", name="筛选").click()
    boxes = page.locator("input[name=enterprise]")
    expect(boxes.first).to_be_visible()
    picked = [int(v) for v in boxes.evaluate_all("els => els.map(e => e.value)")]
    assert picked
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.get_by_label("服务包").select_option("pkg-chain")
    page.get_by_role("button", name="整组对接").click()
    expect(page.get_by_text(f"已为 {len(picked)} 家企业创建对接")).to_be_visible()
    expect(page.get_by_role("cell", name="已申请").first).to_be_visible()

    with app.app_context():
        rows = db.session.scalars(select(Referral).where(Referral.target_code == "pkg-chain"))
        assert sorted(r.enterprise_id for r in rows) == sorted(picked)
        owner = register_user(
            OWNER, "a-long-password-2026", "王厂长", Role.ENTERPRISE, consent_version=NOTICE_VERSION
        )
        owner.enterprise_id = picked[0]
        db.session.commit()
    page = browser.new_context(locale="zh-CN").new_page()
    log_in(page, base, OWNER, "a-long-password-2026")
    page.goto(f"{base}/enterprise/referrals")
    expect(page.get_by_role("cell", name="订单链延伸服务包")).to_be_visible()
