"""Fuzz the JSON API from its own OpenAPI document (schemathesis) and count the cases.

Every documented operation is called with generated valid requests (positive mode) and with
generated invalid ones (negative mode). Each answer must not be a 5xx, must use a documented
status code and content type, and must match its documented response schema; invalid input
must be refused. The strategies are driven by hypothesis directly (schemathesis' pytest
plugin does not yet support pytest 9), derandomised so a failure reproduces.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from assessment.instrument import load_instrument, most_mature_responses
from assessment.types import (
    MIIT_LEVEL_CODES,
    EnterpriseProfile,
    IndustryCluster,
    ProductionType,
    SizeClass,
)
from tests.examples import examples
from tests.unit.test_scoring_fuzz import near_valid

MAX_EXAMPLES = examples(120)
#: Reproducible runs: the same examples every time, no example database, no health checks.
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
OPERATIONS = (
    "GET /api/v1/instruments/current",
    "POST /api/v1/score",
    "GET /api/v1/assessments",
    "GET /api/v1/assessments/{public_id}",
)


# Negative generation needs an input to break: only ``POST /score`` takes one (the GET
# operations have no body or query, and any string is a valid ``public_id``).
# The assessment operations run anonymous (401) and as a logged-in enterprise (200/404).
CASES = (
    [(label, GenerationMode.POSITIVE, False) for label in OPERATIONS]
    + [("POST /api/v1/score", GenerationMode.NEGATIVE, False)]
    + [(label, GenerationMode.POSITIVE, True) for label in OPERATIONS[2:]]
)
# Which answers and instrument versions are valid is in the instrument document, not in the
# request schema, so a schema-valid body may rightly be refused with 422: the
# positive-acceptance check does not apply. Every other check (no 5xx, documented status,
# content type and response schema, invalid data refused) does.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]


@pytest.mark.parametrize(
    ("label", "mode", "logged_in"),
    CASES,
    ids=[f"{lb}-{m.value}{'-owner' if o else ''}" for lb, m, o in CASES],
)
def test_api_answers_generated_requests_as_documented(
    app: Flask,
    client,
    make_user,
    make_enterprise,
    login,
    label: str,
    mode: GenerationMode,
    logged_in: bool,
) -> None:  # type: ignore[no-untyped-def]
    cookies = {}
    if logged_in:
        owner = make_user()
        make_enterprise(owner)
        login(owner)
        client.post("/enterprise/assessments/start")
        cookies["session"] = client.get_cookie("session").value
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    calls: Counter[int] = Counter()

    @given(case=operation.as_strategy(generation_mode=mode))
    @FUZZ
    def check(case: schemathesis.Case) -> None:
        response = case.call_and_validate(cookies=cookies, excluded_checks=EXCLUDED)
        calls[response.status_code] += 1
        assert response.status_code < 500

    check()
    # Printed for the record (pytest -s); the report in docs/security.md quotes these counts.
    print(
        f"\nschemathesis {label} {mode.value} logged_in={logged_in}: {sum(calls.values())} cases {dict(calls)}"
    )
    assert sum(calls.values()) >= 1


@pytest.mark.parametrize("version", ["1", "2"])
def test_scoring_endpoint_with_near_valid_answers(client, version: str) -> None:  # type: ignore[no-untyped-def]
    """Schema-shaped bodies rarely hold answers the instrument accepts, so this drives the
    scoring path itself: answers drawn from each item's options and bounds, some broken; on
    both questionnaire versions (v2 answers also give a MIIT level)."""
    instrument = load_instrument("dmi", version)
    base = most_mature_responses(
        instrument,
        EnterpriseProfile(
            "C21",
            ProductionType.DISCRETE,
            SizeClass.SMALL,
            "houjie",
            True,
            IndustryCluster.FURNITURE,
        ),
    )
    statuses: Counter[int] = Counter()

    @given(
        st.dictionaries(
            st.sampled_from([i.code for i in instrument.items]),
            st.sampled_from(instrument.items).flatmap(near_valid),
            max_size=6,
        ),
        st.sampled_from(["discrete", "process", "mixed"]),
    )
    @FUZZ
    def check(changes: dict[str, object], ptype: str) -> None:
        answers = {k: list(v) if isinstance(v, tuple) else v for k, v in base.items()} | changes
        body = {
            "instrument_version": version,
            "answers": answers,
            "profile": {
                "industry_code": "C21",
                "production_type": ptype,
                "town": "houjie",
                "employees": 120,
                "revenue_wan": 3500,
            },
        }
        resp = client.post("/api/v1/score", json=body)
        statuses[resp.status_code] += 1
        assert resp.status_code in (200, 422) and resp.is_json
        if resp.status_code == 200:
            assert 0 <= resp.json["index"] <= 100 and resp.json["stage"] in {"S0", "S1", "S2", "S3"}
            if version == "2":
                assert resp.json["miit_level"] in MIIT_LEVEL_CODES
                assert 0 <= resp.json["miit_score"] <= 100 and len(resp.json["scenarios"]) == 16

    check()
    print(f"\nnear-valid POST /api/v1/score: {sum(statuses.values())} cases {dict(statuses)}")
    assert statuses[200] > 0 and statuses[422] > 0
