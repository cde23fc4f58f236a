"""Transformation task list (转型任务清单, Dongguan plan 2022-2025 四 (三) 1) from the unmet gates."""

from __future__ import annotations

from typing import Any

import pytest

from assessment.instrument import least_mature_responses, load_instrument, most_mature_responses
from assessment.scoring import score
from assessment.stages import GATES
from assessment.tasks import STEPS, task_list
from assessment.types import (
    EnterpriseProfile,
    IndustryCluster,
    ProductionType,
    SizeClass,
    Stage,
    Task,
)

PROFILE = EnterpriseProfile(
    "C21", ProductionType.DISCRETE, SizeClass.SMALL, "houjie", True, IndustryCluster.FURNITURE
)
INDEX_GATES = {"S1.INDEX", "S2.INDEX", "S3.INDEX"}


def tasks_for(overrides: dict[str, Any], base: str = "least") -> tuple[Stage, list[Task]]:
    instrument = load_instrument("dmi", "1")
    start = least_mature_responses if base == "least" else most_mature_responses
    answers = {**start(instrument, PROFILE), **overrides}
    result = score(instrument, PROFILE, answers)
    return result.stage.stage, task_list(instrument, PROFILE, answers, result)


def test_every_capability_gate_has_a_step_and_every_step_a_gate() -> None:
    gate_codes = {rule.gate.code for rule in GATES}
    step_gates = {step.gate for step in STEPS}
    assert step_gates <= gate_codes
    assert gate_codes - INDEX_GATES == step_gates
    assert len({step.code for step in STEPS}) == len(STEPS)
    assert [s.rank for s in STEPS] == sorted(s.rank for s in STEPS)


def test_s0_enterprise_gets_the_s1_steps_in_order_then_its_weakest_dimensions() -> None:
    stage, tasks = tasks_for({})
    assert stage is Stage.S0
    assert [(t.code, t.gate, t.dimension) for t in tasks] == [
        ("T-LEAD", "S1.LEAD", "ORG"),
        ("T-SYS", "S1.SYSTEMS", "MGT"),
        ("T-OFFICE", "S1.OFFICE", "MGT"),
        # Every dimension scores 0: ties go by code, and the index gate is what they close.
        ("T-DIM-DAT", "S1.INDEX", "DAT"),
        ("T-DIM-INF", "S1.INDEX", "INF"),
    ]
    assert [t.order for t in tasks] == [1, 2, 3, 4, 5]
    for task in tasks:
        assert task.title_zh and task.title_en and task.detail_zh and task.detail_en


def test_only_the_index_gate_missing_gives_dimension_tasks_only() -> None:
    # All S1 capability gates met (lead, three systems, online sales) but the index stays < 20.
    stage, tasks = tasks_for({"ORG-01": "L2", "MGT-01": "L2", "MGT-04": "L2", "MGT-06": "L2"})
    assert stage is Stage.S0
    assert [(t.code, t.gate) for t in tasks] == [
        ("T-DIM-DAT", "S1.INDEX"),
        ("T-DIM-INF", "S1.INDEX"),
    ]
    assert "得分 0" in tasks[0].detail_zh and "scores 0" in tasks[0].detail_en


def test_steps_already_done_are_not_listed() -> None:
    # An S1 enterprise missing only S2.DATA: machines are networked (>= 40 %), but only two
    # kinds of data are collected automatically, so only the collection step remains.
    stage, tasks = tasks_for({"DAT-02": 40.0, "DAT-03": ("output", "machine")}, base="most")
    assert stage is Stage.S1
    assert [t.code for t in tasks] == ["T-DATA-AUTO"]
    stage, tasks = tasks_for({"DAT-02": 39.0, "DAT-03": ("output", "machine")}, base="most")
    assert [t.code for t in tasks] == ["T-DATA-NET", "T-DATA-AUTO"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # No MES at all: deploy it, then integrate it (PRO-02 L1 hides the MES-ERP question).
        ({"PRO-02": "L1", "INT-02": None}, ["T-MES", "T-MES-ERP"]),
        # MES on some lines already: only the integration step.
        ({"PRO-02": "L2", "INT-02": "L2"}, ["T-MES-ERP"]),
        # MES on all lines and integrated, but manual operations: only automation is left.
        ({"PRO-03": "L1"}, ["T-AUTO"]),
        # Neither: automate, then extend and integrate the MES.
        ({"PRO-02": "L2", "INT-02": "L2", "PRO-03": "L1"}, ["T-AUTO", "T-MES-ERP"]),
    ],
)
def test_mes_steps_follow_their_prerequisites(
    overrides: dict[str, Any], expected: list[str]
) -> None:
    answers = {k: v for k, v in overrides.items() if v is not None}
    instrument = load_instrument("dmi", "1")
    full = {**most_mature_responses(instrument, PROFILE), **answers}
    for code, value in overrides.items():
        if value is None:
            del full[code]
    result = score(instrument, PROFILE, full)
    assert result.stage.stage is Stage.S1
    assert [g.code for g in result.stage.unmet_next] == ["S2.PROD"]
    assert [t.code for t in task_list(instrument, PROFILE, full, result)] == expected


def test_tasks_close_only_unmet_gates_of_the_next_stage() -> None:
    instrument = load_instrument("dmi", "1")
    answers = {**most_mature_responses(instrument, PROFILE), "INT-01": "L2", "DAT-05": "L2"}
    result = score(instrument, PROFILE, answers)
    assert result.stage.stage is Stage.S1
    unmet = [g.code for g in result.stage.unmet_next]
    assert unmet == ["S2.INTEG", "S2.BI"]
    tasks = task_list(instrument, PROFILE, answers, result)
    assert [t.code for t in tasks] == ["T-INTEG", "T-BI"]  # integrate before analysing
    assert {t.gate for t in tasks} == set(unmet)


def test_perfect_s3_enterprise_has_nothing_left_and_a_near_perfect_one_its_gaps() -> None:
    stage, tasks = tasks_for({}, base="most")
    assert stage is Stage.S3 and tasks == []
    stage, tasks = tasks_for({"INF-02": "L2"}, base="most")
    assert stage is Stage.S3
    assert [(t.code, t.gate, t.order) for t in tasks] == [("T-DIM-INF", None, 1)]
