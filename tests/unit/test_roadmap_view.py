"""The roadmap's view-model and the 改造需求清单 workbook, without the app: horizons numbered in
order, KPI baseline → target only when the firm gave a baseline, a payback without a benefit
said in words, the totals and the workbook's rows in both languages."""

from __future__ import annotations

import io
import math
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from assessment.localised import Localised
from assessment.roadmap import Horizon, KpiMove
from reports.needs_list import needs_list_headers, needs_list_xlsx
from reports.roadmap_view import build_roadmap_view, kpi_text
from tests.unit.profiles import garment_answers
from tests.unit.test_roadmap import roadmap_for

YIELD = KpiMove(
    "PRF-05", Localised("产品一次合格率", "First-pass yield"), Localised("%", "%"), 0.03, 92.0, 94.8
)


def test_kpi_shows_baseline_and_target_only_when_given() -> None:
    assert kpi_text(YIELD, "zh") == "产品一次合格率 +3%（92 → 94.8 %）"
    assert kpi_text(YIELD, "en") == "First-pass yield +3% (92 → 94.8 %)"
    unknown = replace(YIELD, baseline=None, target=None)
    assert kpi_text(unknown, "en") == "First-pass yield +3%"
    assert kpi_text(None, "zh") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_view_groups_steps_by_horizon_in_order(lang: str) -> None:
    roadmap = roadmap_for(garment_answers())
    view = build_roadmap_view(roadmap, lang)
    assert [g.code for g in view.horizons] == [int(h) for h in Horizon if roadmap.by_horizon(h)]
    for group in view.horizons:
        steps = roadmap.by_horizon(Horizon(group.code))
        assert [s.number for s in group.steps] == list(range(1, len(steps) + 1))
        assert [s.name for s in group.steps] == [s.name.for_locale(lang) for s in steps]
    assert view.step_count == len(roadmap.steps)
    assert view.flagged and view.flag_text == roadmap.flag_text.for_locale(lang)  # type: ignore[union-attr]
    assert view.pilot_next is not None


def test_payback_without_a_benefit_is_said_in_words() -> None:
    roadmap = roadmap_for(garment_answers())
    step = replace(roadmap.steps[0], payback_months=(1.0, math.inf))
    view = build_roadmap_view(replace(roadmap, steps=(step, *roadmap.steps[1:])), "en")
    assert view.horizons[0].steps[0].payback == "cannot be estimated"


def test_workbook_has_a_row_per_step_and_neutralises_formulas() -> None:
    roadmap = roadmap_for(garment_answers())
    view = build_roadmap_view(roadmap, "en")
    data = needs_list_xlsx(view, '=HYPERLINK("x")', "91441900MT0000001X", "en")
    book = load_workbook(io.BytesIO(data))
    needs, summary = book.worksheets
    assert [c.value for c in needs[1]] == needs_list_headers("en")
    assert needs.max_row - 1 == len(roadmap.steps)
    assert summary["B1"].value.startswith("'=")  # the firm's name is never run as a formula


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "与第 1 步同一产品"), ("en", "Covered by the same product as step 1")]
)
def test_a_step_sharing_an_earlier_product_says_so_and_adds_no_cost(lang: str, said: str) -> None:
    roadmap = roadmap_for(garment_answers())
    view = build_roadmap_view(roadmap, lang)
    quick = view.horizons[0].steps
    assert quick[0].covered is None
    assert [s.capability for s in quick if s.covered] == ["purchasing", "warehouse"]
    assert all(said in (s.covered or "") for s in quick[1:3])
    book = load_workbook(io.BytesIO(needs_list_xlsx(view, "Firm", "91441900MT0000001X", lang)))
    budgets = [row[6].value for row in book.worksheets[0].iter_rows(min_row=2)]
    assert said not in budgets[0] and said in budgets[1] and said in budgets[2]
