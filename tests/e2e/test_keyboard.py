"""Keyboard only: the skip link, then a whole questionnaire page answered and left for the next
with Tab, Shift+Tab, Space, the arrow keys, typing and Enter; every element that takes focus on
the way shows it (an outline or a box shadow)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page

from assessment.instrument import current_instrument
from assessment.types import ItemKind
from tests.e2e.conftest import OWNER, log_in

pytestmark = pytest.mark.e2e


#: What the focused element is, and whether its focus can be seen.
FOCUS = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1;
  return {tag: el.tagName.toLowerCase(), name: el.getAttribute('name') || '', id: el.id,
          value: el.value || '', text: (el.textContent || '').trim().slice(0, 40),
          visible: outline || (s.boxShadow && s.boxShadow !== 'none')};
}"""


def press(page: Page, key: str) -> dict[str, object]:
    page.keyboard.press(key)
    focus: dict[str, object] = page.evaluate(FOCUS)
    if focus["tag"] not in ("body", "main"):
        assert focus["visible"], f"focus cannot be seen after {key}: {focus}"
    return focus


def tab_to(page: Page, matches: re.Pattern[str], *, limit: int = 80) -> dict[str, object]:
    """Press Tab until the focused element's name, id or text matches ``matches``."""
    for _ in range(limit):
        focus = press(page, "Tab")
        if any(matches.search(str(focus[k])) for k in ("name", "id", "text")):
            return focus
    raise AssertionError(f"Tab never reached {matches.pattern}")


def test_skip_link_and_a_questionnaire_page_by_keyboard(
    browser: Browser, owner_server: tuple[str, Flask]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, owner_server[0], OWNER)
    page.wait_for_url(re.compile(r"/enterprise/$"))

    # The first Tab reaches the skip link, which is then shown; Enter moves focus to the content.
    focus = press(page, "Tab")
    assert focus["text"] == "跳到正文"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # type: ignore[index]
    press(page, "Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")

    # From the content, the start button, then the first page of the questionnaire.
    instrument = current_instrument()
    first, second = (d.code for d in instrument.dimensions[:2])
    tab_to(page, re.compile("开始评估"))
    page.keyboard.press("Enter")  # submits: a new page loads
    page.wait_for_url(re.compile(rf"/pages/{first}$"))

    expected: dict[str, object] = {}
    for item in instrument.items_of(first):
        if item.kind == ItemKind.SINGLE:
            tab_to(page, re.compile(rf"^item_{item.code}$"))
            press(page, "Space")  # the first option
            press(page, "ArrowDown")  # arrows move the choice within the group
            press(page, "ArrowDown")
            expected[item.code] = item.options[2].code
        elif item.kind in (ItemKind.NUMBER, ItemKind.FIGURE):
            tab_to(page, re.compile(rf"^item_{item.code}$"))
            page.keyboard.type("12")
            expected[item.code] = "12"
        else:  # several choices: Space ticks the focused box, Tab moves to the next one
            tab_to(page, re.compile(rf"^item_{item.code}$"))
            press(page, "Space")
            press(page, "Tab")
            press(page, "Space")
            expected[item.code] = [item.options[0].code, item.options[1].code]

    # Forward to the buttons, one step back and forth, then "save and continue".
    tab_to(page, re.compile("保存并继续"))
    assert press(page, "Shift+Tab")["text"] == "保存"
    assert press(page, "Tab")["text"] == "保存并继续"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/pages/{second}$"))

    # The answers given by keyboard were stored.
    page.goto(page.url.replace(f"/pages/{second}", f"/pages/{first}"))
    for code, value in expected.items():
        if isinstance(value, list):
            checked = page.locator(f"input[name='item_{code}']:checked")
            assert sorted(checked.evaluate_all("els => els.map(e => e.value)")) == sorted(value)
        elif value == "12":
            assert page.locator(f"input[name='item_{code}'][type=number]").input_value() == "12"
        else:
            assert (
                page.locator(f"input[name='item_{code}']:checked").get_attribute("value") == value
            )
    context.close()
