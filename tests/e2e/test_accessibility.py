"""WCAG 2.1 AA (and GB/T 37668-2019, which adopts the same success criteria) on every main page
of every role, in both languages: axe-core runs in headless chromium and no serious or critical
violation may remain."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import DRAFT_OWNER, log_in

pytestmark = pytest.mark.e2e

AXE = Axe()
#: axe-core rule tags: WCAG 2.0/2.1 levels A and AA, plus axe's best practices (reported, but
#: only serious and critical impacts fail the test).
OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def serious_violations(page: Page) -> list[str]:
    """One line per serious/critical violation: rule id, help text and the first offenders."""
    results = AXE.run(page, options=OPTIONS).response
    lines = []
    for v in results["violations"]:
        if v["impact"] in ("serious", "critical"):
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
            lines.append(f"{page.url} [{v['impact']}] {v['id']}: {v['help']} -> {targets}")
    return lines


def check(page: Page, path: str, found: list[str], base: str) -> None:
    if path:
        page.goto(base + path)
    page.wait_for_load_state("load")
    found.extend(serious_violations(page))


def new_page(browser: Browser, lang: str) -> Page:
    context = browser.new_context(locale="en-GB" if lang == "en" else "zh-CN")
    return context.new_page()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_public_and_enterprise_pages(browser: Browser, demo_server: str, lang: str) -> None:
    base, found = demo_server, []
    page = new_page(browser, lang)
    for path in ("/", "/auth/login", "/auth/register"):
        check(page, path, found, base)
    # A form with errors: the summary links to the fields, the fields point to their messages.
    page.goto(base + "/auth/register")
    page.locator("form button[type=submit]").last.click()
    check(page, "", found, base)

    log_in(page, base, DRAFT_OWNER)
    check(page, "/enterprise/", found, base)
    check(page, "/enterprise/profile", found, base)
    page.goto(base + "/enterprise/")
    page.locator("form[action$='/assessments/start'] button").click()
    page.wait_for_url(re.compile(r"/pages/"))
    first_page = page.url
    check(page, "", found, base)
    # Another questionnaire page (options, numbers, help) and the review page.
    page.locator(".steps li").nth(3).locator("button").click()
    check(page, "", found, base)
    check(page, first_page.replace(base, "").split("/pages/")[0] + "/review", found, base)
    page.context.close()

    page = new_page(browser, lang)
    log_in(page, base, "owner@demo.invalid")
    page.goto(base + "/enterprise/")
    page.locator("a[href*='/result']").first.click()
    check(page, "", found, base)
    check(page, "/enterprise/referrals", found, base)
    page.context.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_staff_officer_and_admin_pages(browser: Browser, demo_server: str, lang: str) -> None:
    base, found = demo_server, []
    page = new_page(browser, lang)
    log_in(page, base, "staff@demo.invalid")
    check(page, "/centre/", found, base)
    page.locator("a[href*='/centre/enterprises/']").first.click()
    check(page, "", found, base)
    check(page, "/centre/referrals", found, base)
    page.context.close()

    page = new_page(browser, lang)
    log_in(page, base, "officer@demo.invalid")
    check(page, "/government/", found, base)
    page.context.close()

    page = new_page(browser, lang)
    log_in(page, base, "admin@demo.invalid")
    for path in (
        "/admin/",
        "/admin/catalogue",
        "/admin/catalogue/solutions/edit",
        "/admin/instruments",
        "/admin/rounds",
    ):
        check(page, path, found, base)
    page.context.close()
    assert found == [], "\n".join(found)
