"""A v2 draft of a firm with a v1 assessment starts with the answers the instrument file marks
as unchanged; each page holding them must be confirmed before the assessment can be submitted."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessment.instrument import INSTRUMENT_DIR, load_instrument, most_mature_responses
from assessment.types import Responses
from models import Assessment, Enterprise, Role, User
from tests.factories import GARMENT_MAKER
from tests.integration.questionnaire_client import DECLARED, answer_everything, form_data
from webapp.extensions import db
from webapp.services import snapshots

V1 = load_instrument("dmi", "1")
V2 = load_instrument("dmi", "2")


def _profile(app: Flask, enterprise_id: int) -> Any:
    with app.app_context():
        return snapshots.profile_of(db.session.get(Enterprise, enterprise_id))


def _round_assessment(app: Flask, enterprise_id: int, round_code: str) -> Assessment:
    with app.app_context():
        found = db.session.scalar(
            select(Assessment).where(
                Assessment.enterprise_id == enterprise_id, Assessment.round_code == round_code
            )
        )
        assert found is not None
        db.session.expunge(found)
        return found


def _submit_v1_in_2025(client: FlaskClient, app: Flask, enterprise_id: int) -> Assessment:
    """Answer and submit questionnaire v1 in round 2025, as the firm did before v2 existed."""
    registry = app.extensions["instruments"]
    registry.packaged_current, app.config["CURRENT_ROUND"] = ("dmi", "1"), "2025"
    v1 = answer_everything(
        client, app, enterprise_id, most_mature_responses(V1, _profile(app, enterprise_id))
    )
    client.post(f"/enterprise/assessments/{v1.public_id}/submit", data=DECLARED)
    registry.packaged_current, app.config["CURRENT_ROUND"] = ("dmi", "2"), "2026"
    return _round_assessment(app, enterprise_id, "2025")


def _autosave_everything(
    client: FlaskClient, app: Flask, enterprise_id: int, responses: Responses
) -> Assessment:
    """Post every page as the page script's autosave does: saves, never confirms."""
    draft = _round_assessment(app, enterprise_id, "2026")
    for dim in V2.dimensions:
        version = _round_assessment(app, enterprise_id, "2026").version_id
        data = form_data(V2.items_of(dim.code), responses, version)
        url = f"/enterprise/assessments/{draft.public_id}/pages/{dim.code}"
        resp = client.post(url, data=data, headers={"X-Autosave": "1"})
        assert resp.status_code == 200 and resp.get_json()["saved"], resp.get_data(as_text=True)
    return _round_assessment(app, enterprise_id, "2026")


def _owner(
    make_user: Callable[..., User], make_enterprise: Callable[..., Enterprise], login: Any
) -> Enterprise:
    user = make_user()
    enterprise = make_enterprise(user, **GARMENT_MAKER)
    login(user)
    return enterprise


@pytest.fixture
def carried(client, app, make_user, make_enterprise, login) -> tuple[Enterprise, Assessment]:  # type: ignore[no-untyped-def]
    """A garment maker's owner, logged in, who submitted v1 in round 2025 and has just started
    the v2 draft of round 2026: (enterprise, draft)."""
    enterprise = _owner(make_user, make_enterprise, login)
    _submit_v1_in_2025(client, app, enterprise.id)
    client.post("/enterprise/assessments/start")
    return enterprise, _round_assessment(app, enterprise.id, "2026")


def test_a_v2_draft_starts_with_the_v1_answers_and_submits_after_every_page_is_confirmed(
    client, app, carried
) -> None:  # type: ignore[no-untyped-def]
    enterprise, draft = carried
    assert draft.instrument_version == "2"
    # most mature v1: ORG-01 L4, ORG-04 30 %, INT-01 L4; INN-03 ticks models, not "none".
    assert draft.responses == {"MGM-03": "L4", "MGM-05": 30.0, "INT-01": "L4"}
    assert draft.carried_pages == {"MGM": ["MGM-03", "MGM-05"], "INT": ["INT-01"]}

    mgm = client.get(f"/enterprise/assessments/{draft.public_id}/pages/MGM").get_data(as_text=True)
    assert "以下 2 个答案来自您 2025 批次的评估（第 1 版问卷），请核对后保存确认" in mgm
    assert re.search(
        r'<input checked[^>]*value="L4"', mgm.split('id="q-MGM-03"')[1].split("</fieldset>")[0]
    )
    assert mgm.count('class="tag carried"') == 2
    fnd = client.get(f"/enterprise/assessments/{draft.public_id}/pages/FND").get_data(as_text=True)
    assert "答案来自您" not in fnd

    # The owner answers the rest (autosave keeps the carried answers and confirms nothing).
    answers = dict(most_mature_responses(V2, _profile(app, enterprise.id)))
    answers.update({"MGM-03": "L4", "MGM-05": 30.0, "INT-01": "L4"})
    _autosave_everything(client, app, enterprise.id, answers)
    refused = client.post(f"/enterprise/assessments/{draft.public_id}/submit", data=DECLARED)
    assert refused.headers["Location"].endswith("/review")
    stored = _round_assessment(app, enterprise.id, "2026")
    assert stored.status == "draft" and stored.responses["MGM-05"] == 30.0
    review = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "还有 2 个部分的带入答案未确认，请逐页核对并保存后再提交。" in review  # the flash
    assert (
        f"/enterprise/assessments/{draft.public_id}/pages/MGM"
        in review.split('id="unconfirmed"')[1]
    )
    assert "disabled" in review.split('class="submit-form"')[1]

    # Moving on through the side navigation is no confirmation; 保存并继续 is.
    mgm_url = f"/enterprise/assessments/{draft.public_id}/pages/MGM"
    data = form_data(V2.items_of("MGM"), answers, stored.version_id)
    client.post(mgm_url, data=data | {"action": "goto:INT"})
    assert _round_assessment(app, enterprise.id, "2026").carried_pages == {
        "MGM": ["MGM-03", "MGM-05"],
        "INT": ["INT-01"],
    }
    data["version"] = str(_round_assessment(app, enterprise.id, "2026").version_id)
    assert client.post(mgm_url, data=data | {"action": "next"}).status_code == 302
    assert _round_assessment(app, enterprise.id, "2026").carried_pages == {"INT": ["INT-01"]}
    still = client.post(f"/enterprise/assessments/{draft.public_id}/submit", data=DECLARED)
    assert still.headers["Location"].endswith("/review")

    int_url = f"/enterprise/assessments/{draft.public_id}/pages/INT"
    version = _round_assessment(app, enterprise.id, "2026").version_id
    data = form_data(V2.items_of("INT"), answers, version) | {"action": "save"}
    assert client.post(int_url, data=data).status_code == 302
    done = client.post(f"/enterprise/assessments/{draft.public_id}/submit", data=DECLARED)
    assert done.headers["Location"].endswith("/result")
    submitted = _round_assessment(app, enterprise.id, "2026")
    assert submitted.status == "submitted" and submitted.carried_pages is None
    assert (submitted.instrument_version, submitted.scoring_version) == ("2", "2")
    assert submitted.result is not None and submitted.result["miit"]["level"] == "4"


def test_a_page_with_an_answer_to_correct_stays_unconfirmed(client, app, carried) -> None:  # type: ignore[no-untyped-def]
    enterprise, draft = carried
    url = f"/enterprise/assessments/{draft.public_id}/pages/MGM"
    data = {"version": str(draft.version_id), "item_MGM-03": "L4", "item_MGM-05": "abc"}
    page = client.post(url, data=data | {"action": "save"}).get_data(as_text=True)
    assert "请填写数字" in page
    stored = _round_assessment(app, enterprise.id, "2026")
    assert "MGM" in (stored.carried_pages or {}) and stored.responses["MGM-03"] == "L4"


def test_a_firm_without_a_v1_assessment_starts_blank_without_a_notice(
    client, app, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    enterprise = _owner(make_user, make_enterprise, login)
    client.post("/enterprise/assessments/start")
    draft = _round_assessment(app, enterprise.id, "2026")
    assert draft.responses == {} and draft.carried_pages is None
    page = client.get(f"/enterprise/assessments/{draft.public_id}/pages/MGM").get_data(as_text=True)
    assert "答案来自您" not in page and "上次带入" not in page


def test_the_english_notice(client, carried) -> None:  # type: ignore[no-untyped-def]
    _enterprise, draft = carried
    client.post("/lang/en", data={"next": "/"})
    text = client.get(f"/enterprise/assessments/{draft.public_id}/pages/INT").get_data(as_text=True)
    assert (
        "Answers below carried over from your assessment in round 2025 (questionnaire "
        "version 1): 1. Check them and save to confirm" in text
    )
    assert "Carried over" in text and "答案来自您" not in text


def test_publishing_a_version_whose_carry_marks_do_not_fit_is_refused(
    client, app, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.ADMIN))
    text = (INSTRUMENT_DIR / "dmi-v2.toml").read_text(encoding="utf-8")
    text = text.replace('version = "2"', 'version = "3"', 1)
    text = text.replace('carried_from = "ORG-04"', 'carried_from = "ORG-99"', 1)
    response = client.post(
        "/admin/instruments",
        data={"file": (io.BytesIO(text.encode("utf-8")), "dmi-v3.toml")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "MGM-05: carried_from ORG-99 is no item of version 1" in response.get_data(as_text=True)
    assert app.extensions["instruments"].current().version == "2"


def _submit_v2_in_2025(client: FlaskClient, app: Flask, enterprise_id: int) -> Assessment:
    """Answer and submit questionnaire v2 in round 2025 (the most mature answers)."""
    app.config["CURRENT_ROUND"] = "2025"
    answers = most_mature_responses(V2, _profile(app, enterprise_id))
    first = answer_everything(client, app, enterprise_id, answers)
    client.post(f"/enterprise/assessments/{first.public_id}/submit", data=DECLARED)
    app.config["CURRENT_ROUND"] = "2026"
    return _round_assessment(app, enterprise_id, "2025")


def test_the_next_round_starts_with_every_answer_of_the_previous_round_to_confirm(
    client, app, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    """Issue 15, T0 -> T1: a firm that submitted version 2 in 2025 starts 2026 with all its
    answers, every page to confirm, and the notice names the round."""
    enterprise = _owner(make_user, make_enterprise, login)
    first = _submit_v2_in_2025(client, app, enterprise.id)
    assert first.status == "submitted"

    client.post("/enterprise/assessments/start")
    draft = _round_assessment(app, enterprise.id, "2026")
    assert draft.responses == first.responses
    answered_pages = {
        dim.code
        for dim in V2.dimensions
        if any(item.code in first.responses for item in V2.items_of(dim.code))
    }
    assert set(draft.carried_pages or {}) == answered_pages
    page = client.get(f"/enterprise/assessments/{draft.public_id}/pages/FND").get_data(as_text=True)
    assert "来自您 2025 批次的评估（第 2 版问卷）" in page
    client.post(f"/enterprise/assessments/{draft.public_id}/submit", data=DECLARED)
    assert _round_assessment(app, enterprise.id, "2026").status == "draft"  # not confirmed yet


def test_another_firms_previous_round_never_prefills_a_draft(
    client, app, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    other = _owner(make_user, make_enterprise, login)
    _submit_v2_in_2025(client, app, other.id)
    client.post("/auth/logout")
    mine = _owner(make_user, make_enterprise, login)
    client.post("/enterprise/assessments/start")
    draft = _round_assessment(app, mine.id, "2026")
    assert draft.responses == {} and draft.carried_pages is None
