"""The roadmap (issue 19): sequencing, sizing, matching and programme eligibility at their
boundaries, and the invariants over synthetic v2 firms (no step for a capability the firm has,
no step before its prerequisites, a security step whenever a security measure is missing)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.catalogue import Catalogue, CatalogueError, ProviderType, parse_catalogue
from assessment.instrument import load_instrument
from assessment.programmes import (
    FirmStanding,
    Programme,
    eligible,
    parse_programmes,
    pilot_position,
    share_cost,
)
from assessment.roadmap import (
    CAPABILITIES,
    FLAG_MULTIPLE,
    FirmFigures,
    Horizon,
    Phase,
    Roadmap,
    build_roadmap,
    check_roadmap,
    digital_spend,
    has_capability,
    kpi_target,
    roadmap_lines,
    size_factor,
)
from assessment.roadmap_eval import cohort_roadmaps
from assessment.scoring import score_v2
from assessment.types import EnterpriseProfile, IndustryCluster, SizeClass
from tests.unit.profiles import garment_answers, garment_profile

DEMO = Path(__file__).resolve().parents[2] / "webapp" / "demo"
V2 = load_instrument("dmi", "2")
CATALOGUE = parse_catalogue((DEMO / "catalogue.toml").read_text(encoding="utf-8"))
PROGRAMMES = parse_programmes((DEMO / "programmes.toml").read_text(encoding="utf-8"))


def roadmap_for(
    answers: dict[str, object],
    profile: EnterpriseProfile | None = None,
    figures: FirmFigures | None = None,
    catalogue: Catalogue = CATALOGUE,
) -> Roadmap:
    profile = profile or garment_profile()
    result = score_v2(V2, profile, answers)  # type: ignore[arg-type]
    return build_roadmap(
        V2,
        profile,
        answers,  # type: ignore[arg-type]
        result,
        figures or FirmFigures(5000.0, 150),
        catalogue,
        PROGRAMMES,
    )


def test_garment_maker_consolidates_paper_links_first_and_secures_before_systems() -> None:
    roadmap = roadmap_for(garment_answers())
    codes = [s.capability for s in roadmap.steps]
    quick = [s.capability for s in roadmap.by_horizon(Horizon.QUICK)]
    assert {"finance", "purchasing", "warehouse", "quality", "security"} <= set(quick)
    assert roadmap.steps[0].phase == Phase.CONSOLIDATE
    # apps it already runs are never a step
    assert "office" not in codes and "hr" not in codes and "sales" not in codes
    security = next(s for s in roadmap.steps if s.capability == "security")
    assert security.products
    for product in security.products:
        provider = CATALOGUE.provider(product.provider_code)
        assert provider is not None and ProviderType.ICS_SECURITY in provider.provider_types
    # the firm's own situation is named, in both languages
    finance = next(s for s in roadmap.steps if s.capability == "finance")
    assert any("采购" in w.zh and "Purchasing" in w.en for w in finance.why)


def test_a_product_shared_by_several_steps_is_costed_once_on_the_first() -> None:
    # the garment maker's finance, purchasing and warehouse steps all lead with one cloud ERP
    roadmap = roadmap_for(garment_answers())
    finance, purchasing, warehouse = roadmap.steps[:3]
    assert [s.capability for s in roadmap.steps[:3]] == ["finance", "purchasing", "warehouse"]
    erp = finance.products[0].code
    assert finance.covered_by is None and finance.total_wan > 0 and finance.cost_share.price > 0
    for step in (purchasing, warehouse):
        assert step.products[0].code == erp
        assert step.covered_by == "finance"
        assert step.total_wan == 0 and step.cost_share.firm == step.cost_share.programme == 0
        assert step.covered_text is not None
        assert "与第 1 步同一产品" in step.covered_text.zh
        assert "Covered by the same product as step 1" in step.covered_text.en
    assert roadmap.total_wan == round(sum(s.total_wan for s in roadmap.steps), 1)
    assert roadmap.firm_pays_wan == round(sum(s.cost_share.firm for s in roadmap.steps), 1)
    lines = roadmap_lines(roadmap, "en")
    assert sum("Covered by the same product as step 1" in line for line in lines) == 2


def test_a_roadmap_with_distinct_products_costs_every_step() -> None:
    single = [s for s in CATALOGUE.solutions if len(s.capabilities) == 1]
    distinct = replace(CATALOGUE, solutions=tuple(single))
    roadmap = roadmap_for(garment_answers(), catalogue=distinct)
    leads = [s.products[0].code for s in roadmap.steps if s.products]
    assert len(leads) == len(set(leads)) and len(leads) >= 3
    assert all(s.covered_by is None and s.covered_text is None for s in roadmap.steps)
    shared = roadmap_for(garment_answers())
    # the same capabilities, each costed at its own sized band as before
    assert [s.capability for s in roadmap.steps] == [s.capability for s in shared.steps]
    for step in roadmap.steps:
        low, high = step.budget_wan
        years = (24 - step.horizon.start_month) / 12 if step.price_model == "subscription" else 1
        assert step.total_wan == round((low + high) / 2 * years, 1) > 0
    saved = sum(s.total_wan for s in roadmap.steps if s.capability in {"purchasing", "warehouse"})
    assert roadmap.total_wan == pytest.approx(shared.total_wan + saved, abs=0.11)


def test_prerequisites_come_first_and_never_in_a_later_horizon() -> None:
    roadmap = roadmap_for(garment_answers())
    index = {s.capability: i for i, s in enumerate(roadmap.steps)}
    production = roadmap.steps[index["production"]]
    assert production.prerequisites == ("planning",)
    assert index["planning"] < index["production"]
    assert index["warehouse"] < index["planning"]
    assert roadmap.steps[index["warehouse"]].horizon <= roadmap.steps[index["planning"]].horizon
    check = check_roadmap(roadmap, garment_answers())  # type: ignore[arg-type]
    assert sum(check.out_of_order.values()) == 0


def test_kpi_moves_from_the_firms_baseline() -> None:
    roadmap = roadmap_for(garment_answers())
    planning = next(s for s in roadmap.steps if s.capability == "planning")
    assert planning.kpi is not None and planning.kpi.item == "PRF-03"
    assert planning.kpi.baseline == 85.0
    assert planning.kpi.target == pytest.approx(91.8)
    without = roadmap_for(garment_answers(**{"PRF-03": None}))
    kpi = next(s for s in without.steps if s.capability == "planning").kpi
    assert kpi is not None and kpi.baseline is None and kpi.target is None


def test_no_erp_product_for_a_firm_with_an_erp_and_no_robot_cell_for_automated_lines() -> None:
    answers = garment_answers(
        **{"OPS-11": "L2", "OPS-12": "L2", "OPS-13": "L2", "INT-02": "L3", "OPS-06": "L2"}
    )
    roadmap = roadmap_for(answers)
    erp = {"finance", "purchasing", "warehouse"}
    assert not erp & {s.capability for s in roadmap.steps}
    assert "production" not in {s.capability for s in roadmap.steps}
    for step in roadmap.steps:
        for product in step.products:
            solution = next(x for x in CATALOGUE.solutions if x.code == product.code)
            assert not solution.capabilities & (erp | {"production"})
            assert product.code not in {"S-ROBOT-CELL", "S-LIGHT-ROBOT", "S-SAP-B1", "S-SAP-S4"}


def test_pilot_firm_targets_level_two_first_and_is_told_its_next_filing() -> None:
    roadmap = roadmap_for(garment_answers())
    gap_reasons = [w for s in roadmap.steps for w in s.why if w.zh.startswith("距工信部")]
    assert gap_reasons and all("二级（试点企业验收要求）" in w.zh for w in gap_reasons)
    assert all("Level 2 (the pilot's acceptance level)" in w.en for w in gap_reasons)
    assert roadmap.pilot is not None and roadmap.pilot.next is not None
    assert roadmap.pilot.next.code == "needs_list"
    assert "DG-PILOT" in {p.code for p in roadmap.programmes}
    off_list = roadmap_for(garment_answers(**{"PRF-01": ("none",)}))
    assert "DG-PILOT" not in {p.code for p in off_list.programmes}


def test_industry_steps_come_from_the_cluster_module() -> None:
    codes = {s.capability for s in roadmap_for(garment_answers()).steps}
    assert {"tex_cad", "tex_piece"} <= codes
    assert "tex_omni" not in codes  # no retail (TEX-04 L0)
    assert not {c for c in codes if c.startswith(("ele_", "fod_", "fur_", "eqp_"))}


# --- sizing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("revenue", "size", "factor"),
    [
        (5000.0, SizeClass.SMALL, 1.0),
        (7200.0, SizeClass.SMALL, 1.2),  # sqrt(1.44) = 1.2, the small class's ceiling
        (20000.0, SizeClass.SMALL, 1.2),
        (1250.0, SizeClass.SMALL, 0.5),  # sqrt(0.25) = 0.5, the floor
        (100.0, SizeClass.SMALL, 0.5),
        (100.0, SizeClass.MICRO, 0.3),
        (80000.0, SizeClass.LARGE, 4.0),
    ],
)
def test_size_factor_scales_with_revenue_within_the_size_class(
    revenue: float, size: SizeClass, factor: float
) -> None:
    assert size_factor(revenue, size) == pytest.approx(factor)


def test_budget_scales_with_the_firm() -> None:
    small = roadmap_for(garment_answers(), figures=FirmFigures(1250.0, 150))
    larger = roadmap_for(garment_answers(), figures=FirmFigures(7200.0, 150))
    s = next(x for x in small.steps if x.capability == "production")
    big = next(x for x in larger.steps if x.capability == "production")
    assert s.budget_wan == (4.0, 15.0)
    assert big.budget_wan == (9.6, 36.0)


def test_digital_spend_stated_then_from_mgm05_then_assumed() -> None:
    answers = garment_answers()
    assert digital_spend(FirmFigures(5000.0, 150, 40.0), answers)[0] == 40.0  # type: ignore[arg-type]
    assert digital_spend(FirmFigures(5000.0, 150), answers)[0] == 15.0  # type: ignore[arg-type]
    answers["MGM-05"] = 0.0
    assert digital_spend(FirmFigures(5000.0, 150), answers)[0] == 15.0  # type: ignore[arg-type]
    answers["MGM-05"] = 1.0
    assert digital_spend(FirmFigures(5000.0, 150), answers)[0] == 50.0  # type: ignore[arg-type]


def test_flag_at_more_than_the_multiple_not_at_it() -> None:
    total = roadmap_for(garment_answers()).total_wan
    at = roadmap_for(garment_answers(), figures=FirmFigures(5000.0, 150, total / FLAG_MULTIPLE))
    above = roadmap_for(
        garment_answers(), figures=FirmFigures(5000.0, 150, total / FLAG_MULTIPLE - 0.5)
    )
    assert at.multiple == pytest.approx(FLAG_MULTIPLE) and not at.flagged
    assert at.flag_text is None
    assert above.flagged and above.flag_text is not None
    assert f"{above.multiple:.1f}" in above.flag_text.zh


def test_payback_range_follows_cost_over_the_stated_benefit() -> None:
    step = next(s for s in roadmap_for(garment_answers()).steps if s.capability == "planning")
    cap = CAPABILITIES["planning"]
    low, high = step.budget_wan
    assert step.payback_months == (
        round(12 * low / (5000 * cap.benefit_share[1]), 1),
        round(12 * high / (5000 * cap.benefit_share[0]), 1),
    )
    assert "%" in step.payback_assumption.zh and "%" in step.payback_assumption.en


# --- programmes and cost sharing -------------------------------------------------------------


def standing(level: int = 1, pilot: bool = True, division: str = "C18") -> FirmStanding:
    return FirmStanding(
        division, IndustryCluster.TEXTILES, SizeClass.SMALL, pilot, level, frozenset()
    )


def test_pilot_eligibility_at_its_boundaries() -> None:
    pilot = next(p for p in PROGRAMMES if p.code == "DG-PILOT")
    assert eligible(pilot, standing(level=1))
    assert not eligible(pilot, standing(level=2))  # already at the acceptance level
    assert not eligible(pilot, standing(pilot=False))
    assert not eligible(pilot, standing(division="C34"))  # not a pilot industry
    assert eligible(pilot, standing(level=0, division="C39"))


def test_certification_and_size_rules() -> None:
    p = Programme(
        "X",
        "x",
        "x",
        "i",
        "d",
        "r",
        0.5,
        10.0,
        size_classes=frozenset({SizeClass.SMALL}),
        certifications=frozenset({"srdi"}),
    )
    assert not eligible(p, standing())
    srdi = FirmStanding(
        "C18", IndustryCluster.TEXTILES, SizeClass.SMALL, False, 3, frozenset({"srdi"})
    )
    assert eligible(p, srdi)
    medium = FirmStanding(
        "C18", IndustryCluster.TEXTILES, SizeClass.MEDIUM, False, 3, frozenset({"srdi"})
    )
    assert not eligible(p, medium)


def test_cost_share_discount_then_best_programme_capped() -> None:
    a = Programme("A", "甲", "A", "i", "d", "r", 0.5, 3.0)
    b = Programme("B", "乙", "B", "i", "d", "r", 0.3, 100.0)
    share = share_cost(10.0, 0.1, [a, b], {})
    assert share.provider == 1.0
    # A: min(50% of 9, cap 3) = 3.0 beats B: 30% of 9 = 2.7; only one programme pays
    assert share.programme == 3.0 and share.programme_code == "A"
    assert share.provider + share.programme + share.firm == pytest.approx(10.0)
    capped = share_cost(10.0, 0.1, [a, b], {"A": 1.0})  # A's cap mostly used by earlier steps
    assert capped.programme_code == "B" and capped.programme == 2.7
    assert capped.firm == pytest.approx(6.3)
    none = share_cost(10.0, 0.0, [], {})
    assert none.programme_code is None and none.firm == 10.0
    assert "10.0" in none.rule_zh and "¥100k" in none.rule_en
    with pytest.raises(ValueError):
        share_cost(10.0, 1.0, [], {})


def test_programme_caps_are_used_up_across_steps() -> None:
    roadmap = roadmap_for(garment_answers())
    by_programme: dict[str, float] = {}
    for step in roadmap.steps:
        if step.cost_share.programme_code:
            code = step.cost_share.programme_code
            by_programme[code] = by_programme.get(code, 0.0) + step.cost_share.programme
    for p in roadmap.programmes:
        assert by_programme.get(p.code, 0.0) <= p.cap_wan + 1e-6
    assert roadmap.subsidy_wan > 0


def test_pilot_position_off_and_on_the_list() -> None:
    pilot = next(p for p in PROGRAMMES if p.code == "DG-PILOT")
    off = pilot_position(pilot, on_list=False)
    assert off.next is not None and off.next.code == "listed" and off.done == ()
    on = pilot_position(pilot, on_list=True)
    assert on.next is not None and on.next.code == "needs_list"
    assert on.done == ("listed", "diagnosis")
    assert all(p.is_demo for p in PROGRAMMES)


# --- catalogue v2 --------------------------------------------------------------------------

V1_ENTRY = """
[[providers]]
code = "P"
name_zh = "p"
name_en = "p"
provider_types = ["software"]
[[solutions]]
code = "S"
provider = "P"
name_zh = "s"
name_en = "s"
price_band = "lt5"
"""


def test_version_one_catalogue_still_parses_with_v2_defaults() -> None:
    solution = parse_catalogue(V1_ENTRY).solutions[0]
    assert solution.capabilities == frozenset() and solution.price_model == "one_off"
    assert solution.provider_discount == 0.0 and not solution.in_pilot_directory


@pytest.mark.parametrize(
    "line", ['price_model = "lease"', "provider_discount = 1.0", "provider_discount = -0.1"]
)
def test_catalogue_rejects_bad_v2_fields(line: str) -> None:
    with pytest.raises(CatalogueError, match="solution S"):
        parse_catalogue(V1_ENTRY + line + "\n")


def test_demo_catalogue_has_lead_contractors_and_a_product_for_every_capability() -> None:
    roles = {t for p in CATALOGUE.providers for t in p.provider_types}
    assert ProviderType.TRACTION in roles
    covered = {c for s in CATALOGUE.solutions for c in s.capabilities}
    assert set(CAPABILITIES) <= covered


def test_text_in_both_languages() -> None:
    roadmap = roadmap_for(garment_answers())
    zh = "\n".join(roadmap_lines(roadmap, "zh"))
    en = "\n".join(roadmap_lines(roadmap, "en"))
    assert "0-3 个月" in zh and "万元" in zh
    assert "0-3 months" in en and "¥" in en and "万元" not in en


# --- invariants over synthetic firms ---------------------------------------------------------


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_invariants_hold_on_synthetic_firms(seed: int) -> None:
    for _firm, _profile, visible, roadmap in cohort_roadmaps(V2, CATALOGUE, PROGRAMMES, 6, seed):
        check = check_roadmap(roadmap, visible)
        assert sum(check.already_had.values()) == 0
        assert sum(check.out_of_order.values()) == 0
        assert not check.security_gap
        for step in roadmap.steps:
            assert not has_capability(CAPABILITIES[step.capability], visible)
            assert len(step.products) <= 3
            share = step.cost_share
            assert share.provider + share.programme + share.firm == pytest.approx(
                step.total_wan, abs=0.02
            )
            assert step.payback_months[0] <= step.payback_months[1] or math.isinf(
                step.payback_months[1]
            )
        assert roadmap.total_wan == pytest.approx(sum(s.total_wan for s in roadmap.steps), abs=0.1)


@pytest.mark.parametrize(
    ("baseline", "change", "maximum", "expected"),
    [
        (80.0, 0.05, 100.0, 84.0),  # a plain relative rise
        (97.0, 0.08, 100.0, 98.5),  # capped at half the gap to 100%, never 100%
        (99.0, 0.05, 100.0, 99.5),
        (99.9, 0.05, 100.0, 99.9),  # rounding would reach 100%: the baseline stays
        (60.0, -0.15, 3650.0, 51.0),  # a fall is never capped
        (0.0452, -0.08, 1000.0, 0.0416),  # small figures keep their digits
        (45.0, 0.08, None, 48.6),  # unbounded
    ],
)
def test_kpi_target_is_a_plausible_step_from_the_baseline(
    baseline: float, change: float, maximum: float | None, expected: float
) -> None:
    assert kpi_target(baseline, change, maximum) == expected
