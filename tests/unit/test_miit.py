"""The MIIT 2024 level on instrument dmi v2: point table, scenarios, the level rule at every
boundary, figures, next-level gaps, the result's JSON and the version-2 instrument format."""

from __future__ import annotations

import dataclasses
import json

import pytest

from assessment.errors import InstrumentVersionError, InvalidResponseError
from assessment.instrument import (
    UNKNOWN,
    is_applicable,
    least_mature_responses,
    load_instrument,
    most_mature_responses,
    normalise_response,
    parse_instrument,
)
from assessment.miit import (
    CONSTRAINED_SCENARIOS,
    LEVEL_RULES,
    PARTS,
    SCENARIOS,
    assess_miit,
    figure_value,
    level_gap,
    miit_level,
    miit_next,
    miit_parts,
)
from assessment.scoring import (
    SCORERS,
    SCORING_FOR_INSTRUMENT,
    score,
    score_v2,
    scorer,
    scores_instrument,
    scoring_version_for,
)
from assessment.types import (
    AssessmentResult,
    EnterpriseProfile,
    ScenarioLevel,
)
from tests.unit.profiles import BEVERAGES, GARMENTS

V2 = load_instrument("dmi", "2")
CODES = [code for code, _ in SCENARIOS]


def scenarios(constrained_at: int, guided_at: int, level: int) -> tuple[ScenarioLevel, ...]:
    """16 scenarios: ``constrained_at`` constrained and ``guided_at`` guidance ones at ``level``,
    the others at ``level - 1``."""
    out = []
    done = {True: 0, False: 0}
    for code in CODES:
        constrained = code in CONSTRAINED_SCENARIOS
        wanted = constrained_at if constrained else guided_at
        reached = level if done[constrained] < wanted else level - 1
        done[constrained] += reached == level
        out.append(ScenarioLevel(code, code, code, reached, constrained))
    return tuple(out)


def test_the_instrument_covers_the_16_scenarios_with_the_10_constrained_ones() -> None:
    items = [i for i in V2.items if i.scenario]
    assert [i.scenario for i in items] == CODES
    assert len(CODES) == 16
    assert {i.scenario for i in items if i.constrained} == CONSTRAINED_SCENARIOS
    assert len(CONSTRAINED_SCENARIOS) == 10
    assert all([o.code for o in i.options][:5] == ["L0", "L1", "L2", "L3", "L4"] for i in items)


def test_points_add_up_to_the_miit_table_by_part() -> None:
    by_part: dict[str, float] = {}
    for item in V2.items:
        if item.points:
            by_part[item.dimension] = by_part.get(item.dimension, 0.0) + item.points
    assert by_part == {"FND": 50.0, "MGM": 30.0, "RES": 20.0} == dict(PARTS)


@pytest.mark.parametrize("profile", [GARMENTS, BEVERAGES])
def test_most_and_least_mature_answers_give_100_and_0(profile: EnterpriseProfile) -> None:
    top = assess_miit(V2, profile, most_mature_responses(V2, profile), pilot=False)
    assert top.parts == {"FND": 50.0, "MGM": 30.0, "RES": 20.0}
    assert (top.score, top.level, top.next) == (100.0, 4, ())
    assert all(s.level == 4 for s in top.scenarios)
    bottom = assess_miit(V2, profile, least_mature_responses(V2, profile), pilot=False)
    assert (bottom.score, bottom.level) == (0.0, 0)
    assert all(s.level == 0 for s in bottom.scenarios)


def test_the_rule_table_is_the_published_one() -> None:
    assert [
        (r.level, r.min_score, r.scenario_level, r.scenarios, r.constrained) for r in LEVEL_RULES
    ] == [
        (1, 20.0, 1, 6, 3),
        (2, 40.0, 2, 6, 3),
        (3, 60.0, 3, 8, 5),
        (4, 80.0, 4, 10, 6),
    ]


@pytest.mark.parametrize("rule", LEVEL_RULES, ids=lambda r: f"level{r.level}")
def test_level_boundaries_score_scenarios_and_constrained(rule) -> None:  # type: ignore[no-untyped-def]
    below = rule.level - 1
    exact = scenarios(rule.constrained, rule.scenarios - rule.constrained, rule.scenario_level)
    assert miit_level(rule.min_score, exact) == rule.level
    assert miit_level(round(rule.min_score - 0.01, 2), exact) == below  # e.g. 39.99 vs 40
    one_short = scenarios(
        rule.constrained, rule.scenarios - rule.constrained - 1, rule.scenario_level
    )
    assert miit_level(100.0, one_short) < rule.level
    constrained_short = scenarios(
        rule.constrained - 1, rule.scenarios - rule.constrained + 1, rule.scenario_level
    )
    assert miit_level(100.0, constrained_short) < rule.level


def test_score_39_99_with_enough_scenarios_is_level_1_and_40_is_level_2() -> None:
    six = scenarios(3, 3, 2)
    assert miit_level(39.99, six) == 1
    assert miit_level(40.0, six) == 2
    assert miit_level(19.99, six) == 0


def test_gap_to_level_2_counts_points_scenarios_and_constrained_ones() -> None:
    gap = level_gap(31.5, scenarios(2, 2, 2), 2)
    assert (gap.points_missing, gap.scenario_level) == (8.5, 2)
    assert (gap.scenarios_missing, gap.constrained_missing) == (2, 1)
    assert CONSTRAINED_SCENARIOS >= {gap.candidates[0]}
    assert len(gap.candidates) == 12
    assert level_gap(45.0, scenarios(3, 3, 2), 2).points_missing == 0.0


def test_a_pilot_firm_sees_the_gap_to_level_2_first() -> None:
    none = scenarios(0, 0, 1)
    assert [g.target for g in miit_next(10.0, none, 0, pilot=True)] == [2, 1]
    assert [g.target for g in miit_next(10.0, none, 0, pilot=False)] == [1]
    assert [g.target for g in miit_next(30.0, none, 1, pilot=True)] == [2]
    assert [g.target for g in miit_next(70.0, none, 3, pilot=True)] == [4]
    assert miit_next(90.0, none, 4, pilot=True) == ()


@pytest.mark.parametrize(
    ("digital", "value"),
    [
        (0, 0.0),
        (10, 0.0),
        (11, 0.25),
        (20, 0.25),
        (21, 0.5),
        (40, 0.5),
        (41, 0.75),
        (60, 0.75),
        (61, 1.0),
        (100, 1.0),
        (150, 1.0),
    ],
)
def test_equipment_rate_uses_miit_half_open_bands(digital: int, value: float) -> None:
    item = V2.item("FND-03")
    assert figure_value(item, {"FND-02": 100.0, "FND-03": float(digital)}) == value


def test_a_rate_without_a_denominator_is_dont_know() -> None:
    item = V2.item("FND-04")
    assert figure_value(item, {"FND-04": 5.0}) is None
    assert figure_value(item, {"FND-02": 0.0, "FND-04": 5.0}) is None


@pytest.mark.parametrize(
    ("code", "last", "this", "value"),
    [
        ("RES-02", 2.0, 1.8, 1.0),  # energy per ¥100 down: better
        ("RES-02", 2.0, 2.0, 0.5),
        ("RES-02", 2.0, 2.2, 0.0),
        ("RES-04", 97.0, 98.5, 1.0),  # pass rate up: better
        ("RES-04", 97.0, 96.0, 0.0),
        ("RES-08", 92.0, 92.0, 0.5),
    ],
)
def test_year_on_year_direction(code: str, last: float, this: float, value: float) -> None:
    item = V2.item(code)
    assert item.previous is not None
    assert figure_value(item, {item.previous: last, code: this}) == value


def test_dont_know_scores_zero_points() -> None:
    answers = dict(most_mature_responses(V2, GARMENTS))
    del answers["RES-01"]  # last year's energy unknown
    assert miit_parts(V2, GARMENTS, answers)["RES"] == 13.0


@pytest.mark.parametrize("code", ["RES-01", "RES-02", "FND-02", "FND-03"])
def test_an_explicit_dont_know_scores_as_a_blank_figure(code: str) -> None:
    answers = dict(most_mature_responses(V2, GARMENTS))
    blank = {k: v for k, v in answers.items() if k != code}
    unknown = answers | {code: normalise_response(V2.item(code), UNKNOWN)}
    assert unknown[code] == "unknown"
    assert miit_parts(V2, GARMENTS, unknown) == miit_parts(V2, GARMENTS, blank)
    assert miit_parts(V2, GARMENTS, unknown) != miit_parts(V2, GARMENTS, answers)
    assert score_v2(V2, GARMENTS, unknown) == score_v2(V2, GARMENTS, blank)


@pytest.mark.parametrize(
    ("version", "instrument", "expected"),
    [
        ("1", "1", True),
        ("1.1", "1", True),  # a revision of version 1's rule
        ("2", "1", False),  # the MIIT rule never scores v1 answers
        ("2", "2", True),
        ("2.3", "2", True),
        ("1", "2", False),
        ("12", "1", False),  # the family is the part before ".", not a prefix
    ],
)
def test_a_scoring_version_scores_only_its_own_questionnaires(
    version: str, instrument: str, expected: bool
) -> None:
    assert scores_instrument(version, load_instrument("dmi", instrument)) is expected


def test_only_figures_take_dont_know() -> None:
    for code in ("MGM-05", "OPS-01", "FND-01"):  # a number, a single and a multiple choice
        with pytest.raises(InvalidResponseError):
            normalise_response(V2.item(code), UNKNOWN)
    with pytest.raises(InvalidResponseError):
        normalise_response(V2.item("RES-01"), "not known")


def test_cluster_modules_show_by_division() -> None:
    shown = {i.code[:3] for i in V2.items if i.cluster and is_applicable(i, GARMENTS, {})}
    assert shown == {"TEX"}
    shown = {i.code[:3] for i in V2.items if i.cluster and is_applicable(i, BEVERAGES, {})}
    assert shown == {"FOD"}
    per_cluster: dict[str, int] = {}
    for item in V2.items:
        if item.cluster:
            per_cluster[item.cluster] = per_cluster.get(item.cluster, 0) + 1
    assert len(per_cluster) == 5 and all(4 <= n <= 6 for n in per_cluster.values())


def test_process_plants_answer_dcs_instead_of_mes() -> None:
    assert is_applicable(V2.item("INT-03"), BEVERAGES, {})
    assert not is_applicable(V2.item("INT-02"), BEVERAGES, {})
    assert not is_applicable(V2.item("INT-03"), GARMENTS, {})


def test_v2_result_round_trips_through_json() -> None:
    answers = dict(least_mature_responses(V2, GARMENTS))
    answers.update({f"OPS-{n:02d}": "L2" for n in range(3, 9)})
    answers["PRF-01"] = ("pilot_list",)
    result = score_v2(V2, GARMENTS, answers)
    assert result.miit is not None and result.miit.next[0].target == 2
    stored = json.loads(json.dumps(result.to_dict()))
    assert AssessmentResult.from_dict(stored) == result
    assert stored["miit"]["level"] in {"none", "1", "2", "3", "4"}
    assert {"code", "name_zh", "name_en", "level", "constrained"} == set(
        stored["miit"]["scenarios"][0]
    )


def test_v1_results_keep_their_json_and_still_load() -> None:
    v1 = load_instrument("dmi", "1")
    result = score(v1, GARMENTS, most_mature_responses(v1, GARMENTS))
    stored = result.to_dict()
    assert "miit" not in stored and "borderline" not in stored
    assert AssessmentResult.from_dict(stored) == result
    assert result.miit is None and result.borderline == ()


def test_scorer_2_is_registered_for_instrument_version_2() -> None:
    assert scorer("2") is score_v2 and SCORERS["1"] is score
    assert SCORING_FOR_INSTRUMENT == {"1": "1", "2": "2"}
    v1 = load_instrument("dmi", "1")
    with pytest.raises(InstrumentVersionError):
        score_v2(v1, GARMENTS, most_mature_responses(v1, GARMENTS))


def test_scoring_version_follows_the_instrument_content_and_agrees_on_packaged_files() -> None:
    v1, v2 = load_instrument("dmi", "1"), load_instrument("dmi", "2")
    assert scoring_version_for(v1) == SCORING_FOR_INSTRUMENT["1"] == "1"
    assert scoring_version_for(v2) == SCORING_FOR_INSTRUMENT["2"] == "2"
    # a later publication keeps the model its items fit, whatever its number
    assert scoring_version_for(dataclasses.replace(v1, version="7")) == "1"
    assert scoring_version_for(dataclasses.replace(v2, version="7")) == "2"


HEAD = 'id = "x"\nversion = "9"\ntitle_zh = "x"\ntitle_en = "x"\nminutes = 1\n[[dimensions]]\ncode = "D"\nname_zh = "d"\nname_en = "d"\nweight = 1\n[[dimensions.indicators]]\ncode = "D.I"\nname_zh = "i"\nname_en = "i"\nweight = 1\n'
FIGURE = '[[dimensions.indicators.items]]\ncode = "{code}"\nkind = "figure"\ntext_zh = "t"\ntext_en = "t"\n{extra}\n'
CHOICE = '[[dimensions.indicators.items]]\ncode = "{code}"\nkind = "{kind}"\ntext_zh = "t"\ntext_en = "t"\n{extra}\noptions = [{{ code = "L0", value = 0.0, zh = "a", en = "a" }}, {{ code = "L1", value = 1.0, zh = "b", en = "b" }}]\n'


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (FIGURE.format(code="A", extra="bands = [[10, 0.5]]"), "need a denominator"),
        (FIGURE.format(code="A", extra='denominator = "B"'), "not an earlier figure"),
        (FIGURE.format(code="A", extra='previous = "A0"\nbetter = "up"'), "up"),
        (
            FIGURE.format(code="A", extra="") + FIGURE.format(code="B", extra='previous = "A"'),
            "go together",
        ),
        (CHOICE.format(code="A", kind="multi", extra='scenario = "finance"'), "single-choice"),
        (CHOICE.format(code="A", kind="single", extra="constrained = true"), "needs a scenario"),
        (CHOICE.format(code="A", kind="single", extra='cluster = "toys"'), "toys"),
        (CHOICE.format(code="A", kind="single", extra="points = 0"), "positive"),
    ],
)
def test_version_2_fields_are_validated(items: str, message: str) -> None:
    with pytest.raises(InstrumentVersionError, match=message):
        parse_instrument(HEAD + items)


def test_a_valid_figure_pair_parses() -> None:
    text = (
        HEAD
        + FIGURE.format(code="A", extra="")
        + FIGURE.format(code="B", extra='previous = "A"\nbetter = "lower"\npoints = 3')
    )
    item = parse_instrument(text).item("B")
    assert (item.previous, item.better, item.points) == ("A", "lower", 3.0)


def test_at_most_three_pain_points() -> None:
    item = V2.item("PRF-02")
    assert normalise_response(item, ["quality", "delivery", "labour"]) == (
        "delivery",
        "labour",
        "quality",
    )
    with pytest.raises(InvalidResponseError):
        normalise_response(item, ["quality", "delivery", "labour", "cost"])
