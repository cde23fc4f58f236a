"""The questionnaire and the report on a 375-pixel phone and on a desktop, in both languages:
nothing sticks out to the right (no sideways scrolling of the page), and full-page screenshots
are written for people to look at (to ``$SCREENSHOT_DIR`` when set, else a temporary folder)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from assessment.instrument import current_instrument
from tests.e2e.conftest import DRAFT_OWNER, log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
#: The current questionnaire (the demo's draft and scored assessments are on it): its parts, one
#: step each, and its scored dimensions, one radar label each.
INSTRUMENT = current_instrument()
PARTS = len(INSTRUMENT.dimensions)
SCORED = sum(1 for d in INSTRUMENT.dimensions if d.scored)
DESKTOP = {"width": 1280, "height": 900}

#: Elements wider than the screen, ignoring those inside a sideways-scrolling container (a wide
#: table in ``overflow-x: auto`` scrolls by itself and is fine on a phone).
OVERFLOWING = """() => {
  const limit = document.documentElement.clientWidth + 1;
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= limit || scrolls(el)) continue;
    out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} right=${Math.round(r.right)}`);
  }
  return {page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth, out: out.slice(0, 8)};
}"""


#: The questionnaire's parts whose answer count ("0/6") is not wholly on the screen.
STEP_COUNTS = """() => {
  const counts = [...document.querySelectorAll('.steps .step-count')];
  const width = document.documentElement.clientWidth;
  const hidden = counts.filter((c) => {
    const r = c.getBoundingClientRect();
    return r.width === 0 || r.left < 0 || r.right > width;
  }).map((c) => c.closest('li').textContent.trim().replace(/\\s+/g, ' '));
  return {steps: counts.length, hidden};
}"""


#: The radar's box, its circle (plotly's polar background), and how many dimension labels stick
#: out of the box or run into another label or the legend.
RADAR = """() => {
  const chart = document.querySelector('#radar');
  const box = chart.getBoundingClientRect();
  const circle = chart.querySelector('g.plotbg').getBoundingClientRect();
  const labels = [...chart.querySelectorAll('g.angularaxistick text')].map((t) => t.getBoundingClientRect());
  const legend = chart.querySelector('g.legend').getBoundingClientRect();
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  let collisions = 0;
  labels.forEach((a, i) => {
    if (meet(a, legend)) collisions += 1;
    labels.slice(i + 1).forEach((b) => { if (meet(a, b)) collisions += 1; });
  });
  const outside = labels.filter((r) => r.left < box.left - 1 || r.right > box.right + 1).length;
  return {box: Math.round(box.width), height: Math.round(box.height), circle: Math.round(circle.width),
          labels: labels.length, outside, collisions};
}"""


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("SCREENSHOT_DIR")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def assert_fits(page: Page, name: str, shots: Path) -> None:
    page.wait_for_load_state("load")
    page.screenshot(path=shots / f"{name}.png", full_page=True)
    found = page.evaluate(OVERFLOWING)
    assert found["page"] <= found["screen"], f"{name}: page scrolls sideways {found}"
    assert found["out"] == [], f"{name}: {found}"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_questionnaire_and_report_fit_the_screen(
    browser: Browser, demo_server: str, shots: Path, lang: str, size: str
) -> None:
    base = demo_server
    viewport = PHONE if size == "phone" else DESKTOP
    locale = "en-GB" if lang == "en" else "zh-CN"
    context = browser.new_context(
        viewport=viewport, locale=locale, is_mobile=size == "phone", has_touch=size == "phone"
    )
    page = context.new_page()
    log_in(page, base, DRAFT_OWNER)
    assert_fits(page, f"{size}-{lang}-home", shots)
    page.locator("form[action$='/assessments/start'] button").click()
    page.wait_for_url(re.compile(r"/pages/"))
    assert_fits(page, f"{size}-{lang}-questionnaire", shots)
    # Every part of the questionnaire and its count of answers is on screen (on a phone the
    # list once scrolled sideways, showing only the current part).
    counts = page.evaluate(STEP_COUNTS)
    assert counts["steps"] == PARTS and counts["hidden"] == [], counts
    # Open one question's help (terms explained in place) and look again.
    page.locator(".question details.help summary").first.click()
    page.locator(".steps li").nth(2).locator("button").click()
    assert_fits(page, f"{size}-{lang}-questionnaire-3", shots)
    context.close()

    context = browser.new_context(
        viewport=viewport, locale=locale, is_mobile=size == "phone", has_touch=size == "phone"
    )
    page = context.new_page()
    log_in(page, base, "owner@demo.invalid")
    page.locator("a[href*='/result']").first.click()
    page.locator("#radar .main-svg").first.wait_for()
    assert_fits(page, f"{size}-{lang}-report", shots)
    # The radar keeps a readable circle (on a phone at least half the chart's width, not the
    # 65 px left between desktop margins) and its labels stay apart and inside the chart.
    radar = page.evaluate(RADAR)
    assert radar["labels"] == SCORED and radar["outside"] == 0 and radar["collisions"] == 0, radar
    assert radar["circle"] >= (radar["box"] * 0.5 if size == "phone" else 280), radar
    if size == "desktop":
        # Narrowed to a phone's width after drawing (a turned phone): the phone layout then.
        page.set_viewport_size(PHONE)
        for _ in range(50):  # app.js redraws 150 ms after the resize (no eval: the page's CSP)
            page.wait_for_timeout(100)
            radar = page.evaluate(RADAR)
            if radar["height"] < 460:
                break
        assert radar["height"] < 460, f"not redrawn for the phone's width within 5 s: {radar}"
        assert radar["outside"] == 0 and radar["collisions"] == 0, radar
        assert radar["circle"] >= radar["box"] * 0.5, radar
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_staff_officer_and_admin_pages_fit_a_phone(
    browser: Browser, demo_server: str, shots: Path, lang: str
) -> None:
    """Long English names (personas in the cohort filter, table headings) stay inside 375 px."""
    locale = "en-GB" if lang == "en" else "zh-CN"
    for email, paths in [
        ("staff@demo.invalid", ["/centre/", "/centre/referrals"]),
        ("officer@demo.invalid", ["/government/"]),
        (
            "admin@demo.invalid",
            ["/admin/", "/admin/catalogue", "/admin/instruments", "/admin/rounds"],
        ),
    ]:
        context = browser.new_context(viewport=PHONE, locale=locale, is_mobile=True, has_touch=True)
        page = context.new_page()
        log_in(page, demo_server, email)
        for path in paths:
            page.goto(demo_server + path)
            assert_fits(page, f"phone-{lang}-{path.strip('/').replace('/', '-')}", shots)
        context.close()
