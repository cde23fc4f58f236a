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
from tests.unit.data_files import data_text

DEMO = Path(__file__).resolve().parents[2] / "webapp" / "demo" / "catalogue.toml"
FURNITURE_HOUJIE = EnterpriseProfile(
    "C21", ProductionType.DISCRETE, SizeClass.SMALL, "houjie", True, IndustryCluster.FURNITURE
)

#: A small catalogue: a generic and a furniture centre, two providers and their solutions.
SMALL = data_text("small-catalogue.toml")


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
    assert any("家具制造" in r.zh for r in rec.centres[0].reasons)
    assert any("厚街" in r.zh for r in rec.centres[0].reasons)


def test_one_provider_does_not_fill_the_list() -> None:
    result, tasks = s0_result()
    rec = recommend(FURNITURE_HOUJIE, result, tasks, parse_catalogue(SMALL))
    providers = [m.provider for m in rec.solutions]
    assert providers.count("P1") == 2 and "P2" in providers


def test_reasons_name_the_gap() -> None:
    result, tasks = s0_result()
    rec = recommend(FURNITURE_HOUJIE, result, tasks, parse_catalogue(SMALL))
    oa = next(m for m in rec.solutions if m.code == "OA")
    assert any("在线办公与线上营销" in r.zh for r in oa.reasons)
    assert any("online office" in r.en for r in oa.reasons)


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
