"""A new SME owner's whole journey in a real browser: register -> profile -> every page (closing
the browser half-way) -> submit -> stage and radar -> PDF whose text names the stage -> referral
request to a recommended centre."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from assessment.uscc import make_uscc

pytestmark = pytest.mark.e2e

EMAIL = "owner@example.com"
PASSWORD = "a-long-enough-password"


def answer_visible_questions(page: Page) -> None:
    """Answer every visible question on the page with its last (most mature) option.

    Loops because answering a question can reveal a follow-up (skip logic).
    """
    for _ in range(5):
        changed = False
        for q in page.locator("fieldset.question:visible").all():
            radios = q.locator("input[type=radio]")
            checks = q.locator("input[type=checkbox]")
            number = q.locator("input[type=number]")
            if radios.count():
                if not q.locator("input[type=radio]:checked").count():
                    radios.last.check()
                    changed = True
            elif number.count():
                # A figure's "don't know" box is left alone: the figure is answered.
                if not number.input_value():
                    low = float(number.get_attribute("min") or 0)
                    high = float(number.get_attribute("max") or low + 10)
                    number.fill(f"{(low + high) / 2:g}")
                    number.dispatch_event("change")
                    changed = True
            elif checks.count():
                if not q.locator("input[type=checkbox]:checked").count():
                    checks.last.check()
                    changed = True
        if not changed:
            return


def answer_to_review(page: Page) -> None:
    """From a questionnaire page, answer it and each page after it ("保存并继续", waiting for
    the next page each time) and open the review page ("检查并提交").

    Bounded: a page that does not move on (an answer the helper cannot give) fails the test
    instead of looping (an unbounded loop here could stall a CI run until its limit)."""
    steps = page.locator(".steps li")
    for _ in range(steps.count() + 1):
        answer_visible_questions(page)
        following = page.get_by_role("button", name="保存并继续")
        if not following.count():
            page.get_by_role("button", name="检查并提交").click()
            expect(page.get_by_role("heading", name="检查并提交")).to_be_visible()
            return
        current = page.locator(".steps li.current").inner_text()
        following.click()
        expect(page.locator(".steps li.current")).not_to_have_text(current, timeout=30_000)
    raise AssertionError(f"no review page after {steps.count()} pages: {page.url}")


#: The answers shown on the page: each ticked option's and each filled-in figure's name and value
#: (a part of questionnaire v2 may hold figures only).
ANSWERS = """() => [...document.querySelectorAll('fieldset.question input')]
  .filter((i) => (i.type === 'number' ? i.value !== '' : i.checked))
  .map((i) => `${i.name}=${i.value}`)"""


def shown_answers(page: Page) -> list[str]:
    """``name=value`` of every answer on the page (see ``ANSWERS``), in page order."""
    answers: list[str] = page.evaluate(ANSWERS)
    return answers


def login(page: Page, base: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("电子邮箱").fill(EMAIL)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_owner_journey(browser: Browser, live_server: str) -> None:
    base = live_server
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(base)
    page.get_by_role("link", name="注册并开始评估").click()
    page.get_by_label("电子邮箱").fill(EMAIL)
    page.get_by_label("联系人姓名").fill("王老板")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_label("我已阅读并同意《隐私说明》").check()  # the privacy notice's consent
    page.get_by_role("button", name="注册").click()

    expect(page.get_by_role("heading", name="企业信息")).to_be_visible()
    page.get_by_label("企业名称").fill("东莞市厚街示例家具有限公司")
    page.get_by_label("统一社会信用代码").fill("91441900MA0000001X")  # wrong check character
    page.get_by_label("所属行业").select_option("C21")
    page.get_by_label("离散型").check()
    page.get_by_label("所在镇街/园区").select_option("houjie")
    page.get_by_label("从业人员（人）").fill("150")
    page.get_by_label("上年度营业收入（万元）").fill("5200")
    page.get_by_role("button", name="保存企业信息").click()
    expect(page.locator(".error-summary")).to_contain_text("校验")
    page.get_by_label("统一社会信用代码").fill(make_uscc("91441900MA0000001"))
    page.get_by_role("button", name="保存企业信息").click()

    page.get_by_role("button", name="开始评估").click()
    pages = page.locator(".steps li").count()
    assert pages >= 6
    half = pages // 2
    for _i in range(half):
        answer_visible_questions(page)
        page.get_by_role("button", name="保存并继续").click()
    # Remember the answers of the page before, then close the browser entirely.
    page.get_by_role("button", name="上一部分").click()
    kept = shown_answers(page)
    assert len(kept) > 0
    context.close()

    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    login(page, base)
    page.get_by_role("button", name="继续作答").click()
    # It resumes at the first page with answers missing, and earlier answers are still there.
    expect(page.locator(".steps li.current")).to_have_count(1)
    page.locator(".steps li").nth(half - 1).locator("button").click()
    # The click saves this page and opens the other one: read it once it is there.
    expect(page.locator(".steps li").nth(half - 1)).to_have_class(re.compile(r"\bcurrent\b"))
    assert shown_answers(page) == kept

    page.locator(".steps li").nth(half).locator("button").click()
    expect(page.locator(".steps li").nth(half)).to_have_class(re.compile(r"\bcurrent\b"))
    answer_to_review(page)
    missing = page.locator(".error-summary")
    assert not missing.count(), missing.inner_text()
    page.get_by_label("本企业承诺以上回答真实、准确。").check()
    page.get_by_role("button", name="提交评估").click()

    stage = page.locator(".stage-name")
    # Without Redis the PDF job started at submit runs in a thread of this server, beside the
    # result page's first build: on a busy machine the page takes longer than expect's 5 s.
    expect(stage).to_be_visible(timeout=30_000)
    stage_text = stage.inner_text()
    stage_name = stage_text.split(" ", 1)[1]
    expect(page.locator("#radar .main-svg").first).to_be_visible()

    # The PDF is made in the background at submit: the link downloads it when it is stored,
    # otherwise the progress page refreshes itself until the download starts.
    result_url = page.url
    ready = page.get_by_role("link", name="下载 PDF 报告")
    link = ready if ready.count() else page.get_by_role("link", name="查看进度")
    with page.expect_download(timeout=90_000) as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    page.goto(result_url)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert stage_name in text

    # Ask the first recommended centre to get in touch: the report and "my referrals" show it.
    centre = page.locator("#recommendations article.match").first
    centre_name = centre.get_by_role("heading").inner_text()
    centre.get_by_role("button", name="请求对接").click()
    expect(
        page.locator("#recommendations article.match").first.locator(".referral-state")
    ).to_be_visible()
    page.get_by_role("link", name="我的对接").click()
    expect(page.locator("main")).to_contain_text(centre_name)
    context.close()
