"""T0 → T1 (issue 15): the next round's report shows what moved since the previous round (the
改造前/改造后 comparison), and the owner's home lists every round's report."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessment.instrument import least_mature_responses, load_instrument, most_mature_responses
from models import Assessment, Enterprise
from reports.pdf import render_enterprise_html
from tests.integration.questionnaire_client import DECLARED, answer_everything, form_data
from webapp.extensions import db
from webapp.services import enterprise_reports, snapshots

V2 = load_instrument("dmi", "2")


def _assessment(app: Flask, enterprise_id: int, round_code: str) -> Assessment:
    with app.app_context():
        found = db.session.scalar(
            select(Assessment).where(
                Assessment.enterprise_id == enterprise_id,
                Assessment.round_code == round_code,
                Assessment.status == "submitted",
            )
        )
        assert found is not None
        db.session.expunge(found)
        return found


def test_the_second_rounds_report_shows_the_moves_since_the_first(
    client: FlaskClient, app: Flask, enterprise: Enterprise
) -> None:
    with app.app_context():
        profile = snapshots.profile_of(db.session.get(Enterprise, enterprise.id))
    app.config["CURRENT_ROUND"] = "2025"
    first = answer_everything(client, app, enterprise.id, least_mature_responses(V2, profile))
    client.post(f"/enterprise/assessments/{first.public_id}/submit", data=DECLARED)
    before = _assessment(app, enterprise.id, "2025")

    app.config["CURRENT_ROUND"] = "2026"
    client.post("/enterprise/assessments/start")  # pre-filled from 2025, pages to confirm
    with app.app_context():
        draft = db.session.scalar(
            select(Assessment).where(
                Assessment.enterprise_id == enterprise.id, Assessment.round_code == "2026"
            )
        )
        assert draft is not None
        draft_id = draft.public_id
    better = most_mature_responses(V2, profile)
    for dim in V2.dimensions:
        with app.app_context():
            version = db.session.scalar(
                select(Assessment.version_id).where(Assessment.public_id == draft_id)
            )
        data = form_data(V2.items_of(dim.code), better, version) | {"action": "next"}
        client.post(f"/enterprise/assessments/{draft_id}/pages/{dim.code}", data=data)
    client.post(f"/enterprise/assessments/{draft_id}/submit", data=DECLARED)
    after = _assessment(app, enterprise.id, "2026")
    assert before.stage != after.stage

    page = client.get(f"/enterprise/assessments/{draft_id}/result").get_data(as_text=True)
    assert "与 2025 批次相比" in page and "2025 批次（改造前）" in page
    section = page.split('id="change"')[1].split("</section>")[0]
    assert f"{before.stage} " in section and f"{after.stage} " in section
    assert f"{after.maturity_index - before.maturity_index:+.1f}" in section
    assert "等级变化的经营场景" in section
    first_page = client.get(f"/enterprise/assessments/{before.public_id}/result")
    assert 'id="change"' not in first_page.get_data(as_text=True)  # a first round: no change

    with app.app_context():  # the PDF shows the same comparison, in the report's language
        record = db.session.scalar(select(Assessment).where(Assessment.public_id == draft_id))
        html = render_enterprise_html(enterprise_reports.build_report(record, "en"), {})
    assert "Compared with round 2025" in html and "Round 2025 (before)" in html

    home = client.get("/enterprise/").get_data(as_text=True)
    assert f"/enterprise/assessments/{before.public_id}/result" in home
    assert "历次诊断报告" in home
