"""The MIIT part of the enterprise report (``reports.viewmodels.build_miit_view``)."""

from __future__ import annotations

from assessment.instrument import least_mature_responses, load_instrument, most_mature_responses
from assessment.scoring import PILOT_ANSWER, score, score_v2
from assessment.types import EnterpriseProfile, IndustryCluster, ProductionType, SizeClass
from reports.viewmodels import build_miit_view

V2 = load_instrument("dmi", "2")
GARMENTS = EnterpriseProfile(
    "C18", ProductionType.DISCRETE, SizeClass.MEDIUM, "humen", False, IndustryCluster.TEXTILES
)


def test_a_pilot_firm_without_a_level_is_shown_the_gap_to_level_2_first() -> None:
    answers = dict(least_mature_responses(V2, GARMENTS))
    answers[PILOT_ANSWER[0]] = (PILOT_ANSWER[1],)
    result = score_v2(V2, GARMENTS, answers)
    view = build_miit_view(V2, GARMENTS, answers, result, "zh")
    assert view is not None and view.level_code == "none" and view.level_name == "无等级"
    assert view.next_steps[0].startswith("达到二级") and view.next_steps[1].startswith("达到一级")
    assert len(view.scenarios) == 16 and sum(s.constrained for s in view.scenarios) == 10
    assert all(s.level_label == "尚未" for s in view.scenarios)
    assert [p.maximum for p in view.parts] == [50.0, 30.0, 20.0]
    assert "还没有业务场景用信息系统规范管理" in view.stage_narrative


def test_english_view_and_the_first_borderline_finding_in_words() -> None:
    answers = dict(most_mature_responses(V2, GARMENTS))
    scenario_items = [i for i in V2.items if i.scenario]
    for item in scenario_items[:6]:
        answers[item.code] = "L2"
    result = score_v2(V2, GARMENTS, answers)
    view = build_miit_view(V2, GARMENTS, answers, result, "en")
    assert view is not None and view.level_name == "Level 4" and view.next_steps == ()
    first = result.borderline[0]
    assert view.borderline is not None and view.borderline.startswith("Borderline:")
    assert first.item in view.borderline and "Level 3" in view.borderline
    assert {s.level_label for s in view.scenarios} == {"L2", "L4"}


def test_a_version_1_result_has_no_miit_view() -> None:
    v1 = load_instrument("dmi", "1")
    answers = most_mature_responses(v1, GARMENTS)
    result = score(v1, GARMENTS, answers)
    assert build_miit_view(v1, GARMENTS, answers, result, "zh") is None
