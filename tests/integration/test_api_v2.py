"""The JSON API on questionnaire v2 (the current version): the instrument document carries the
MIIT fields, and a score carries the MIIT level, scenarios, gaps and the borderline finding;
v1 stays scorable by its version."""

from __future__ import annotations

from assessment.instrument import least_mature_responses, load_instrument, most_mature_responses
from assessment.types import (
    MIIT_LEVEL_CODES,
    EnterpriseProfile,
    IndustryCluster,
    ProductionType,
    SizeClass,
)
from tests.factories import GARMENT_MAKER
from tests.integration.questionnaire_client import as_json

V2 = load_instrument("dmi", "2")
PROFILE = GARMENT_MAKER | {"production_type": "discrete"}
DOMAIN_PROFILE = EnterpriseProfile(
    "C18", ProductionType.DISCRETE, SizeClass.MEDIUM, "humen", False, IndustryCluster.TEXTILES
)


def body(answers, version: str = "2"):  # type: ignore[no-untyped-def]
    return {"instrument_version": version, "profile": PROFILE, "answers": answers}


def test_current_instrument_is_v2_with_scenario_and_constrained_fields(client) -> None:  # type: ignore[no-untyped-def]
    doc = client.get("/api/v1/instruments/current").json
    assert doc["version"] == "2" and len(doc["items"]) == len(V2.items)
    scenario_items = [i for i in doc["items"] if i["scenario"]]
    assert len(scenario_items) == 16
    assert {i["scenario"] for i in scenario_items} == {i.scenario for i in V2.items if i.scenario}
    assert sum(i["constrained"] for i in scenario_items) == 10
    finance = next(i for i in V2.items if i.scenario == "finance")
    served = next(i for i in doc["items"] if i["code"] == finance.code)
    assert served["constrained"] is finance.constrained and served["kind"] == "single"
    share = next(i for i in doc["items"] if i["code"] == "FND-03")
    assert share["kind"] == "figure" and share["denominator"] == "FND-02"
    assert any(i["cluster"] == "textiles" for i in doc["items"])
    assert {d["code"]: d["scored"] for d in doc["dimensions"]}["PRF"] is False


def test_v2_score_returns_miit_level_score_scenarios_and_gaps(client) -> None:  # type: ignore[no-untyped-def]
    top = client.post(
        "/api/v1/score", json=body(as_json(most_mature_responses(V2, DOMAIN_PROFILE)))
    )
    assert top.status_code == 200, top.json
    doc = top.json
    assert doc["instrument_version"] == "2" and doc["scoring_version"] == "2"
    assert doc["miit_level"] == "4" and doc["miit_score"] == 100.0
    assert len(doc["scenarios"]) == 16 and all(s["level"] == 4 for s in doc["scenarios"])
    assert sum(s["constrained"] for s in doc["scenarios"]) == 10
    assert set(doc["scenarios"][0]) == {"code", "name_zh", "name_en", "level", "constrained"}
    assert doc["miit_next"] == [] and doc["stage"] == "S3"

    low = client.post(
        "/api/v1/score", json=body(as_json(least_mature_responses(V2, DOMAIN_PROFILE)))
    ).json
    assert low["miit_level"] == "none" and low["miit_score"] == 0.0 and low["stage"] == "S0"
    assert all(s["level"] == 0 for s in low["scenarios"])
    first = low["miit_next"][0]
    assert first["target"] == 1 and first["points_missing"] > 0 and first["candidates"]
    assert low["miit_level"] in MIIT_LEVEL_CODES


def test_one_answer_from_another_level_names_the_deciding_item(client) -> None:  # type: ignore[no-untyped-def]
    answers = as_json(most_mature_responses(V2, DOMAIN_PROFILE))
    scenario_items = [i for i in V2.items if i.scenario]
    for item in scenario_items[:6]:  # six scenarios at L2: 四级 holds by one scenario
        answers[item.code] = "L2"
    doc = client.post("/api/v1/score", json=body(answers)).json
    assert doc["miit_level"] == "4"
    border = doc["borderline"]
    assert border is not None
    assert border["classification"] == "miit" and (border["current"], border["reached"]) == (
        "4",
        "3",
    )
    assert border["item"] in {i.code for i in scenario_items[6:]} and border["answer"] == "L3"


def test_v1_stays_scorable_by_its_version_without_miit_fields(client) -> None:  # type: ignore[no-untyped-def]
    v1 = load_instrument("dmi", "1")
    answers = as_json(most_mature_responses(v1, DOMAIN_PROFILE))
    doc = client.post("/api/v1/score", json=body(answers, "1")).json
    assert doc["instrument_version"] == "1" and doc["scoring_version"] == "1"
    assert doc["miit_level"] is None and doc["miit_score"] is None
    assert doc["scenarios"] == [] and doc["miit_next"] == [] and doc["borderline"] is None


def test_score_accepts_dont_know_for_figures_only(client) -> None:  # type: ignore[no-untyped-def]
    answers = as_json(most_mature_responses(V2, DOMAIN_PROFILE))
    known = client.post("/api/v1/score", json=body(answers)).json
    unknown = client.post("/api/v1/score", json=body(answers | {"RES-02": "unknown"}))
    assert unknown.status_code == 200, unknown.json
    blank = client.post(
        "/api/v1/score", json=body({k: v for k, v in answers.items() if k != "RES-02"})
    ).json
    assert unknown.json["miit_score"] == blank["miit_score"] < known["miit_score"]
    refused = client.post("/api/v1/score", json=body(answers | {"MGM-05": "unknown"}))
    assert refused.status_code == 422 and "MGM-05" in str(refused.json)
    spec = client.get("/api/v1/openapi.json").json
    answers_doc = spec["components"]["schemas"]["ScoreRequest"]["properties"]["answers"]
    assert '"unknown"' in answers_doc["description"]
