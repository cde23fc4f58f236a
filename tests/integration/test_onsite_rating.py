"""On-site rating (现场评定) by the firm's centre staff: autosave with the questionnaire's
rules, reasons for changed scenarios, the verified level beside the self-reported one on the
result page, the PDF and the API, and the audit row."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from assessment.instrument import most_mature_responses
from assessment.miit import CONSTRAINED_SCENARIOS
from models import Assessment, AuditLog, EnablingCentre, OnsiteRating, Role
from tests.integration.questionnaire_client import current_assessment, submit_with
from webapp.extensions import db
from webapp.services import demo


@pytest.fixture
def rated_firm(app: Flask, client: FlaskClient, make_user, make_enterprise, login, staff_of):  # type: ignore[no-untyped-def]
    """A firm that submitted the most mature answers, and its centre's staff member logged in:
    (owner, firm, assessment, staff)."""
    with app.app_context():
        demo.load_catalogue()
    owner = make_user()
    firm = make_enterprise(owner)
    login(owner)
    submit_with(client, app, firm.id, most_mature_responses)
    assessment = current_assessment(app, firm.id)
    assert assessment.status == "submitted"
    staff = staff_of(firm.centre_id)
    login(staff)
    return owner, firm, assessment, staff


def _version(app: Flask, assessment_id: int) -> int:
    with app.app_context():
        rating = db.session.scalar(
            select(OnsiteRating).where(OnsiteRating.assessment_id == assessment_id)
        )
        return rating.version_id if rating else 1


def test_opening_the_page_writes_nothing_and_autosave_keeps_the_version(app, client, rated_firm):  # type: ignore[no-untyped-def]
    _, firm, assessment, _ = rated_firm
    url = f"/centre/enterprises/{firm.id}/rating"
    page = client.get(url)
    assert page.status_code == 200 and 'id="page-form"' in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(OnsiteRating)) is None
    saved = client.post(
        url, data={"version": "1", "item_finance": "2"}, headers={"X-Autosave": "1"}
    )
    assert saved.status_code == 200 and saved.json == {"saved": True, "version": 1}
    again = client.post(
        url,
        data={"version": "1", "item_finance__reason": "只见到账表"},
        headers={"X-Autosave": "1"},
    )
    assert again.json == {"saved": True, "version": 2}
    stale = client.post(
        url, data={"version": "1", "item_finance": "1"}, headers={"X-Autosave": "1"}
    )
    assert stale.status_code == 409 and stale.json["saved"] is False
    bad = client.post(url, data={"version": "2", "item_finance": "9"}, headers={"X-Autosave": "1"})
    assert bad.status_code == 400 and "0 至 4" in bad.json["message"]
    with app.app_context():
        rating = db.session.scalar(select(OnsiteRating))
        assert rating.levels["finance"] == 2 and rating.reasons == {"finance": "只见到账表"}
        assert rating.finished is None


def test_finishing_without_reasons_is_refused_and_keeps_the_levels(app, client, rated_firm):  # type: ignore[no-untyped-def]
    _, firm, assessment, _ = rated_firm
    url = f"/centre/enterprises/{firm.id}/rating"
    resp = client.post(url, data={"version": "1", "item_finance": "1", "action": "finish"})
    assert resp.status_code == 400
    assert "请写明理由" in resp.get_data(as_text=True)
    with app.app_context():
        rating = db.session.scalar(select(OnsiteRating))
        assert rating.levels["finance"] == 1 and rating.finished is None


def test_a_finished_rating_shows_both_levels_everywhere(app, client, rated_firm, login):  # type: ignore[no-untyped-def]
    owner, firm, assessment, _ = rated_firm
    url = f"/centre/enterprises/{firm.id}/rating"
    lowered = sorted(CONSTRAINED_SCENARIOS)[:8]
    data = {"version": "1", "action": "finish"}
    data |= {f"item_{c}": "1" for c in lowered}
    data |= {f"item_{c}__reason": "现场未见系统运行" for c in lowered}
    done = client.post(url, data=data)
    assert done.status_code == 302
    with app.app_context():
        rating = db.session.scalar(select(OnsiteRating))
        self_level = rating.finished["self_level"]
        assert rating.finished["level"] < self_level
        assert {c["code"] for c in rating.finished["changed"]} == set(lowered)
        audit = db.session.scalar(select(AuditLog).where(AuditLog.entity == "onsite_rating"))
        assert audit is not None and audit.detail["level"] == rating.finished["level"]
    staff_page = client.get(f"/centre/enterprises/{firm.id}").get_data(as_text=True)
    assert 'data-basis="onsite_rated"' in staff_page

    login(owner)
    result = client.get(f"/enterprise/assessments/{assessment.public_id}/result")
    html = result.get_data(as_text=True)
    assert 'data-basis="onsite_rated"' in html and "现场评定核定等级" in html
    assert "现场未见系统运行" in html and "企业填报等级" in html
    api = client.get(f"/api/v1/assessments/{assessment.public_id}").json
    assert api["basis"] == "onsite_rated"
    assert api["verified"]["self_miit_level"] == api["miit_level"]
    assert api["verified"]["miit_level"] != api["miit_level"]
    assert client.get("/api/v1/assessments").json[0]["basis"] == "onsite_rated"
    pdf = client.get(f"/enterprise/assessments/{assessment.public_id}/report.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "现场评定" in text and "企业填报等级" in text


def test_staff_of_another_centre_and_a_draft_firm_cannot_be_rated(  # type: ignore[no-untyped-def]
    app, client, rated_firm, staff_of, login, make_user, make_enterprise
):
    _, firm, _, _ = rated_firm
    with app.app_context():
        other = db.session.scalar(
            select(EnablingCentre.id).where(EnablingCentre.id != firm.centre_id).limit(1)
        )
    login(staff_of(other))
    assert client.get(f"/centre/enterprises/{firm.id}/rating").status_code == 404
    assert client.post(f"/centre/enterprises/{firm.id}/rating", data={}).status_code == 404
    owner = make_user()
    draft_firm = make_enterprise(owner, uscc="91441900MA4UJX8B2L")
    login(staff_of(draft_firm.centre_id))
    resp = client.get(f"/centre/enterprises/{draft_firm.id}/rating")
    assert resp.status_code == 409
    with app.app_context():
        assert (
            db.session.scalar(select(Assessment).where(Assessment.enterprise_id == draft_firm.id))
            is None
        )


def test_the_admin_page_leads_with_agreement_and_shows_empty_states(  # type: ignore[no-untyped-def]
    app, client, rated_firm, login, make_user
):
    _, firm, _, _ = rated_firm
    login(make_user(Role.ADMIN))
    before = client.get("/admin/").get_data(as_text=True)
    assert "还没有完成的现场评定" in before and "暂无重测数据" in before
    assert before.index("问卷结果与中心人员核实的一致性") < before.index("Cronbach α，仅反映型题组")
    login(rated_firm[3])
    client.post(
        f"/centre/enterprises/{firm.id}/rating",
        data={"version": "1", "action": "finish", "item_finance": "1", "item_finance__reason": "x"},
    )
    login(make_user(Role.ADMIN))
    after = client.get("/admin/").get_data(as_text=True)
    assert "还没有完成的现场评定" not in after
    assert "1 家" in after  # one rated firm in the level agreement
