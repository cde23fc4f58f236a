"""The SME owner's path through the web app: profile, questionnaire, submit, result, PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from assessment.instrument import least_mature_responses, load_instrument, most_mature_responses
from assessment.types import ItemKind, Stage
from models import Assessment, DimensionScore, Enterprise, Role
from tests.factories import registration_form
from tests.integration.questionnaire_client import (
    DECLARED,
    answer_everything,
    current_assessment,
    form_data,
)
from webapp.extensions import db
from webapp.services import snapshots

#: About questionnaire v1 behaviour (v1 item codes and gates): the app starts drafts on v1.
pytestmark = pytest.mark.usefixtures("instrument_v1")


def _profile(app, enterprise_id):
    with app.app_context():
        return snapshots.profile_of(db.session.get(Enterprise, enterprise_id))


def test_register_leads_to_profile_and_profile_derives_size(client, app):
    resp = client.post(
        "/auth/register",
        data=registration_form("Owner@Example.com", "王老板", "long-enough-pass"),
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/enterprise/profile")
    resp = client.post(
        "/enterprise/profile",
        data={
            "name": "东莞市厚街某家具有限公司",
            "uscc": " 91350100m000100y43 ",
            "industry_code": "C21",
            "production_type": "discrete",
            "town": "houjie",
            "employees": "300",
            "revenue_wan": "2000",
        },
    )
    assert resp.status_code == 302
    with app.app_context():
        e = db.session.scalar(select(Enterprise))
        assert e.uscc == "91350100M000100Y43"
        assert e.size_class == "medium"  # 300 people and 2000 万元: both medium thresholds met
        assert e.above_scale is True
        assert e.cluster == "furniture"


def test_profile_rejects_wrong_check_character_and_keeps_input(client, make_user, login):
    login(make_user())
    resp = client.post(
        "/enterprise/profile",
        data={
            "name": "测试企业",
            "uscc": "91350100M000100Y44",
            "industry_code": "C39",
            "production_type": "discrete",
            "town": "changan",
            "employees": "50",
            "revenue_wan": "800",
        },
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "校验" in page  # the check-character message, in Chinese
    assert 'value="测试企业"' in page  # nothing typed is lost


def test_duplicate_uscc_is_refused(client, make_user, make_enterprise, login):
    first = make_enterprise(make_user())
    login(make_user())
    resp = client.post(
        "/enterprise/profile",
        data={
            "name": "另一家企业",
            "uscc": first.uscc,
            "industry_code": "C39",
            "production_type": "discrete",
            "town": "changan",
            "employees": "50",
            "revenue_wan": "800",
        },
    )
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "已登记在系统中" in page and 'value="另一家企业"' in page  # nothing typed is lost
    assert "申请认领" in page


def test_answers_are_kept_between_visits_and_bad_number_loses_nothing(client, app, enterprise):
    client.post("/enterprise/assessments/start")
    assessment = current_assessment(app, enterprise.id)
    instrument = load_instrument("dmi", "1")
    profile = _profile(app, enterprise.id)
    answers = most_mature_responses(instrument, profile)
    dim = next(
        d
        for d in instrument.dimensions
        if any(
            i.kind == ItemKind.NUMBER and i.maximum is not None for i in instrument.items_of(d.code)
        )
    )
    items = instrument.items_of(dim.code)
    data = form_data(items, answers, assessment.version_id)
    number = next(i for i in items if i.kind == ItemKind.NUMBER and i.maximum is not None)
    data[f"item_{number.code}"] = str(number.maximum + 1)
    url = f"/enterprise/assessments/{assessment.public_id}/pages/{dim.code}"
    resp = client.post(url, data=data)
    assert resp.status_code == 200  # re-rendered with the error
    stored = current_assessment(app, enterprise.id).responses
    assert number.code not in stored
    others = [i.code for i in items if i.code in answers and i.code != number.code]
    assert others and all(code in stored for code in others)


def test_stale_page_cannot_overwrite_newer_answers(client, app, enterprise):
    client.post("/enterprise/assessments/start")
    assessment = current_assessment(app, enterprise.id)
    instrument = load_instrument("dmi", "1")
    profile = _profile(app, enterprise.id)
    first_dim = instrument.dimensions[0]
    items = instrument.items_of(first_dim.code)
    url = f"/enterprise/assessments/{assessment.public_id}/pages/{first_dim.code}"
    old_version = assessment.version_id
    high = most_mature_responses(instrument, profile)
    low = least_mature_responses(instrument, profile)
    assert client.post(url, data=form_data(items, high, old_version)).status_code == 302
    resp = client.post(url, data=form_data(items, low, old_version))  # the other, older tab
    assert resp.status_code == 409
    stored = current_assessment(app, enterprise.id).responses
    code = next(i.code for i in items if i.code in high and high[i.code] != low.get(i.code))
    assert stored[code] == (list(high[code]) if isinstance(high[code], tuple) else high[code])


def test_autosave_answers_json_and_reports_conflict(client, app, enterprise):
    client.post("/enterprise/assessments/start")
    assessment = current_assessment(app, enterprise.id)
    instrument = load_instrument("dmi", "1")
    dim = instrument.dimensions[0]
    answers = most_mature_responses(instrument, _profile(app, enterprise.id))
    url = f"/enterprise/assessments/{assessment.public_id}/pages/{dim.code}"
    data = form_data(instrument.items_of(dim.code), answers, assessment.version_id)
    resp = client.post(url, data=data, headers={"X-Autosave": "1"})
    assert resp.status_code == 200
    assert resp.json["saved"] is True and resp.json["version"] == assessment.version_id + 1
    resp = client.post(url, data=data, headers={"X-Autosave": "1"})  # same, stale version
    assert resp.status_code == 409 and resp.json["conflict"] is True


def test_submit_with_missing_answers_lists_them_and_changes_nothing(client, app, enterprise):
    client.post("/enterprise/assessments/start")
    assessment = current_assessment(app, enterprise.id)
    resp = client.post(f"/enterprise/assessments/{assessment.public_id}/submit", data=DECLARED)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/review")
    page = client.get(f"/enterprise/assessments/{assessment.public_id}/review")
    first_required = next(i for i in load_instrument("dmi", "1").items if i.required)
    assert first_required.code in page.get_data(as_text=True)
    assert current_assessment(app, enterprise.id).status == "draft"


@pytest.mark.parametrize(
    ("builder", "stage"),
    [(most_mature_responses, Stage.S3), (least_mature_responses, Stage.S0)],
)
def test_full_journey_gives_stage_result_page_and_pdf(client, app, builder, stage, enterprise):
    answers = builder(load_instrument("dmi", "1"), _profile(app, enterprise.id))
    assessment = answer_everything(client, app, enterprise.id, answers)
    resp = client.post(f"/enterprise/assessments/{assessment.public_id}/submit", data=DECLARED)
    assert resp.headers["Location"].endswith("/result")
    stored = current_assessment(app, enterprise.id)
    assert stored.status == "submitted" and stored.stage == stage.code
    # The plan-target indicators are decided at submit: all met at the top, none at the bottom.
    flags = (stored.plan_integrated, stored.plan_supply_chain, stored.plan_cloud)
    assert flags == ((True,) * 3 if stage == Stage.S3 else (False,) * 3)

    page = client.get(f"/enterprise/assessments/{assessment.public_id}/result")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert stage.label_zh in text and 'id="radar"' in text

    pdf = client.get(f"/enterprise/assessments/{assessment.public_id}/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert stage.label_zh in pdf_text


def test_second_submit_is_harmless(client, app, enterprise):
    answers = most_mature_responses(load_instrument("dmi", "1"), _profile(app, enterprise.id))
    assessment = answer_everything(client, app, enterprise.id, answers)
    url = f"/enterprise/assessments/{assessment.public_id}/submit"
    client.post(url, data=DECLARED)
    first = current_assessment(app, enterprise.id)
    resp = client.post(url, data=DECLARED)
    assert resp.headers["Location"].endswith("/result")
    again = current_assessment(app, enterprise.id)
    assert again.submitted_at == first.submitted_at and again.version_id == first.version_id
    with app.app_context():
        rows = db.session.scalar(
            select(func.count()).where(DimensionScore.assessment_id == first.id)
        )
    assert rows == len(load_instrument("dmi", "1").dimensions)
    # A frozen assessment refuses further answers.
    dim = load_instrument("dmi", "1").dimensions[0]
    page_url = f"/enterprise/assessments/{assessment.public_id}/pages/{dim.code}"
    assert client.post(page_url, data={"version": str(again.version_id)}).status_code == 302
    assert current_assessment(app, enterprise.id).responses == first.responses


def test_other_enterprise_cannot_open_assessment(client, app, make_user, make_enterprise, login):
    owner = make_user()
    enterprise = make_enterprise(owner)
    login(owner)
    client.post("/enterprise/assessments/start")
    assessment = current_assessment(app, enterprise.id)
    client.post("/auth/logout")
    intruder = make_user()
    make_enterprise(intruder)
    login(intruder)
    base = f"/enterprise/assessments/{assessment.public_id}"
    for path in ("/review", "/result", "/report.pdf", "/pages/ORG"):
        assert client.get(base + path).status_code == 404
    assert client.post(base + "/submit", data=DECLARED).status_code == 404


def test_staff_cannot_use_enterprise_pages(client, make_user, login):
    login(make_user(Role.CENTRE_STAFF))
    assert client.get("/enterprise/").status_code == 403


def test_anonymous_user_is_sent_to_login(client):
    resp = client.get("/enterprise/")
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]


def test_login_wrong_password_does_not_say_which_part_was_wrong(client, make_user):
    user = make_user()
    wrong = client.post("/auth/login", data={"email": user.email, "password": "nope-nope-nope"})
    unknown = client.post("/auth/login", data={"email": "nobody@example.com", "password": "x" * 12})
    assert "电子邮箱或密码不正确" in wrong.get_data(as_text=True)
    assert "电子邮箱或密码不正确" in unknown.get_data(as_text=True)


def test_assessment_records_instrument_and_scoring_version(client, app, enterprise):
    answers = most_mature_responses(load_instrument("dmi", "1"), _profile(app, enterprise.id))
    assessment = answer_everything(client, app, enterprise.id, answers)
    client.post(f"/enterprise/assessments/{assessment.public_id}/submit", data=DECLARED)
    stored: Assessment = current_assessment(app, enterprise.id)
    assert stored.instrument_version == load_instrument("dmi", "1").version
    assert stored.scoring_version and stored.result["scoring_version"] == stored.scoring_version
