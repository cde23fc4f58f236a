"""The owner's home page states the questionnaire's length from the instrument, and the minutes
still needed by the same rule the questionnaire pages use (the rule itself: ``minutes_left`` in
tests/unit/test_questionnaire_length.py)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.instrument import load_instrument
from assessment.types import ItemKind
from tests.integration.questionnaire_client import current_assessment

#: About questionnaire v1 behaviour (v1 item codes and gates): the app starts drafts on v1.
pytestmark = pytest.mark.usefixtures("instrument_v1")


def test_home_page_states_parts_and_minutes_of_the_instrument(
    app: Flask, client: FlaskClient, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    instrument = load_instrument("dmi", "1")
    user = make_user()
    enterprise = make_enterprise(user)
    login(user)
    page = client.get("/enterprise/").get_data(as_text=True)
    assert f"问卷共 {len(instrument.dimensions)} 个部分，约 {instrument.minutes} 分钟" in page

    client.post("/enterprise/assessments/start")
    assessment = current_assessment(app, enterprise.id)
    first = instrument.dimensions[0]
    client.post(
        f"/enterprise/assessments/{assessment.public_id}/pages/{first.code}",
        data={"version": str(assessment.version_id)}
        | {
            f"item_{item.code}": item.options[-1].code
            for item in instrument.items_of(first.code)
            if item.kind == ItemKind.SINGLE
        },
        headers={"X-Autosave": "1"},
    )
    home = client.get("/enterprise/").get_data(as_text=True)
    questionnaire = client.get(
        f"/enterprise/assessments/{assessment.public_id}/pages/{first.code}"
    ).get_data(as_text=True)
    left_home = re.search(r"还需约 (\d+) 分钟（全卷约 (\d+) 分钟）", home)
    left_page = re.search(r"全卷约 (\d+) 分钟，还需约 (\d+) 分钟", questionnaire)
    assert left_home and left_page
    assert int(left_home.group(1)) == int(left_page.group(2)) < instrument.minutes
