"""JSON API v1: instrument, stateless scoring, own assessments, and the OpenAPI document."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from assessment.instrument import least_mature_responses, load_instrument, most_mature_responses
from assessment.types import EnterpriseProfile, IndustryCluster, ProductionType, SizeClass
from models import Assessment, Role
from tests.integration.questionnaire_client import as_json, current_assessment
from webapp.extensions import db

#: About questionnaire v1 behaviour (v1 item codes and gates): the app starts drafts on v1.
pytestmark = pytest.mark.usefixtures("instrument_v1")

PROFILE = {
    "industry_code": "C21",
    "production_type": "discrete",
    "town": "houjie",
    "employees": 120,
    "revenue_wan": 3500,
}
DOMAIN_PROFILE = EnterpriseProfile(
    "C21", ProductionType.DISCRETE, SizeClass.SMALL, "houjie", True, IndustryCluster.FURNITURE
)


def body(answers):  # type: ignore[no-untyped-def]
    return {"instrument_version": "1", "profile": PROFILE, "answers": answers}


def test_instrument_document_lists_items_options_and_skip_logic(client) -> None:  # type: ignore[no-untyped-def]
    doc = client.get("/api/v1/instruments/current").json
    assert doc["version"] == "1" and len(doc["items"]) == len(load_instrument("dmi", "1").items)
    int02 = next(i for i in doc["items"] if i["code"] == "INT-02")
    assert int02["show_if"] == {"item": "PRO-02", "values": ["L2", "L3", "L4"]}
    rnd04 = next(i for i in doc["items"] if i["code"] == "RND-04")
    assert rnd04["applies_to"] == ["mixed", "process"]
    assert {o["value"] for o in int02["options"]} == {0.25, 0.5, 0.75, 1.0}


def test_most_and_least_mature_answers(client, app) -> None:  # type: ignore[no-untyped-def]
    instrument = load_instrument("dmi", "1")
    top = client.post(
        "/api/v1/score", json=body(as_json(most_mature_responses(instrument, DOMAIN_PROFILE)))
    )
    assert top.status_code == 200, top.json
    assert (
        top.json["stage"] == "S3" and top.json["index"] >= 95 and top.json["unmet_conditions"] == []
    )
    low = client.post(
        "/api/v1/score", json=body(as_json(least_mature_responses(instrument, DOMAIN_PROFILE)))
    )
    assert low.json["stage"] == "S0" and low.json["index"] <= 5
    assert {c["code"] for c in low.json["unmet_conditions"]} >= {"S1.LEAD", "S1.SYSTEMS"}
    with app.app_context():
        assert db.session.scalar(select(func.count(Assessment.id))) == 0  # nothing stored


def test_contradictions_come_back_as_warnings(client) -> None:  # type: ignore[no-untyped-def]
    answers = as_json(least_mature_responses(load_instrument("dmi", "1"), DOMAIN_PROFILE))
    answers.update({"DAT-01": 20, "DAT-02": 80})
    resp = client.post("/api/v1/score", json=body(answers))
    assert resp.status_code == 200
    assert {w["code"] for w in resp.json["warnings"]} >= {"C-NET-DIGITAL", "C-NET-COLLECT"}


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda b: b["answers"].update({"ORG-01": "L9"}), ("answers", "ORG-01")),
        (lambda b: b["answers"].update({"DAT-02": 101}), ("answers", "DAT-02")),
        (lambda b: b["answers"].update({"DAT-02": "many"}), ("answers", "DAT-02")),
        (lambda b: b["answers"].update({"XYZ-99": "L1"}), ("answers", "XYZ-99")),
        (lambda b: b["answers"].update({"INF-03": ["none", "ics"]}), ("answers", "INF-03")),
        (lambda b: b["answers"].pop("ORG-01"), ("answers", "ORG-01")),
        (lambda b: b.update({"instrument_version": "7"}), ("instrument_version",)),
        (lambda b: b["profile"].update({"town": "atlantis"}), ("profile", "town")),
        (lambda b: b["profile"].update({"employees": -1}), ("profile", "employees")),
        (lambda b: b.pop("answers"), ("answers",)),
    ],
)
def test_bad_input_is_422_naming_the_field(client, change, path) -> None:  # type: ignore[no-untyped-def]
    payload = body(as_json(most_mature_responses(load_instrument("dmi", "1"), DOMAIN_PROFILE)))
    payload["profile"] = dict(PROFILE)
    change(payload)
    resp = client.post("/api/v1/score", json=payload)
    assert resp.status_code == 422
    node = resp.json["errors"]["json"]
    for key in path:
        node = node[key]
    assert node


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"[]",
        b"null",
        b"\xff\xfe\x00",
        b'{"answers": {"ORG-01": {"a": 1}}}',
        b"1e999",
        b'{"instrument_version": 1, "profile": [], "answers": "x"}',
    ],
)
def test_malformed_bodies_never_cause_500(client, raw) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/api/v1/score", data=raw, content_type="application/json")
    assert resp.status_code in (400, 422) and resp.is_json


def test_own_assessments_only(client, app, make_user, make_enterprise, login) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/assessments").status_code == 401
    owner = make_user()
    enterprise = make_enterprise(owner)
    login(owner)
    client.post("/enterprise/assessments/start")
    mine = current_assessment(app, enterprise.id)
    listed = client.get("/api/v1/assessments").json
    assert [a["id"] for a in listed] == [mine.public_id] and listed[0]["status"] == "draft"
    client.post("/auth/logout")
    other = make_user()
    make_enterprise(other)
    login(other)
    assert client.get("/api/v1/assessments").json == []
    assert client.get(f"/api/v1/assessments/{mine.public_id}").status_code == 404
    client.post("/auth/logout")
    login(make_user(Role.GOVERNMENT))
    assert client.get("/api/v1/assessments").status_code == 403


def test_every_documented_route_answers_as_documented(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    example = body(as_json(most_mature_responses(load_instrument("dmi", "1"), DOMAIN_PROFILE)))
    checked = 0
    for path, operations in spec["paths"].items():
        url = path.replace("{public_id}", "0" * 32)
        for method, operation in operations.items():
            if method not in ("get", "post"):
                continue  # "parameters" shared by the path's operations
            if method == "get":
                resp = client.get(url)
            else:
                resp = client.post(url, json=example)
            documented = {int(code) for code in operation["responses"] if code != "default"}
            assert resp.status_code in documented, (method, path, resp.status_code, documented)
            checked += 1
    assert checked == 4
