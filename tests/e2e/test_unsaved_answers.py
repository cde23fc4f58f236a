"""An expired login while answering loses nothing: the answers typed after the session ended
come back into the page after logging in again, with a notice, and are saved."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from assessment.instrument import current_instrument
from assessment.types import ItemKind
from models import Assessment, User
from tests.e2e.conftest import OWNER as EMAIL
from tests.e2e.conftest import log_in
from webapp.extensions import db

pytestmark = pytest.mark.e2e


def answer(page: Page, index: int) -> tuple[str, str]:
    """Choose the last option of the page's ``index``-th visible single-choice question."""
    questions = page.locator("fieldset.question:visible", has=page.locator("input[type=radio]"))
    radio = questions.nth(index).locator("input[type=radio]").last
    radio.check()
    return radio.get_attribute("name")[len("item_") :], radio.get_attribute("value")  # type: ignore[index]


def page_of_single_choices(count: int) -> str:
    """The current questionnaire's first part with ``count`` always-shown single-choice
    questions that apply to every enterprise (version 2 opens with multiple choices and figures)."""
    instrument = current_instrument()
    return next(
        d.code
        for d in instrument.dimensions
        if sum(
            1
            for i in instrument.items_of(d.code)
            if i.kind == ItemKind.SINGLE
            and i.show_if is None
            and i.cluster is None
            and len(i.applies_to) == 3
        )
        >= count
    )


def start_questionnaire(browser: Browser, base: str) -> tuple[BrowserContext, Page]:
    """A new Chinese browser context in which ``EMAIL`` has logged in and started an assessment;
    its page is on the questionnaire's first page."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, base, EMAIL)
    page.goto(f"{base}/enterprise/")
    page.get_by_role("button", name="开始评估").click()
    page.wait_for_url("**/pages/**")
    return context, page


def stored(app: Flask) -> dict[str, object]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == EMAIL))
        assessment = db.session.scalar(
            select(Assessment).where(Assessment.enterprise_id == user.enterprise_id)
        )
        responses = dict(assessment.responses or {})
        db.session.remove()
        return responses


def test_answers_typed_after_the_session_expired_are_restored_and_saved(
    browser: Browser, owner_server: tuple[str, Flask]
) -> None:
    base, app = owner_server
    context, page = start_questionnaire(browser, base)
    page.goto(re.sub(r"/pages/[^/]+$", f"/pages/{page_of_single_choices(3)}", page.url))
    questionnaire = page.url
    status = page.locator("#save-status")

    first = answer(page, 0)
    expect(status).to_have_text("已自动保存")
    assert stored(app) == {first[0]: first[1]}

    context.clear_cookies()  # the session ends (expiry, logout elsewhere, idle timeout)
    later = [answer(page, 1)]
    expect(status).to_contain_text("登录已过期")
    later.append(answer(page, 2))
    expect(status).to_contain_text("登录已过期")
    assert stored(app) == {first[0]: first[1]}  # nothing after the expiry reached the server

    path = questionnaire[len(base) :]
    log_in(
        page, base, EMAIL, next_url=path
    )  # the same tab: the page is loaded afresh with the server's answers
    assert page.url == questionnaire
    expect(page.locator("#restore-notice")).to_have_text("恢复了 2 个未保存的回答")
    expect(status).to_have_text("已自动保存")
    assert stored(app) == {first[0]: first[1], **{code: value for code, value in later}}
    for code, value in [first, *later]:
        expect(page.locator(f'input[name="item_{code}"][value="{value}"]')).to_be_checked()

    # Reloading restores nothing more: the copy was cleared once the server had the answers.
    page.reload()
    expect(page.locator("#restore-notice")).to_be_hidden()
    context.close()


def test_another_users_copy_is_never_restored(
    browser: Browser, owner_server: tuple[str, Flask]
) -> None:
    base, app = owner_server
    context, page = start_questionnaire(browser, base)
    form = page.locator("#page-form")
    key = f"dt-unsaved-{form.get_attribute('data-assessment')}-{form.get_attribute('data-page')}"
    name = page.locator("fieldset.question input[type=radio]").first.get_attribute("name")
    page.evaluate(
        """([key, name, value, version]) => localStorage.setItem(key, JSON.stringify({
            user: "999999", assessment: key.split("-")[2], version: version,
            values: {[name]: [value]}, at: Date.now()}))""",
        [key, name, "L1", page.locator("#version").input_value()],
    )
    page.reload()
    expect(page.locator("#restore-notice")).to_be_hidden()
    assert page.evaluate("(key) => localStorage.getItem(key)", key) is None
    assert stored(app) == {}
    context.close()


def test_a_page_button_pressed_while_its_autosave_is_on_the_way_moves_on_without_a_conflict(
    browser: Browser, owner_server: tuple[str, Flask]
) -> None:
    """Answer, then press 保存并继续 while the answer's autosave is on its way back (the server
    has stored it; its answer is held back here for a second): the page waits for the save and
    moves on. Before, it was sent with the version the save had just replaced and came back as
    the owner's own concurrent edit (409, "已在另一个窗口或设备上修改")."""
    base, app = owner_server
    context, page = start_questionnaire(browser, base)
    page.goto(re.sub(r"/pages/[^/]+$", f"/pages/{page_of_single_choices(1)}", page.url))
    here = page.url
    held: list[str] = []

    def slow_autosave(route):  # type: ignore[no-untyped-def]
        if route.request.headers.get("x-autosave") != "1":
            route.continue_()
            return
        response = route.fetch()  # the server stores the answer now
        held.append(route.request.url)
        page.wait_for_timeout(1000)
        route.fulfill(response=response)

    page.route("**/pages/**", slow_autosave)
    code, value = answer(page, 0)
    page.wait_for_timeout(400)  # past the 300 ms before the autosave goes out
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_url(lambda url: url != here)
    assert held, "the autosave was not on its way when the button was pressed"
    expect(page.get_by_text("已在另一个窗口")).to_have_count(
        0
    )  # not its own autosave as a conflict
    assert stored(app)[code] == value
    context.close()
