"""Matching: gaps to solutions, providers and centres, with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.catalogue import CatalogueError, parse_catalogue
from assessment.instrument import current_instrument, least_mature_responses
from assessment.matching import recommend
from assessment.scoring import score
from assessment.tasks import task_list
from assessment.types import EnterpriseProfile, IndustryCluster, ProductionType, SizeClass

DEMO = Path(__file__).resolve().parents[2] / "webapp" / "demo" / "catalogue.toml"
FURNITURE_HOUJIE = EnterpriseProfile(
    "C21", ProductionType.DISCRETE, SizeClass.SMALL, "houjie", True, IndustryCluster.FURNITURE
)

SMALL = """
[[centres]]
code = "GEN"
name_zh = "通用中心"
name_en = "Generic"
centre_type = "benchmark"
gates = ["S1.SYSTEMS"]

[[centres]]
code = "FURN"
name_zh = "家具中心"
name_en = "Furniture"
centre_type = "specialised"
clusters = ["furniture"]
towns = ["houjie"]

[[providers]]
code = "P1"
name_zh = "甲"
name_en = "P1"
provider_types = ["software"]

[[providers]]
code = "P2"
name_zh = "乙"
name_en = "P2"
provider_types = ["software"]
towns = ["houjie"]

[[solutions]]
code = "ERP1"
provider = "P1"
name_zh = "ERP 一"
name_en = "ERP one"
gates = ["S1.SYSTEMS"]
price_band = "lt5"

[[solutions]]
code = "ERP2"
provider = "P1"
name_zh = "ERP 二"
name_en = "ERP two"
gates = ["S1.SYSTEMS"]
price_band = "lt5"

[[solutions]]
code = "ERP3"
provider = "P1"
name_zh = "ERP 三"
name_en = "ERP three"
gates = ["S1.SYSTEMS"]
price_band = "lt5"

[[solutions]]
code = "OA"
provider = "P2"
name_zh = "办公"
name_en = "Office"
gates = ["S1.OFFICE"]
price_band = "lt5"

[[solutions]]
code = "OLD"
provider = "P2"
name_zh = "旧方案"
name_en = "Retired"
gates = ["S1.LEAD"]
price_band = "lt5"
retired = true
"""


def s0_result():  # type: ignore[no-untyped-def]
    instrument = current_instrument()
    answers = least_mature_responses(instrument, FURNITURE_HOUJIE)
    result = score(instrument, FURNITURE_HOUJIE, answers)
    return result, task_list(instrument, FURNITURE_HOUJIE, answers, result)


def test_gap_without_fitting_solution_is_reported_not_filled() -> None:
    result, tasks = s0_result()
    rec = recommend(FURNITURE_HOUJIE, result, tasks, parse_catalogue(SMALL))
    assert "S1.LEAD" in rec.uncovered  # only a retired solution closes it
    assert "OLD" not in {m.code for m in rec.solutions}


def test_specialised_centre_of_cluster_and_town_comes_first() -> None:
    result, tasks = s0_result()
    rec = recommend(FURNITURE_HOUJIE, result, tasks, parse_catalogue(SMALL))
    assert [m.code for m in rec.centres][:2] == ["FURN", "GEN"]
    assert any("家具制造" in r for r in rec.centres[0].reasons_zh)
    assert any("厚街" in r for r in rec.centres[0].reasons_zh)


def test_one_provider_does_not_fill_the_list() -> None:
    result, tasks = s0_result()
    rec = recommend(FURNITURE_HOUJIE, result, tasks, parse_catalogue(SMALL))
    providers = [m.provider for m in rec.solutions]
    assert providers.count("P1") == 2 and "P2" in providers


def test_reasons_name_the_gap() -> None:
    result, tasks = s0_result()
    rec = recommend(FURNITURE_HOUJIE, result, tasks, parse_catalogue(SMALL))
    oa = next(m for m in rec.solutions if m.code == "OA")
    assert any("在线办公与线上营销" in r for r in oa.reasons_zh)
    assert any("online office" in r for r in oa.reasons_en)


def test_demo_catalogue_gives_two_centres_and_two_providers() -> None:
    catalogue = parse_catalogue(DEMO.read_text(encoding="utf-8"))
    result, tasks = s0_result()
    rec = recommend(FURNITURE_HOUJIE, result, tasks, catalogue)
    assert len(rec.centres) >= 2 and len(rec.providers) >= 2
    assert rec.centres[0].code == "C-FURN"


def test_catalogue_errors_name_the_entry() -> None:
    with pytest.raises(CatalogueError, match="solution X: unknown provider"):
        parse_catalogue(
            SMALL.replace(
                'provider = "P2"\nname_zh = "办公"', 'provider = "NOPE"\nname_zh = "办公"'
            ).replace('code = "OA"', 'code = "X"')
        )
    with pytest.raises(CatalogueError, match="duplicate"):
        parse_catalogue(SMALL.replace('code = "ERP2"', 'code = "ERP1"'))
