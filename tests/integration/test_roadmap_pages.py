"""The roadmap on the web (issue 19): a garment maker submits questionnaire v2 and reads its
roadmap on the result page (three horizons, each step why → what → cost → who, in both
languages), its centre's staff read it on the enterprise page, the PDF carries it, the
改造需求清单 downloads as a workbook whose rows are the roadmap's steps, and the API returns it."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from assessment.instrument import least_mature_responses, load_instrument
from assessment.roadmap import Horizon, Roadmap
from models import Assessment, EnablingCentre, Enterprise, Role, User
from reports.needs_list import needs_list_headers
from reports.pdf import render_enterprise_html
from reports.roadmap_view import build_roadmap_view
from tests.integration.questionnaire_client import DECLARED, answer_everything
from tests.unit.profiles import garment_answers
from webapp.extensions import db
from webapp.services import demo, enterprise_reports, roadmaps, snapshots

#: The garment maker of ``tests.unit.profiles.garment_answers``: C18, 150 people, 5,000 万元.
GARMENT = {"industry_code": "C18", "employees": 150, "town": "humen", "revenue_wan": 5000.0}


@dataclass(frozen=True)
class Firm:
    owner: User
    enterprise_id: int
    centre_id: int
    public_id: str


@pytest.fixture
def firm(app: Flask, client: FlaskClient, make_user, make_enterprise, login) -> Firm:  # type: ignore[no-untyped-def]
    with app.app_context():
        demo.load_catalogue()
        db.session.commit()
    owner = make_user()
    enterprise = make_enterprise(owner, **GARMENT)
    assert enterprise.centre_id is not None
    login(owner)
    assessment = answer_everything(client, app, enterprise.id, garment_answers())  # type: ignore[arg-type]
    resp = client.post(f"/enterprise/assessments/{assessment.public_id}/submit", data=DECLARED)
    assert resp.status_code == 302
    return Firm(owner, enterprise.id, enterprise.centre_id, assessment.public_id)


def stored_roadmap(app: Flask, public_id: str) -> Roadmap:
    with app.app_context():
        assessment = db.session.query(Assessment).filter_by(public_id=public_id).one()
        roadmap = roadmaps.assessment_roadmap(assessment)
    assert roadmap is not None
    return roadmap


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_result_page_shows_the_roadmap_by_horizon_instead_of_the_task_list(
    app: Flask, client: FlaskClient, firm: Firm
) -> None:
    roadmap = stored_roadmap(app, firm.public_id)
    page = client.get(f"/enterprise/assessments/{firm.public_id}/result").get_data(as_text=True)
    assert "转型任务清单" not in page
    assert 'id="roadmap"' in page and "下载改造需求清单（Excel）" in page
    # the steps in the roadmap's order, grouped under their horizon's heading
    shown = re.findall(r'data-capability="([a-z_]+)"', page)
    assert shown == [s.capability for s in roadmap.steps]
    positions = [page.index(h.label.zh) for h in Horizon if roadmap.by_horizon(h)]
    assert positions == sorted(positions) and len(positions) == 3
    plain = text_of(page)
    security = next(s for s in roadmap.steps if s.capability == "security")
    assert security.why[0].zh in plain  # why, in the firm's own terms
    for product in security.products:  # who: the 工控安全 provider behind each product
        assert product.provider.zh in plain
    assert "企业自付约" in plain and "回收期" in plain
    assert roadmap.flag_text is not None and roadmap.flag_text.zh in plain


def test_english_result_page_reads_the_roadmap_in_english(
    app: Flask, client: FlaskClient, firm: Firm
) -> None:
    roadmap = stored_roadmap(app, firm.public_id)
    client.post("/lang/en", data={"next": "/"})
    plain = text_of(client.get(f"/enterprise/assessments/{firm.public_id}/result").get_data(True))
    assert "Download the needs list (Excel)" in plain
    assert all(h.label.en in plain for h in Horizon)
    assert all(s.name.en in plain for s in roadmap.steps)
    roadmap_part = plain[plain.index("Digital transformation roadmap") :]
    roadmap_part = roadmap_part[: roadmap_part.index("Recommended enabling centres")]
    assert not re.search(r"[\u3400-\u9fff\uff08\uff09\uff1a\uff1b]", roadmap_part), roadmap_part[
        :400
    ]


@pytest.mark.usefixtures("instrument_v1")
def test_version_1_result_keeps_its_task_list_and_has_no_needs_list(
    app: Flask, client: FlaskClient, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        demo.load_catalogue()
        db.session.commit()
    owner = make_user()
    enterprise = make_enterprise(owner)
    login(owner)
    with app.app_context():
        profile = snapshots.profile_of(db.session.get(Enterprise, enterprise.id))
    v1 = load_instrument("dmi", "1")
    draft = answer_everything(client, app, enterprise.id, least_mature_responses(v1, profile))
    assert draft.instrument_version == "1"
    client.post(f"/enterprise/assessments/{draft.public_id}/submit", data=DECLARED)
    page = client.get(f"/enterprise/assessments/{draft.public_id}/result").get_data(as_text=True)
    assert "转型任务清单" in page and 'id="roadmap"' not in page
    assert client.get(f"/api/v1/assessments/{draft.public_id}").json["roadmap"] is None
    resp = client.get(f"/enterprise/assessments/{draft.public_id}/needs-list.xlsx")
    assert resp.status_code == 404


def test_staff_page_and_pdf_carry_the_same_roadmap(
    app: Flask, client: FlaskClient, firm: Firm, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    roadmap = stored_roadmap(app, firm.public_id)
    with app.app_context():
        assessment = db.session.query(Assessment).filter_by(public_id=firm.public_id).one()
        report = enterprise_reports.build_report(assessment, "zh")
        html = render_enterprise_html(report, {})
    assert report.roadmap is not None and report.tasks == ()
    assert report.roadmap.step_count == len(roadmap.steps)
    assert all(s.name.zh in html for s in roadmap.steps) and "转型任务清单" not in html
    login(make_user(Role.CENTRE_STAFF, centre_id=firm.centre_id))
    page = client.get(f"/centre/enterprises/{firm.enterprise_id}").get_data(as_text=True)
    assert re.findall(r'data-capability="([a-z_]+)"', page) == [s.capability for s in roadmap.steps]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_needs_list_rows_are_the_roadmap_steps(
    app: Flask, client: FlaskClient, firm: Firm, lang: str
) -> None:
    roadmap = stored_roadmap(app, firm.public_id)
    view = build_roadmap_view(roadmap, lang)
    client.post(f"/lang/{lang}", data={"next": "/"})
    resp = client.get(f"/enterprise/assessments/{firm.public_id}/needs-list.xlsx")
    assert resp.status_code == 200
    assert "needs-list-" in resp.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(resp.data))
    sheet = book.worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    headers = needs_list_headers(lang)
    assert rows[0] == headers
    column = {h: i for i, h in enumerate(headers)}
    steps = [(g, s) for g in view.horizons for s in g.steps]
    assert len(rows) - 1 == len(roadmap.steps) == len(steps)
    for row, (group, step), raw in zip(rows[1:], steps, roadmap.steps, strict=True):
        assert row[column[headers[0]]] == f"{group.code}.{step.number}"
        assert row[column[headers[1]]] == group.title == raw.horizon.label.for_locale(lang)
        assert row[column[headers[3]]] == raw.name.for_locale(lang)
        assert row[column[headers[2]]].split("\n") == [w.for_locale(lang) for w in raw.why]
        for product in raw.products:
            assert product.provider.for_locale(lang) in row[column[headers[5]]]
        assert row[column[headers[6]]] == (step.covered or step.budget)
        assert row[column[headers[12]]] == step.firm_pays
        assert row[column[headers[13]]] == raw.cost_share.rule.for_locale(lang)
        assert row[column[headers[14]]] == (step.kpi or "—")
    baselines = [r[column[headers[14]]] for r in rows[1:] if "→" in str(r[column[headers[14]]])]
    assert baselines  # the garment maker gave on-time delivery and first-pass yield baselines


def test_needs_list_only_for_the_owner_and_the_firms_centre_staff(
    app: Flask, firm: Firm, make_user, login, client: FlaskClient
) -> None:  # type: ignore[no-untyped-def]
    staff_url = f"/centre/enterprises/{firm.enterprise_id}/needs-list.xlsx"
    owner_url = f"/enterprise/assessments/{firm.public_id}/needs-list.xlsx"
    other_owner = make_user()
    login(other_owner)
    assert client.get(owner_url).status_code == 404
    with app.app_context():
        centres = db.session.query(EnablingCentre.id).all()
    other_centre = next(c for (c,) in centres if c != firm.centre_id)
    login(make_user(Role.CENTRE_STAFF, centre_id=other_centre))
    assert client.get(staff_url).status_code == 404
    assert client.get(owner_url).status_code == 403
    login(make_user(Role.CENTRE_STAFF, centre_id=firm.centre_id))
    resp = client.get(staff_url)
    assert resp.status_code == 200 and resp.data[:2] == b"PK"
    login(make_user(Role.GOVERNMENT))
    assert client.get(staff_url).status_code == 403


def test_api_returns_the_roadmap_for_v2_and_null_for_v1(
    app: Flask, client: FlaskClient, firm: Firm
) -> None:
    roadmap = stored_roadmap(app, firm.public_id)
    doc: dict[str, Any] = client.get(f"/api/v1/assessments/{firm.public_id}").json
    steps = doc["roadmap"]["steps"]
    assert [s["capability"] for s in steps] == [s.capability for s in roadmap.steps]
    first = steps[0]
    assert {"horizon", "why", "prerequisites", "kpi", "budget_wan", "price_model"} <= set(first)
    assert first["why"][0] == {"zh": roadmap.steps[0].why[0].zh, "en": roadmap.steps[0].why[0].en}
    assert all(p["provider"] for s in steps for p in s["products"])
    assert doc["roadmap"]["flagged"] is True and doc["roadmap"]["total_wan"] == roadmap.total_wan

    body = {
        "instrument_version": "2",
        "profile": GARMENT | {"production_type": "discrete"},
        "answers": {
            k: list(v) if isinstance(v, tuple) else v for k, v in garment_answers().items()
        },
    }
    scored = client.post("/api/v1/score", json=body).json
    assert [s["capability"] for s in scored["roadmap"]["steps"]] == [
        s.capability for s in roadmap.steps
    ]
    assert all(s["horizon"] in (1, 2, 3) for s in scored["roadmap"]["steps"])
