"""Drive the questionnaire through HTTP the way a browser form would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from assessment.instrument import current_instrument, load_instrument, most_mature_responses
from assessment.types import EnterpriseProfile, Instrument, ItemKind, Responses
from models import Assessment, Enterprise
from webapp.extensions import db
from webapp.services import snapshots

#: Picks the answers for an instrument and a profile (``most_mature_responses`` and the like).
AnswerPicker = Callable[[Instrument, EnterpriseProfile], Responses]

#: The declaration of truth (真实性承诺) the review page asks for: a submit without it is refused.
DECLARED = {"declare": "on"}


def as_json(responses: Responses) -> dict[str, Any]:
    """``responses`` as the API's JSON body takes them: a multiple choice as a list."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in responses.items()}


def form_data(items: Any, responses: Responses, version: int | None) -> dict[str, Any]:
    """The POST body of one questionnaire page holding ``responses`` for ``items``."""
    data: dict[str, Any] = {}
    if version is not None:
        data["version"] = str(version)
    for item in items:
        if item.code not in responses:
            continue
        value = responses[item.code]
        if item.kind == ItemKind.MULTI:
            data[f"item_{item.code}"] = list(value)  # type: ignore[arg-type]
        elif item.kind in (ItemKind.NUMBER, ItemKind.FIGURE) and not isinstance(value, str):
            data[f"item_{item.code}"] = f"{value:g}"
        else:
            data[f"item_{item.code}"] = value
    return data


def current_assessment(app: Flask, enterprise_id: int) -> Assessment:
    with app.app_context():
        assessment = db.session.scalar(
            select(Assessment).where(Assessment.enterprise_id == enterprise_id)
        )
        assert assessment is not None
        db.session.refresh(assessment)
        db.session.expunge(assessment)
        return assessment


def answer_everything(
    client: FlaskClient, app: Flask, enterprise_id: int, responses: Responses
) -> Assessment:
    """Start the assessment and post every page with the answers it holds."""
    resp = client.post("/enterprise/assessments/start")
    assert resp.status_code == 302
    assessment = current_assessment(app, enterprise_id)
    instrument = load_instrument(assessment.instrument_id, assessment.instrument_version)
    for dim in instrument.dimensions:
        version = current_assessment(app, enterprise_id).version_id
        url = f"/enterprise/assessments/{assessment.public_id}/pages/{dim.code}"
        resp = client.post(url, data=form_data(instrument.items_of(dim.code), responses, version))
        assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    return current_assessment(app, enterprise_id)


def answer_with(
    client: FlaskClient, app: Flask, enterprise_id: int, pick: AnswerPicker
) -> Assessment:
    """``answer_everything`` with ``pick(current instrument, the enterprise's stored profile)``."""
    with app.app_context():
        profile = snapshots.profile_of(db.session.get(Enterprise, enterprise_id))
    return answer_everything(client, app, enterprise_id, pick(current_instrument(), profile))


def most_mature_on(version: str) -> AnswerPicker:
    """A picker: the most mature answers to questionnaire ``dmi`` version ``version`` (whatever
    the current instrument is) for the profile."""
    return lambda _current, profile: most_mature_responses(load_instrument("dmi", version), profile)


def submit_with(
    client: FlaskClient, app: Flask, enterprise_id: int, pick: AnswerPicker
) -> Assessment:
    """``answer_with`` and then submit; returns the assessment as it was before submitting."""
    assessment = answer_with(client, app, enterprise_id, pick)
    client.post(f"/enterprise/assessments/{assessment.public_id}/submit", data=DECLARED)
    return assessment


def autosave_first_answer(client: FlaskClient, assessment: Assessment) -> TestResponse:
    """Autosave (``X-Autosave``) the answer L3 to ORG-01 on the assessment's first page, as the
    page script does, at the assessment's current version."""
    dim = current_instrument().dimensions[0]
    return client.post(
        f"/enterprise/assessments/{assessment.public_id}/pages/{dim.code}",
        data={"version": str(assessment.version_id), "item_ORG-01": "L3"},
        headers={"X-Autosave": "1"},
    )
