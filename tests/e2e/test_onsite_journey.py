"""Evidence and on-site rating in a real browser (issue 17): an owner attaches a photo to an
answer and submits with the declaration of truth; a staff member of the firm's centre rates the
firm on site on a 375 px phone, changing two constrained scenarios with reasons; the result
page, the PDF and the API then say "on-site rated" and show both levels."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import Browser, expect
from pypdf import PdfReader
from sqlalchemy import select

from models import Enterprise, OnsiteRating, Role
from tests.e2e.conftest import DEMO_PASSWORD, OWNER, log_in
from tests.e2e.test_service_loop import _answer_all_pages
from webapp.extensions import db
from webapp.services.accounts import register_user

pytestmark = pytest.mark.e2e

STAFF = "onsite-staff@example.com"
PHONE = {"width": 375, "height": 740}


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_evidence_then_onsite_rating_at_375_px_shows_both_levels(
    browser: Browser, owner_server: tuple[str, Flask]
) -> None:
    base, app = owner_server
    owner = browser.new_context(locale="zh-CN").new_page()
    log_in(owner, base, OWNER)
    owner.get_by_role("button", name="开始评估").click()
    first = owner.locator("fieldset.question").first
    first.locator("details.evidence summary").click()
    first.locator("input[type=file]").set_input_files(
        {"name": "车间照片.png", "mimeType": "image/png", "buffer": _photo()}
    )
    first.get_by_role("button", name="上传").click()
    expect(owner.get_by_role("link", name="车间照片.png")).to_be_visible()
    _answer_all_pages(owner)
    result_url = owner.url

    with app.app_context():
        firm = db.session.scalar(select(Enterprise))
        assert firm is not None and firm.centre_id is not None
        staff = register_user(STAFF, DEMO_PASSWORD, "现场专员", Role.CENTRE_STAFF)
        staff.centre_id = firm.centre_id
        db.session.commit()
        firm_id = firm.id

    phone = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    log_in(phone, base, STAFF)
    phone.goto(f"{base}/centre/enterprises/{firm_id}")
    phone.get_by_role("link", name="现场评定").click()
    expect(phone.get_by_role("link", name="车间照片.png")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for scenario in ("finance", "production"):
        box = phone.locator(f"#s-{scenario}")
        box.locator("input[value='1']").check()
        box.locator("textarea").fill("现场只见纸质台账")
    expect(phone.locator("#save-status")).to_have_text("已自动保存")
    phone.get_by_role("button", name="完成评定").click()
    expect(phone.locator("[data-basis='onsite_rated']")).to_be_visible()
    with app.app_context():
        rating = db.session.scalar(select(OnsiteRating))
        assert rating is not None and rating.finished is not None
        assert {c["code"] for c in rating.finished["changed"]} == {"finance", "production"}

    owner.goto(result_url)
    expect(owner.locator("[data-basis='onsite_rated']")).to_contain_text("现场评定")
    expect(owner.locator(".verified")).to_contain_text("企业填报等级")
    expect(owner.locator(".verified")).to_contain_text("现场只见纸质台账")
    # The PDF is made by a background job: the download answers 202 with a progress page until
    # the stored file is ready (issue 18), then the file itself.
    pdf_url = result_url.replace("/result", "/report.pdf")
    pdf = owner.request.get(pdf_url)
    for _ in range(120):
        if pdf.status != 202:
            break
        owner.wait_for_timeout(1000)
        pdf = owner.request.get(pdf_url)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf", pdf.status
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "现场评定" in text and "企业填报等级" in text
    public_id = result_url.split("/assessments/")[1].split("/")[0]
    api = owner.request.get(f"{base}/api/v1/assessments/{public_id}").json()
    assert api["basis"] == "onsite_rated"
    assert api["verified"]["self_miit_level"] == api["miit_level"]
    assert {c["code"] for c in api["verified"]["changed"]} == {"finance", "production"}
