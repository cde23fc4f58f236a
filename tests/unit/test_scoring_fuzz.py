"""Fuzz the scoring core with hypothesis: any JSON value as an answer is either normalised or
refused with ``InvalidResponseError``; any mix of accepted answers scores without a crash and
within bounds. (The properties of valid answers are in ``test_scoring_properties.py``.)"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.consistency import check_consistency
from assessment.errors import InvalidResponseError
from assessment.instrument import load_instrument, missing_items, normalise_response
from assessment.scoring import score
from assessment.types import EnterpriseProfile, IndustryCluster, ItemKind, ProductionType, SizeClass
from tests.examples import examples

INSTRUMENT = load_instrument("dmi", "1")
FUZZ = settings(
    max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

#: Any JSON document (what a client can send as one answer).
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=4,
)


def near_valid(item):  # type: ignore[no-untyped-def]
    """Answers close to the item's domain: its codes, mixtures, numbers around the bounds."""
    codes = [o.code for o in item.options]
    if item.kind == ItemKind.NUMBER:
        low, high = item.minimum or 0.0, item.maximum or 100.0
        return st.floats(low - 10, high + 10) | st.sampled_from(
            [str(low), f"{high:,}", " 1 ", "1e3", "nan", "inf", "-0", True]
        )
    return (
        st.sampled_from(codes or ["x"])
        | st.lists(st.sampled_from(codes + ["none", "ZZ"]), max_size=len(codes) + 2)
        | st.sampled_from(["", " ", "L1 ", "<script>", "=1+1"])
    )


@st.composite
def raw_answers(draw):  # type: ignore[no-untyped-def]
    out = {}
    for item in INSTRUMENT.items:
        choice = draw(st.integers(0, 3))
        if choice == 0:
            continue
        out[item.code] = draw(JSON if choice == 1 else near_valid(item))
    return out


@FUZZ
@given(raw_answers(), st.sampled_from(list(ProductionType)))
def test_any_answers_are_normalised_or_refused_and_then_score(raw, ptype) -> None:  # type: ignore[no-untyped-def]
    profile = EnterpriseProfile(
        "C21", ptype, SizeClass.SMALL, "houjie", True, IndustryCluster.FURNITURE
    )
    responses = {}
    for code, value in raw.items():
        item = INSTRUMENT.item(code)
        try:
            answer = normalise_response(item, value)
        except InvalidResponseError as exc:
            assert exc.reason_zh and exc.reason_en
            continue
        if item.kind == ItemKind.NUMBER:
            assert isinstance(answer, float) and math.isfinite(answer)
            assert item.minimum is None or answer >= item.minimum
            assert item.maximum is None or answer <= item.maximum
        else:
            codes = answer if isinstance(answer, tuple) else (answer,)
            assert set(codes) <= {o.code for o in item.options}
        responses[code] = answer
    # Fill what is still missing with the least mature option, as a submit would require.
    for _ in range(5):
        missing = missing_items(INSTRUMENT, profile, responses)
        if not missing:
            break
        for item in missing:
            responses[item.code] = (
                float(item.minimum or 0)
                if item.kind == ItemKind.NUMBER
                else min(item.options, key=lambda o: o.value).code
            )
    result = score(INSTRUMENT, profile, responses)
    assert 0 <= result.scorecard.maturity_index <= 100
    check_consistency(INSTRUMENT, profile, responses)
