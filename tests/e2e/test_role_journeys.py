"""The centre staff's, the government officer's and the administrator's journeys in a real
browser, on the demo data (README demo accounts, 60 scored demo enterprises): the staff's journey
changes it, so it has a server of its own."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from tests.e2e.conftest import ADMIN, log_in

pytestmark = pytest.mark.e2e


def test_staff_validates_a_stage_moves_a_referral_and_exports(
    browser: Browser, journey_server: str
) -> None:
    base = journey_server
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    log_in(page, base, "staff@demo.invalid")
    expect(page.get_by_role("heading", name="本中心企业群")).to_be_visible()

    # Filter the cohort by stage, open the first enterprise.
    page.locator("#stage").select_option("S1")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"stage=S1"))
    first = page.locator("a[href*='/centre/enterprises/']").first
    listed = first.inner_text().strip()
    first.click()
    # the enterprise's own page: its name as the heading
    expect(page.get_by_role("heading", level=1)).to_have_text(listed)
    assert listed

    # Correct the model's stage with a reason: the audit table shows it.
    page.get_by_label("校验后的阶段").select_option("S2")
    page.get_by_label("理由（修改阶段时必填）").fill("现场走访：MES 已覆盖全部产线。")
    page.get_by_role("button", name="记录校验").click()
    audit = page.locator("table", has=page.locator("caption", has_text="校验记录"))
    expect(audit).to_contain_text("现场走访：MES 已覆盖全部产线。")
    expect(audit.locator("tbody tr").first).to_contain_text("S2")

    # Move the demo owner's referral one step on.
    page.get_by_role("link", name="对接队列").click()
    card = page.locator("article.card").first
    before = card.locator(".meta strong").inner_text()
    card.get_by_label("备注（关闭时必填）").fill("已电话联系企业")
    card.get_by_role("button", name="更新").click()
    expect(page.locator(".flash, .flashes").first).to_be_visible()
    page.goto(f"{base}/centre/referrals?all=1")
    moved = page.locator("article.card").first
    expect(moved.locator(".meta strong")).not_to_have_text(before)
    moved.locator("summary").click()
    expect(moved).to_contain_text("已电话联系企业")

    # Export the filtered cohort: an Excel workbook with the enterprises on screen.
    page.goto(f"{base}/centre/?stage=S1")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    stage, name = rows[0].index("阶段 (stage)"), rows[0].index("企业名称 (name)")
    # The export names the stage ("S1 单项覆盖"), not only its code. The filter is on the
    # model's stage; the firm validated above is listed with the centre's S2 and the model's S1.
    stages = {str(row[name]): str(row[stage]) for row in rows[1:]}
    validated = stages.pop(listed)
    assert validated.startswith("S2 ") and "模型评估为 S1" in validated, validated
    assert stages and all(s.startswith("S1 ") for s in stages.values()), stages
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 CSV").click()
    lines = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(lines) == len(rows)
    context.close()


def test_officer_downloads_pdf_and_excel(browser: Browser, demo_server: str) -> None:
    base = demo_server
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    log_in(page, base, "officer@demo.invalid")
    expect(page.get_by_role("heading", name="数字化转型诊断汇总")).to_be_visible()
    assessed = page.locator("p", has_text="已评估企业").locator("strong").inner_text()

    for button, check in (("生成 PDF 报告", "pdf"), ("生成 Excel 工作簿", "xlsx")):
        page.goto(f"{base}/government/")
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("heading", name="报告生成")).to_be_visible()
        link = page.get_by_role("link", name="下载")
        expect(link).to_be_visible(timeout=60_000)  # the job page refreshes itself
        with page.expect_download() as info:
            link.click()
        data = Path(info.value.path()).read_bytes()
        if check == "pdf":
            text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
            assert "数字化转型诊断汇总报告" in text and assessed in text
        else:
            book = load_workbook(io.BytesIO(data), read_only=True)
            assert len(book.sheetnames) >= 2
    context.close()


def test_admin_publishes_a_version_adds_a_solution_and_sees_a_bad_import_refused(
    browser: Browser, admin_server: str, tmp_path: Path
) -> None:
    base = admin_server
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    log_in(page, base, ADMIN)

    # Publish version 3 of the questionnaire, edited from the downloaded current version 2.
    page.get_by_role("link", name="问卷版本").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="dmi-v2.toml").click()
    v2 = Path(info.value.path()).read_text(encoding="utf-8")
    (tmp_path / "dmi-v2-again.toml").write_text(v2, encoding="utf-8")
    page.get_by_label("问卷文件（.toml 或 .xlsx）").set_input_files(tmp_path / "dmi-v2-again.toml")
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("大于 2")  # v2 cannot be re-published
    v3 = v2.replace('version = "2"', 'version = "3"', 1).replace("minutes = 30", "minutes = 28")
    assert v3.count('version = "3"') == 1 and "minutes = 28" in v3
    (tmp_path / "dmi-v3.toml").write_text(v3, encoding="utf-8")
    page.get_by_label("问卷文件（.toml 或 .xlsx）").set_input_files(tmp_path / "dmi-v3.toml")
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("dmi-v3")
    expect(page.locator("tr.current-version")).to_contain_text("dmi-v3")

    # Add a solution through the form.
    page.get_by_role("link", name="目录管理").click()
    page.locator("#solutions").get_by_role("link", name="新增").click()
    fields = {  # by the labels the form shows in Chinese (never the raw field names)
        "代码": "S-E2E-SCAN",
        "服务商代码": "P-ERPDEMO",
        "中文名称": "车间扫码报工轻量应用",
        "英文名称": "Shop-floor scan reporting app",
        "对应维度": "PRO",
        "对应阶段条件": "S1.SYSTEMS",
        "价格区间": "lt5",
        "交付周期（周）": "2",
        "建设的能力": "production",
        "计价方式": "subscription",
    }
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash-success")).to_contain_text("S-E2E-SCAN")
    expect(page.locator("#solutions")).to_contain_text("S-E2E-SCAN")

    # A catalogue file with one bad row (row 3: unknown price band) imports nothing.
    bad = tmp_path / "solutions.csv"
    bad.write_text(
        "code,provider,name_zh,name_en,gates,price_band,light_fast\n"
        "S-E2E-OK,P-ERPDEMO,扫码仓库,Scan warehouse,S1.SYSTEMS,lt5,1\n"
        "S-E2E-BAD,P-ERPDEMO,价格不明的方案,Unknown price,S1.SYSTEMS,cheap,1\n",
        encoding="utf-8",
    )
    page.get_by_label("文件", exact=True).set_input_files(bad)
    page.get_by_label("CSV 内容").select_option("solutions")
    page.get_by_role("button", name="导入").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("未导入任何内容")
    expect(summary).to_contain_text("第 3 行")
    expect(page.locator("#solutions")).not_to_contain_text("S-E2E-OK")
    context.close()
