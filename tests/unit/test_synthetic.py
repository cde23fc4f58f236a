"""The synthetic cohort: deterministic, valid, internally consistent."""

from __future__ import annotations

from collections import Counter

from assessment.classification import cluster_for_industry, is_above_scale, size_class
from assessment.instrument import is_applicable, load_instrument
from assessment.scoring import score
from assessment.synthetic import synthetic_cohort
from assessment.types import EnterpriseProfile
from assessment.uscc import is_valid_uscc


def level(answers, code):  # type: ignore[no-untyped-def]
    value = answers.get(code)
    return int(value[1]) if isinstance(value, str) and value.startswith("L") else -1


def test_same_seed_same_cohort_and_valid_unique_codes() -> None:
    instrument = load_instrument("dmi", "1")
    a = list(synthetic_cohort(instrument, 200, 11))
    b = list(synthetic_cohort(instrument, 200, 11))
    assert a == b
    assert a != list(synthetic_cohort(instrument, 200, 12))
    assert len({e.uscc for e in a}) == 200 and all(is_valid_uscc(e.uscc) for e in a)
    assert len({e.name for e in a}) == 200


def test_answers_are_consistent_applicable_complete_and_span_all_stages() -> None:
    instrument = load_instrument("dmi", "1")
    stages = Counter()
    for e in synthetic_cohort(instrument, 400, 3):
        profile = EnterpriseProfile(
            e.industry_code,
            e.production_type,
            size_class(e.industry_code, e.employees, e.revenue_wan),
            e.town,
            is_above_scale(e.revenue_wan),
            cluster_for_industry(e.industry_code),
        )
        r = e.responses
        for code in r:
            assert is_applicable(instrument.item(code), profile, r), code
        if level(r, "INT-02") >= 3 or level(r, "PRO-02") >= 3:
            assert level(r, "MGT-01") >= 2  # MES talks to an ERP that exists
        if level(r, "INN-01") >= 4:
            assert level(r, "INT-01") >= 3 and level(r, "INT-04") >= 3
        assert r["DAT-02"] <= r["DAT-01"]  # networked machines are digital machines
        if r["DAT-02"] >= 40:
            assert "machine" in r["DAT-03"]
        stages[score(instrument, profile, r).stage.stage.code] += 1
    assert set(stages) == {"S0", "S1", "S2", "S3"}


def test_kpi_baselines_follow_the_firms_revenue_per_person_and_maturity() -> None:
    """PRF figures in their units: percentages well inside (0, 100), output per person near
    revenue / employees, inventory days fewer in mature firms (on average over the cohort)."""
    instrument = load_instrument("dmi", "2")
    days: dict[bool, list[float]] = {True: [], False: []}
    given = 0
    for e in synthetic_cohort(instrument, 300, 5):
        for code in ("PRF-03", "PRF-05", "PRF-06"):
            if code in e.responses:
                assert 25 <= float(e.responses[code]) < 100, (code, e.responses[code])  # type: ignore[arg-type]
        if "PRF-07" in e.responses:
            per_person = e.revenue_wan / e.employees
            assert 0.5 * per_person < float(e.responses["PRF-07"]) < 2 * per_person  # type: ignore[arg-type]
            given += 1
        if "PRF-08" in e.responses:
            assert 0 < float(e.responses["PRF-08"]) < 1  # type: ignore[arg-type]
        if "PRF-04" in e.responses:
            mature = level(e.responses, "OPS-06") >= 2
            days[mature].append(float(e.responses["PRF-04"]))  # type: ignore[arg-type]
    assert given > 50  # some firms give figures, not all
    assert sum(days[True]) / len(days[True]) < sum(days[False]) / len(days[False])
