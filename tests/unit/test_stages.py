"""Stage gates (Dongguan plan 2022-2025 四 (一); MIIT 2024 score-plus-scenario levels)."""

from __future__ import annotations

from typing import Any

import pytest

from assessment.conditions import Facts
from assessment.instrument import least_mature_responses, load_instrument, most_mature_responses
from assessment.scoring import score
from assessment.stages import GATES, assign_stage
from assessment.tasks import task_list
from assessment.types import EnterpriseProfile, IndustryCluster, ProductionType, SizeClass, Stage

PROFILE = EnterpriseProfile(
    "C21", ProductionType.DISCRETE, SizeClass.SMALL, "houjie", True, IndustryCluster.FURNITURE
)
RULES = {rule.gate.code: rule for rule in GATES}


def facts(overrides: dict[str, Any], index: float = 100.0, base: str = "least") -> Facts:
    instrument = load_instrument("dmi", "1")
    start = least_mature_responses if base == "least" else most_mature_responses
    responses = {**start(instrument, PROFILE), **overrides}
    return Facts(instrument, PROFILE, responses, index, {})


def test_every_gate_cites_its_source_and_speaks_both_languages() -> None:
    assert [r.gate.code for r in GATES if r.gate.stage == Stage.S1] == [
        "S1.SYSTEMS",
        "S1.LEAD",
        "S1.OFFICE",
        "S1.INDEX",
    ]
    for rule in GATES:
        assert rule.gate.source and rule.gate.text_zh and rule.gate.text_en


@pytest.mark.parametrize(
    ("gate", "below", "at"),
    [
        (
            "S1.SYSTEMS",
            {"MGT-01": "L2", "MGT-04": "L2"},
            {"MGT-01": "L2", "MGT-04": "L2", "PRO-01": "L2"},
        ),
        (
            "S1.SYSTEMS",
            {"MGT-01": "L2", "MGT-04": "L2", "PRO-03": "L4"},
            {"MGT-01": "L2", "MGT-04": "L2", "RND-02": "L2"},
        ),
        ("S1.LEAD", {"ORG-01": "L1"}, {"ORG-01": "L2"}),
        ("S1.OFFICE", {"MGT-03": "L1", "MGT-06": "L1", "INT-05": "L1"}, {"INT-05": "L2"}),
        ("S2.INTEG", {"INT-01": "L2"}, {"INT-01": "L3"}),
        ("S2.PROD", {"PRO-02": "L3", "PRO-03": "L1"}, {"PRO-02": "L3", "PRO-03": "L2"}),
        ("S2.PROD", {"PRO-02": "L2", "PRO-03": "L4"}, {"PRO-02": "L3", "PRO-03": "L2"}),
        (
            "S2.DATA",
            {"DAT-02": 39.9, "DAT-03": ("output", "machine", "quality")},
            {"DAT-02": 40.0, "DAT-03": ("output", "machine", "quality")},
        ),
        (
            "S2.DATA",
            {"DAT-02": 90.0, "DAT-03": ("output", "machine")},
            {"DAT-02": 90.0, "DAT-03": ("output", "machine", "energy")},
        ),
        ("S2.BI", {"DAT-05": "L2"}, {"DAT-05": "L3"}),
        (
            "S3.E2E",
            {"INT-03": "L4", "INT-04": "L4", "INT-05": "L2"},
            {"INT-03": "L3", "INT-04": "L3", "INT-05": "L3"},
        ),
        ("S3.PLATFORM", {"INN-01": "L2"}, {"INN-01": "L3"}),
        ("S3.DATAINNOV", {"DAT-05": "L3", "INN-02": "L2"}, {"DAT-05": "L4", "INN-02": "L2"}),
        ("S3.DATAINNOV", {"DAT-05": "L3", "INN-02": "L2"}, {"DAT-05": "L0", "INN-02": "L3"}),
        ("S3.NEWMODEL", {"INN-03": ("none",)}, {"INN-03": ("flexible",)}),
    ],
)
def test_capability_gate_boundaries(gate: str, below: dict[str, Any], at: dict[str, Any]) -> None:
    assert not RULES[gate].condition.holds(facts(below))
    assert RULES[gate].condition.holds(facts(at))


@pytest.mark.parametrize(
    ("gate", "threshold"), [("S1.INDEX", 20), ("S2.INDEX", 45), ("S3.INDEX", 70)]
)
def test_index_gate_boundaries(gate: str, threshold: float) -> None:
    assert not RULES[gate].condition.holds(facts({}, index=threshold - 0.01))
    assert RULES[gate].condition.holds(facts({}, index=threshold))


def test_meeting_s2_and_s3_gates_without_s1_is_s0() -> None:
    # Everything mature except the transformation lead (an S1 gate): the stage is S0, not S2.
    f = facts({"ORG-01": "L1"}, base="most")
    result = assign_stage(f)
    assert result.stage is Stage.S0
    assert {"S2.INTEG", "S2.PROD", "S3.PLATFORM"} <= set(result.met)
    assert [g.code for g in result.unmet_next] == ["S1.LEAD"]


def test_meeting_s3_gates_without_s2_is_s1() -> None:
    result = assign_stage(facts({"INT-01": "L2"}, base="most"))
    assert result.stage is Stage.S1
    assert [g.code for g in result.unmet_next] == ["S2.INTEG"]


def test_unmet_conditions_are_those_of_the_next_stage() -> None:
    instrument = load_instrument("dmi", "1")
    answers = dict(most_mature_responses(instrument, PROFILE))
    answers.update({"INN-01": "L1", "INN-03": ("none",)})
    result = score(instrument, PROFILE, answers)
    assert result.stage.stage is Stage.S2
    assert [g.code for g in result.stage.unmet_next] == ["S3.PLATFORM", "S3.NEWMODEL"]
    tasks = task_list(instrument, PROFILE, answers, result)
    assert [t.code for t in tasks] == ["T-PLATFORM", "T-MODEL"]
    assert [t.order for t in tasks] == [1, 2]


def test_tasks_put_prerequisites_first() -> None:
    instrument = load_instrument("dmi", "1")
    answers = dict(most_mature_responses(instrument, PROFILE))
    # An S1 enterprise with no MES and no networked machines.
    answers.update({"PRO-02": "L1", "DAT-02": 5.0, "DAT-03": ("none",), "DAT-05": "L2"})
    del answers["INT-02"]
    result = score(instrument, PROFILE, answers)
    assert result.stage.stage is Stage.S1
    codes = [t.code for t in task_list(instrument, PROFILE, answers, result)]
    assert codes.index("T-MES") < codes.index("T-MES-ERP")  # deploy MES before integrating it
    assert codes.index("T-DATA-NET") < codes.index("T-BI")  # collect data before analysing it
    # With an MES already on some lines, "deploy MES" is not listed again.
    answers.update({"PRO-02": "L2", "INT-02": "L2"})
    result = score(instrument, PROFILE, answers)
    codes = [t.code for t in task_list(instrument, PROFILE, answers, result)]
    assert "T-MES" not in codes and "T-MES-ERP" in codes
