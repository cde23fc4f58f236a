"""Every main page of every role, rendered in English, shows no Chinese character and no Chinese
punctuation ("：", "（）", "；", "、") outside the data people typed (enterprise and person
names, contact lines), which stays as entered."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import Assessment, EnablingCentre, Enterprise, ServiceProvider, User
from tests.factories import DRAFT_ENTERPRISE, register_owner
from webapp.extensions import db
from webapp.services import demo
from webapp.services.assessments import start_assessment

#: CJK ideographs, CJK punctuation (。、「」) and full-width forms (：（）；，).
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
#: Deliberately Chinese on English pages: the language switch's name for Chinese, the brand mark.
ALLOWED = {"中文", "数"}
DRAFT_OWNER = "draft@example.com"


def visible_text(page: str) -> list[str]:
    """Text nodes and the attributes people read or hear (alt, title, aria-label,
    placeholder), plus the data of charts (axis and trace names)."""
    charts = [html.unescape(c) for c in re.findall(r'data-plotly-figure="([^"]*)"', page)]
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attributes = re.findall(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"', page)
    texts = re.sub(r"<[^>]+>", "\n", page).split("\n") + attributes
    return [html.unescape(t).strip() for t in texts if t.strip()] + charts


def chinese_left(page: str, data: set[str]) -> list[str]:
    found = []
    for text in visible_text(page):
        for value in sorted(data, key=len, reverse=True):
            text = text.replace(value, "")
        if CHINESE.search(text) and text.strip() not in ALLOWED:
            found.append(text.strip()[:160])
    return found


def test_the_check_can_fail() -> None:
    assert chinese_left("<p>Persona：<b>Early</b></p>", set()) == ["Persona："]
    assert chinese_left("<p>Stage (S1)</p><p title='x'>中文</p>", set()) == []
    assert chinese_left("<p>东莞市某公司 · Round 2026</p>", {"东莞市某公司"}) == []
    assert chinese_left('<img alt="雷达图">', set()) == ["雷达图"]


# The demo cohort (seeded once per session; each test's writes are rolled back); about
# questionnaire v1 behaviour (v1 item codes and gates): drafts start on v1.
pytestmark = [
    pytest.mark.demo_cohort(enterprises=60, seed=5),  # the rescore tests' cohort
    pytest.mark.usefixtures("instrument_v1"),
]


@pytest.fixture
def cohort(app: Flask) -> Iterator[set[str]]:
    """The demo cohort plus an owner with a questionnaire in progress; yields the data values
    (names, contact lines) that may be Chinese on any page."""
    with app.app_context():
        drafter = register_owner(DRAFT_OWNER, demo.DEMO_PASSWORD, "李经理", DRAFT_ENTERPRISE)
        start_assessment(drafter, "2026")
        db.session.commit()
        data = set(db.session.scalars(select(Enterprise.name)))
        data |= set(db.session.scalars(select(User.display_name)))
        data |= set(db.session.scalars(select(EnablingCentre.contact)))
        data |= set(db.session.scalars(select(ServiceProvider.contact)))
    yield {d for d in data if d}


def english_client(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    client.post("/lang/en", data={"next": "/"})
    if email:
        resp = client.post("/auth/login", data={"email": email, "password": demo.DEMO_PASSWORD})
        assert resp.status_code == 302
    return client


def links(page: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(rf'href="({pattern})"', page)))


def pages_of(app: Flask, email: str) -> Iterator[tuple[str, str]]:
    """(path, html) of the main pages a role reaches, following its own links."""
    client = english_client(app, email)

    def get(path: str) -> tuple[str, str]:
        resp = client.get(path)
        assert resp.status_code == 200, path
        return path, resp.get_data(as_text=True)

    if not email:
        for path in ("/", "/auth/login", "/auth/register", "/auth/forgot"):
            yield get(path)
    elif email == "owner@demo.invalid":
        home = get("/enterprise/")
        yield home
        yield get("/enterprise/profile")
        yield get("/enterprise/referrals")
        for path in links(home[1], r"/enterprise/assessments/[0-9a-f]+/result"):
            yield get(path)
    elif email == DRAFT_OWNER:
        home = get("/enterprise/")
        yield home
        with app.app_context():
            public_id = db.session.scalar(
                select(Assessment.public_id)
                .join(Enterprise)
                .where(Enterprise.name == "东莞市长安示例电子有限公司")
            )
        for part in ("ORG", "INF", "INN"):  # first, one with numbers, last
            yield get(f"/enterprise/assessments/{public_id}/pages/{part}")
        yield get(f"/enterprise/assessments/{public_id}/review")
    elif email == "staff@demo.invalid":
        cohort_page = get("/centre/")
        yield cohort_page
        yield get("/centre/referrals")
        for path in links(cohort_page[1], r"/centre/enterprises/\d+")[:3]:
            yield get(path)
    elif email == "officer@demo.invalid":
        yield get("/government/")
    elif email == "admin@demo.invalid":
        for path in ("/admin/", "/admin/catalogue", "/admin/instruments"):
            yield get(path)


@pytest.mark.parametrize(
    "email",
    [
        "",
        "owner@demo.invalid",
        DRAFT_OWNER,
        "staff@demo.invalid",
        "officer@demo.invalid",
        "admin@demo.invalid",
    ],
)
def test_english_pages_have_no_chinese_outside_data(
    app: Flask, cohort: set[str], email: str
) -> None:
    problems = {path: chinese_left(page, cohort) for path, page in pages_of(app, email)}
    assert len(problems) >= 1
    assert {path: found for path, found in problems.items() if found} == {}


def test_demo_contact_lines_are_language_neutral(app: Flask, cohort: set[str]) -> None:
    """The catalogue keeps one contact line for both languages (phone, e-mail): no Chinese
    note in it; a demo entry says so with its badge, in the page's language."""
    pages = [page for path, page in pages_of(app, "owner@demo.invalid") if path.endswith("/result")]
    contacts = [
        html.unescape(c)
        for page in pages
        for c in re.findall(r'<p class="contact">([^<]*)</p>', page)
    ]
    assert contacts and all(re.fullmatch(r"[\x20-\x7e·]+", c) for c in contacts), contacts
    assert all("demo data" in page for page in pages)


def test_result_and_staff_pages_write_dates_as_words(app: Flask, cohort: set[str]) -> None:
    """Dates read "1 Mar 2026" as on the home page, not "2026-03-01"; an assessment's state in
    the staff history reads "Submitted", not the stored "submitted"."""
    iso = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
    for email in ("owner@demo.invalid", "staff@demo.invalid"):
        for path, page in pages_of(app, email):
            text = "\n".join(visible_text(page))
            assert not iso.search(text), (path, iso.findall(text))
            if path.endswith("/result"):
                assert re.search(r"submitted on \d{1,2} [A-Z][a-z]{2} \d{4}", text), path
            if path.startswith("/centre/enterprises/"):
                assert "<td>submitted</td>" not in page and "<td>Submitted</td>" in page, path
