"""The questionnaire on v2 in the browser's terms: figure items, scenario items, the cluster
module of the enterprise's own cluster, autosave and resume, submit and the result; a v1 draft
started before v2 became current stays on v1."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from assessment.instrument import load_instrument, most_mature_responses
from assessment.types import Responses
from models import Assessment, Enterprise
from tests.factories import GARMENT_MAKER
from tests.integration.questionnaire_client import DECLARED, answer_everything, current_assessment
from webapp.extensions import db
from webapp.services import snapshots

V1 = load_instrument("dmi", "1")
V2 = load_instrument("dmi", "2")


@pytest.fixture
def garment_maker(make_user, make_enterprise, login) -> Enterprise:  # type: ignore[no-untyped-def]
    """A garment maker in 虎门 (the textiles cluster), its owner logged in (detached)."""
    user = make_user()
    enterprise = make_enterprise(user, **GARMENT_MAKER)
    login(user)
    return enterprise


def _start_at_the_figures_page(
    client: FlaskClient, app: Flask, enterprise: Enterprise
) -> tuple[Assessment, str]:
    """Start a draft for the logged-in firm; its draft and the URL of its RES (figures) page."""
    client.post("/enterprise/assessments/start")
    draft = current_assessment(app, enterprise.id)
    return draft, f"/enterprise/assessments/{draft.public_id}/pages/RES"


def _most_mature(app: Flask, enterprise_id: int) -> Responses:
    with app.app_context():
        profile = snapshots.profile_of(db.session.get(Enterprise, enterprise_id))
    return most_mature_responses(V2, profile)


def test_new_drafts_start_on_v2_and_show_only_the_own_cluster_module(
    client, app, garment_maker
) -> None:  # type: ignore[no-untyped-def]
    enterprise = garment_maker
    client.post("/enterprise/assessments/start")
    draft = current_assessment(app, enterprise.id)
    assert (draft.instrument_id, draft.instrument_version) == ("dmi", "2")
    page = client.get(f"/enterprise/assessments/{draft.public_id}/pages/CLU").get_data(as_text=True)
    textiles = [i.code for i in V2.items if i.cluster and i.cluster.value == "textiles"]
    food = [i.code for i in V2.items if i.cluster and i.cluster.value == "food"]
    assert textiles and all(f'id="q-{c}"' in page for c in textiles)
    assert not any(f'id="q-{c}"' in page for c in food)


def test_figures_render_as_numbers_save_and_come_back_on_resume(client, app, garment_maker) -> None:  # type: ignore[no-untyped-def]
    enterprise = garment_maker
    client.post("/enterprise/assessments/start")
    draft = current_assessment(app, enterprise.id)
    url = f"/enterprise/assessments/{draft.public_id}/pages/FND"
    page = client.get(url).get_data(as_text=True)
    assert 'name="item_FND-02"' in page and 'type="number"' in page
    assert "不知道请勾选“不清楚”" in page  # a figure may be answered "don't know"
    data = {"version": str(draft.version_id), "item_FND-02": "200", "item_FND-03": "80"}
    assert client.post(url, data=data).status_code == 302
    stored = current_assessment(app, enterprise.id).responses
    assert stored["FND-02"] == 200 and stored["FND-03"] == 80
    again = client.get(url).get_data(as_text=True)
    assert 'value="200"' in again and 'value="80"' in again


def test_a_v2_submission_is_scored_with_the_miit_level(client, app, garment_maker) -> None:  # type: ignore[no-untyped-def]
    enterprise = garment_maker
    assessment = answer_everything(client, app, enterprise.id, _most_mature(app, enterprise.id))
    resp = client.post(f"/enterprise/assessments/{assessment.public_id}/submit", data=DECLARED)
    assert resp.headers["Location"].endswith("/result")
    stored = current_assessment(app, enterprise.id)
    assert stored.status == "submitted" and stored.scoring_version == "2"
    assert stored.result is not None and stored.result["miit"]["level"] == "4"
    page = client.get(f"/enterprise/assessments/{assessment.public_id}/result")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-miit-level="4"' in text and "四级" in text
    assert text.count('<tr><th scope="row">★ ') == 10  # the constrained scenarios marked
    pdf = client.get(f"/enterprise/assessments/{assessment.public_id}/report.pdf")
    assert pdf.status_code == 200
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "工信部中小企业数字化水平等级" in pdf_text and "四级" in pdf_text
    client.post("/lang/en", data={"next": "/"})
    english = client.get(f"/enterprise/assessments/{assessment.public_id}/result").get_data(
        as_text=True
    )
    assert "MIIT SME digital level" in english and "Level 4" in english
    assert "The 16 business scenarios and their levels" in english and "工信部" not in english


def test_a_v1_draft_started_before_v2_stays_on_v1(client, app, enterprise) -> None:  # type: ignore[no-untyped-def]
    registry = app.extensions["instruments"]
    registry.packaged_current = ("dmi", "1")  # the deployment before v2
    client.post("/enterprise/assessments/start")
    registry.packaged_current = ("dmi", "2")  # v2 now current
    draft = current_assessment(app, enterprise.id)
    assert draft.instrument_version == "1"
    v1_page = V1.dimensions[0].code
    assert (
        client.get(f"/enterprise/assessments/{draft.public_id}/pages/{v1_page}").status_code == 200
    )
    with app.app_context():
        profile = snapshots.profile_of(db.session.get(Enterprise, enterprise.id))
    answers = most_mature_responses(V1, profile)
    answer_everything(client, app, enterprise.id, answers)  # start again resumes the v1 draft
    client.post(f"/enterprise/assessments/{draft.public_id}/submit", data=DECLARED)
    with app.app_context():
        rows = db.session.scalars(
            select(Assessment).where(Assessment.enterprise_id == enterprise.id)
        ).all()
    assert len(rows) == 1
    assert rows[0].instrument_version == "1" and rows[0].scoring_version == "1"
    assert rows[0].result is not None and "miit" not in rows[0].result


def test_figures_take_an_explicit_dont_know_that_counts_as_answered(
    client, app, garment_maker
) -> None:  # type: ignore[no-untyped-def]
    draft, url = _start_at_the_figures_page(client, app, garment_maker)
    page = client.get(url).get_data(as_text=True)
    figures = [i.code for i in V2.items_of("RES")]
    assert all(f'id="item_{c}-unknown"' in page for c in figures)
    assert ">0/8<" in page  # the page's step count: a blank figure is no answer
    data = {"version": str(draft.version_id), "item_RES-01": "unknown", "item_RES-02": "1.5"}
    data |= {f"item_{c}": ["", "unknown"] for c in figures[2:]}  # the empty number is sent too
    assert client.post(url, data=data).status_code == 302
    stored = current_assessment(app, garment_maker.id).responses
    assert stored["RES-01"] == "unknown" and stored["RES-02"] == 1.5
    assert all(stored[c] == "unknown" for c in figures[2:])
    again = client.get(url).get_data(as_text=True)
    assert ">8/8<" in again  # the page's step count: don't know is an answer
    box = again.split('id="q-RES-01"')[1].split("</fieldset>")[0]
    assert 'value="unknown" id="item_RES-01-unknown" checked' in box
    number = re.search(r'<input[^>]*type="number"[^>]*>', box)
    assert number is not None and not re.search(r'value="[^"]', number.group(0))


def test_a_number_and_dont_know_at_once_is_refused_and_the_rest_of_the_page_kept(
    client, app, garment_maker
) -> None:  # type: ignore[no-untyped-def]
    draft, url = _start_at_the_figures_page(client, app, garment_maker)
    data = {"version": str(draft.version_id), "item_RES-03": ["97", "unknown"], "item_RES-04": "98"}
    page = client.post(url, data=data).get_data(as_text=True)
    assert "请填写数字，或勾选“不清楚”，两者只选其一。" in page
    stored = current_assessment(app, garment_maker.id).responses
    assert "RES-03" not in stored and stored["RES-04"] == 98


def test_a_submission_with_dont_know_figures_scores_them_as_miit_does(
    client, app, garment_maker
) -> None:  # type: ignore[no-untyped-def]
    enterprise = garment_maker
    answers = dict(_most_mature(app, enterprise.id))
    answers.update({i.code: "unknown" for i in V2.items_of("RES")})
    assessment = answer_everything(client, app, enterprise.id, answers)
    client.post(f"/enterprise/assessments/{assessment.public_id}/submit", data=DECLARED)
    stored = current_assessment(app, enterprise.id)
    assert stored.status == "submitted" and stored.responses["RES-02"] == "unknown"
    assert stored.result is not None and stored.result["miit"]["parts"]["RES"] == 0.0
    assert stored.result["miit"]["parts"]["FND"] == 50.0


def test_a_firm_outside_the_five_clusters_never_sees_the_empty_module_page(
    client, app, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    # C29 rubber and plastics: none of the plan's five clusters, so no cluster module.
    enterprise = make_enterprise(user, **(GARMENT_MAKER | {"industry_code": "C29"}))
    login(user)
    home = client.get("/enterprise/").get_data(as_text=True)
    assert f"问卷共 {len(V2.dimensions) - 1} 个部分" in home
    client.post("/enterprise/assessments/start")
    draft = current_assessment(app, enterprise.id)
    base = f"/enterprise/assessments/{draft.public_id}"
    page = client.get(f"{base}/pages/FND").get_data(as_text=True)
    assert 'value="goto:CLU"' not in page and 'value="goto:PRF"' in page
    assert f"共 {len(V2.dimensions) - 1} 部分" in page
    assert client.get(f"{base}/pages/CLU").status_code == 404
    review = client.get(f"{base}/review").get_data(as_text=True)
    assert "/pages/CLU" not in review and "/pages/PRF" in review
    # The INT page leads on to the profile page, skipping the module page.
    data = {"version": str(draft.version_id), "action": "next"}
    assert client.post(f"{base}/pages/INT", data=data).headers["Location"].endswith("/pages/PRF")
    # A garment maker still has the page.
    garment_user = make_user()
    make_enterprise(garment_user, **GARMENT_MAKER)
    login(garment_user)
    assert f"问卷共 {len(V2.dimensions)} 个部分" in client.get("/enterprise/").get_data(
        as_text=True
    )


def test_an_untouched_page_of_optional_questions_is_not_shown_as_done(
    client: FlaskClient, app: Flask, garment_maker: Enterprise
) -> None:
    draft, figures = _start_at_the_figures_page(client, app, garment_maker)
    optional = [
        d.code
        for d in V2.dimensions
        if not any(i.required for i in V2.items if i.dimension == d.code)
    ]
    assert optional  # the instrument has such pages (their items are all optional)
    page = client.get(figures).get_data(as_text=True)
    steps = re.findall(r'<li class="([^"]*)">\s*<button[^>]*value="goto:(\w+)"', page)
    assert steps and not any("done" in cls for cls, code in steps if code in optional)
    review = client.get(f"/enterprise/assessments/{draft.public_id}/review").get_data(as_text=True)
    assert review.count("均为选答题，尚未作答") == len(optional)
