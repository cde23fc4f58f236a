"""CSRF on every form, expired sessions during autosave, and the language switch."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from assessment.instrument import load_instrument
from tests.factories import PASSWORD
from tests.integration.questionnaire_client import current_assessment

#: About questionnaire v1 behaviour (v1 item codes and gates): the app starts drafts on v1.
pytestmark = pytest.mark.usefixtures("instrument_v1")


def test_forms_refuse_posts_without_csrf_token(app: Flask, make_user) -> None:  # type: ignore[no-untyped-def]
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    user = make_user()
    resp = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert resp.status_code == 400 and "页面已过期" in resp.get_data(as_text=True)
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    resp = client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert resp.status_code == 302


def test_autosave_after_logout_keeps_answers_out_and_sends_to_login(
    client, app, enterprise, draft
) -> None:  # type: ignore[no-untyped-def]
    assessment = draft
    client.post("/auth/logout")  # the session is gone, as after expiry
    dim = load_instrument("dmi", "1").dimensions[0]
    resp = client.post(
        f"/enterprise/assessments/{assessment.public_id}/pages/{dim.code}",
        data={"version": str(assessment.version_id), "item_ORG-01": "L3"},
        headers={"X-Autosave": "1"},
    )
    # A redirect to the login page, which the page script recognises and reports; the typed
    # answer stays in the browser (and in its local storage) rather than being lost.
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]
    assert current_assessment(app, enterprise.id).responses == {}


def test_language_switch_to_english_and_back(client) -> None:  # type: ignore[no-untyped-def]
    assert "制造业数字化转型诊断" in client.get("/").get_data(as_text=True)
    client.post("/lang/en", data={"next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert "Manufacturing Digital Transformation Diagnosis" in page and 'lang="en"' in page
    client.post("/lang/zh", data={"next": "//evil.example.com"})  # no open redirect
    assert "制造业数字化转型诊断" in client.get("/").get_data(as_text=True)


@pytest.mark.usefixtures("enterprise")
def test_english_questionnaire_uses_instrument_english(client) -> None:  # type: ignore[no-untyped-def]
    client.post("/lang/en", data={"next": "/"})
    resp = client.post("/enterprise/assessments/start", follow_redirects=True)
    text = resp.get_data(as_text=True)
    assert load_instrument("dmi", "1").item("ORG-01").text_en in text
    assert "Save and continue" in text
